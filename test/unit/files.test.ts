import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyWithoutOverwriting, videoFileName } from '../../src/core/saveCopy';
import { sniffVideo } from '../../src/core/videoFormat';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'emulator', 'videos');

describe('video files', () => {
  const folders: string[] = [];
  const tempFolder = async (prefix: string) => {
    folders.push(await mkdtemp(join(tmpdir(), prefix)));
    return folders[folders.length - 1];
  };
  after(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

  it('recognises MP4 and WebM and names what is not a video', async () => {
    const mp4 = await readFile(join(FIXTURES, 'sample-h264.mp4'));
    const webm = await readFile(join(FIXTURES, 'sample-vp8.webm'));
    assert.deepEqual(sniffVideo(mp4.subarray(0, 64)), { container: 'mp4' });
    assert.deepEqual(sniffVideo(webm.subarray(0, 64)), { container: 'webm' });
    assert.deepEqual(sniffVideo(Buffer.from('<!DOCTYPE html><html>')), { notVideo: 'an HTML page' });
    assert.deepEqual(sniffVideo(Buffer.from('{"error":"x"}')), { notVideo: 'a JSON document' });
    assert.deepEqual(sniffVideo(Buffer.alloc(0)), { notVideo: 'an empty file' });
  });

  it('names a saved video after its prompt, safely', () => {
    const date = new Date('2026-11-25T10:30:00Z');
    assert.equal(videoFileName('A cat walks on the Moon!', date), 'a-cat-walks-on-the-moon-20261125-1030.mp4');
    assert.equal(videoFileName('Crème brûlée ../../etc/passwd', date), 'creme-brulee-etc-passwd-20261125-1030.mp4');
    assert.equal(videoFileName('日本語', date), 'video-20261125-1030.mp4');
    assert.ok(videoFileName('x'.repeat(500), date).length < 70);
  });

  it('never overwrites: a taken name gets -2, -3, and no temporary file stays', async () => {
    const folder = await tempFolder('hfv-save-');
    const source = join(folder, 'source.bin');
    await writeFile(source, 'new video');
    await writeFile(join(folder, 'clip.mp4'), 'precious');
    const second = await copyWithoutOverwriting(source, folder, 'clip.mp4');
    const third = await copyWithoutOverwriting(source, folder, 'clip.mp4');
    assert.equal(second, join(folder, 'clip-2.mp4'));
    assert.equal(third, join(folder, 'clip-3.mp4'));
    assert.equal(await readFile(join(folder, 'clip.mp4'), 'utf8'), 'precious');
    assert.equal(await readFile(second, 'utf8'), 'new video');
    assert.deepEqual((await readdir(folder)).sort(), ['clip-2.mp4', 'clip-3.mp4', 'clip.mp4', 'source.bin']);
  });

  it('saves concurrently without two copies claiming one name', async () => {
    const folder = await tempFolder('hfv-race-');
    const source = join(folder, 'source.bin');
    await writeFile(source, 'v');
    const saved = await Promise.all(Array.from({ length: 5 }, () => copyWithoutOverwriting(source, join(folder, 'videos'), 'a.mp4')));
    assert.equal(new Set(saved).size, 5);
  });
});
