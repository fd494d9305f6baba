import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadVideo } from '../../src/core/download';
import { HttpClient } from '../../src/core/http';

const WEBM = readFileSync(join(__dirname, '..', '..', '..', 'test', 'emulator', 'videos', 'sample-vp8.webm'));

describe('download', () => {
  let server: Server;
  let url: string;
  let folder: string;
  before(async () => {
    server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'video/webm', 'content-length': WEBM.length }).end(WEBM));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/clip`;
    folder = await mkdtemp(join(tmpdir(), 'hfv-download-'));
  });
  after(async () => {
    server.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('names the file after what the bytes are: a WebM becomes .webm', async () => {
    const video = await downloadVideo(new HttpClient({ userAgent: 't' }), url, join(folder, 'clip'), {
      signal: new AbortController().signal,
      report: () => undefined,
      service: 'the test CDN',
    });
    assert.equal(video.container, 'webm');
    assert.equal(video.file, join(folder, 'clip.webm'));
    assert.equal(video.bytes, WEBM.length);
    assert.deepEqual(await readdir(folder), ['clip.webm']);
  });
});
