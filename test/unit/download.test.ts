import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { downloadVideo, type PartialDownload } from '../../src/core/download';
import { HfVideoError } from '../../src/core/errors';
import { HttpClient, MAX_JSON_BYTES } from '../../src/core/http';

const WEBM = readFileSync(join(__dirname, '..', '..', '..', 'test', 'emulator', 'videos', 'sample-vp8.webm'));
/** A WebM followed by 6 MB whose every byte depends on its position, so a lost, doubled or reordered write shows. */
const LARGE_WEBM = Buffer.concat([WEBM, Uint8Array.from({ length: 6 * 1024 * 1024 }, (_, index) => (index * 31 + (index >> 16)) & 0xff)]);

describe('download', () => {
  let server: Server;
  let url: string;
  let folder: string;
  let answer: (response: ServerResponse) => void;
  const options = { signal: new AbortController().signal, report: () => undefined, service: 'the test CDN' };
  before(async () => {
    server = createServer((_request, response) => answer(response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/clip`;
    folder = await mkdtemp(join(tmpdir(), 'hfv-download-'));
  });
  after(async () => {
    server.close();
    await rm(folder, { recursive: true, force: true });
  });

  beforeEach(() => {
    answer = (response) => response.writeHead(200, { 'content-type': 'video/webm', 'content-length': WEBM.length }).end(WEBM);
  });

  /** The promise rejects with an HfVideoError that names hfVideo.maxDownloadMB and leaves no file behind. */
  async function expectTooLarge(downloading: Promise<unknown>): Promise<void> {
    await assert.rejects(downloading, (error: HfVideoError) => {
      assert.match(error.userMessage, /larger than .* the limit set by hfVideo\.maxDownloadMB/);
      assert.deepEqual(error.nextStep, { action: 'openSettings', label: 'Change Limit', setting: 'hfVideo.maxDownloadMB' });
      return true;
    });
    assert.deepEqual(await readdir(folder), [], 'no partial file');
  }

  it('refuses a video over the size limit from its Content-Length', async () => {
    await expectTooLarge(downloadVideo(new HttpClient({ userAgent: 't' }), url, join(folder, 'big'), { ...options, maxBytes: 1000 }));
  });

  it('refuses a video over the size limit while it streams, when no length is announced', async () => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'video/webm' });
      response.end(WEBM);
    };
    await expectTooLarge(downloadVideo(new HttpClient({ userAgent: 't' }), url, join(folder, 'big'), { ...options, maxBytes: 1000 }));
  });

  it('refuses a video over the size limit after several written batches, leaving no partial file', async () => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'video/webm' });
      response.end(LARGE_WEBM);
    };
    await expectTooLarge(downloadVideo(new HttpClient({ userAgent: 't' }), url, join(folder, 'big'), { ...options, maxBytes: 3 * 1024 * 1024 }));
  });

  it('stops reading a JSON answer over the cap', async () => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      // Far more than the cap, so a client reading it all would show in memory.
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      const writeMore = (left: number): void => {
        if (left === 0 || response.destroyed) return void response.end();
        if (response.write(chunk)) writeMore(left - 1);
        else response.once('drain', () => writeMore(left - 1));
      };
      writeMore(MAX_JSON_BYTES / chunk.length + 16);
    };
    const request = { method: 'GET' as const, url, signal: options.signal, service: 'the test provider' };
    await assert.rejects(new HttpClient({ userAgent: 't' }).json(request), (error: HfVideoError) => {
      assert.equal(error.kind, 'badOutput');
      assert.match(error.userMessage, /The test provider sent an answer larger than 4/);
      return true;
    });
  });

  it('names the file after what the bytes are: a WebM becomes .webm', async () => {
    const video = await downloadVideo(new HttpClient({ userAgent: 't' }), url, join(folder, 'clip'), options);
    assert.equal(video.container, 'webm');
    assert.equal(video.file, join(folder, 'clip.webm'));
    assert.equal(video.bytes, WEBM.length);
    assert.deepEqual(await readdir(folder), ['clip.webm']);
  });

  it('writes a video several times the write buffer byte for byte', async () => {
    answer = (response) => response.writeHead(200, { 'content-type': 'video/webm', 'content-length': LARGE_WEBM.length }).end(LARGE_WEBM);
    const video = await downloadVideo(new HttpClient({ userAgent: 't' }), url, join(folder, 'large'), options);
    assert.equal(video.bytes, LARGE_WEBM.length);
    assert.ok(readFileSync(video.file).equals(LARGE_WEBM));
    await rm(video.file);
  });

  describe('resuming', () => {
    let ranges: Array<string | undefined>;
    /** The first answer breaks off after `cut` bytes; later ones are answered by `next`. */
    function breakThen(cut: number, next: (response: ServerResponse, range: string | undefined) => void, body = WEBM): void {
      ranges = [];
      server.removeAllListeners('request');
      server.on('request', (request: { headers: Record<string, string | undefined> }, response: ServerResponse) => {
        ranges.push(request.headers.range);
        if (ranges.length > 1) return next(response, request.headers.range);
        response.writeHead(200, { 'content-type': 'video/webm', 'content-length': body.length, 'accept-ranges': 'bytes' });
        response.write(body.subarray(0, cut), () => setImmediate(() => response.destroy()));
      });
    }
    afterEach(() => {
      server.removeAllListeners('request');
      server.on('request', (_request, response: ServerResponse) => answer(response));
    });

    async function brokenThenAgain(partial: PartialDownload): Promise<Awaited<ReturnType<typeof downloadVideo>>> {
      const http = new HttpClient({ userAgent: 't' });
      await assert.rejects(downloadVideo(http, url, join(folder, 'resumed'), { ...options, partial }), (error: HfVideoError) => error.kind === 'network');
      // Whatever reached the disk before the connection broke is kept (it may be nothing on a busy machine).
      if (partial.kept) assert.ok(partial.kept.received > 0);
      return downloadVideo(http, url, join(folder, 'resumed'), { ...options, partial });
    }

    /** Answers a Range request with the rest of `body` (206), a request without one with all of it. */
    const restOf =
      (body: Buffer) =>
      (response: ServerResponse, range: string | undefined): void => {
        if (!range) return void response.writeHead(200, { 'content-type': 'video/webm', 'content-length': body.length }).end(body);
        const start = Number(/^bytes=(\d+)-$/.exec(range)?.[1]);
        response.writeHead(206, { 'content-type': 'video/webm', 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, 'content-length': body.length - start });
        response.end(body.subarray(start));
      };

    for (const [what, body] of [
      ['a small video', WEBM],
      ['a video several times the write buffer', LARGE_WEBM],
    ] as const) {
      it(`asks for the rest with Range and appends it: ${what}`, async () => {
        breakThen(Math.floor(body.length * 0.6), restOf(body), body);
        const video = await brokenThenAgain({});
        assert.equal(ranges[0], undefined);
        assert.ok(readFileSync(video.file).equals(body));
        assert.deepEqual((await readdir(folder)).filter((name) => name.endsWith('.part')), [], 'no partial file');
        await rm(video.file);
      });
    }

    it('starts over when the CDN ignores the range and sends the whole file', async () => {
      breakThen(100, (response) => response.writeHead(200, { 'content-type': 'video/webm', 'content-length': WEBM.length }).end(WEBM));
      const video = await brokenThenAgain({});
      assert.ok(readFileSync(video.file).equals(WEBM));
      assert.deepEqual((await readdir(folder)).filter((name) => name.endsWith('.part')), [], 'no partial file');
      await rm(video.file);
    });

    it('starts over once when the range answer does not fit the kept bytes', async () => {
      breakThen(100, (response, range) => {
        if (range) {
          response.writeHead(206, { 'content-type': 'video/webm', 'content-range': `bytes 0-${WEBM.length - 1}/${WEBM.length}`, 'content-length': WEBM.length });
          return void response.end(WEBM);
        }
        response.writeHead(200, { 'content-type': 'video/webm', 'content-length': WEBM.length }).end(WEBM);
      });
      const video = await brokenThenAgain({});
      if (ranges[1]) assert.deepEqual(ranges.slice(2), [undefined], 'the third request starts from the first byte');
      assert.ok(readFileSync(video.file).equals(WEBM));
      assert.deepEqual((await readdir(folder)).filter((name) => name.endsWith('.part')), [], 'no partial file');
      await rm(video.file);
    });
  });
});
