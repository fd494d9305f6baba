import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { downloadVideo } from '../../src/core/download';
import { HfVideoError } from '../../src/core/errors';
import { HttpClient, MAX_JSON_BYTES } from '../../src/core/http';

const WEBM = readFileSync(join(__dirname, '..', '..', '..', 'test', 'emulator', 'videos', 'sample-vp8.webm'));

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
});
