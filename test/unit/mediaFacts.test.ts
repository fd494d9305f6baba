import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mp4AudioCodec, mp4VideoCodec } from '../../src/core/media/codecs';
import { playabilityInVsCode } from '../../src/core/media/mediaFacts';
import { readMediaFacts } from '../../src/core/media/readMediaFacts';
import { REPO_ROOT } from '../testOutput';

const VIDEOS = join(REPO_ROOT, 'test', 'emulator', 'videos');

// What ffprobe reports for each fixture (nb_frames, r_frame_rate, profile, codec_name).
const FIXTURES = [
  { file: 'sample-h264.mp4', container: 'mp4', duration: 3, width: 480, height: 270, frameRate: 16, frameCount: 48, video: 'H.264 Constrained Baseline', audio: undefined, playable: { video: true, audio: 'none' } },
  { file: 'sample-h264-aac.mp4', container: 'mp4', duration: 3, width: 480, height: 270, frameRate: 16, frameCount: 48, video: 'H.264 Constrained Baseline', audio: 'AAC LC', playable: { video: true, audio: 'silent' } },
  { file: 'sample-hevc.mp4', container: 'mp4', duration: 1, width: 320, height: 180, frameRate: 24, frameCount: 24, video: 'HEVC (H.265) Main', audio: undefined, playable: { video: false, audio: 'none' } },
  { file: 'sample-vp8.webm', container: 'webm', duration: 2.001, width: 320, height: 240, frameRate: 16, frameCount: 32, video: 'VP8', audio: undefined, playable: { video: true, audio: 'none' } },
  // Written live (ffmpeg -live 1): segment of unknown size, no Duration element.
  { file: 'sample-vp8-live.webm', container: 'webm', duration: 1, width: 160, height: 120, frameRate: 10, frameCount: 10, video: 'VP8', audio: undefined, playable: { video: true, audio: 'none' } },
  { file: 'sample-vp9-opus.webm', container: 'webm', duration: 1.001, width: 320, height: 240, frameRate: 25, frameCount: 25, video: 'VP9', audio: 'Opus', playable: { video: false, audio: 'silent' } },
] as const;

describe('media facts read from the file on disk', () => {
  for (const fixture of FIXTURES) {
    it(`${fixture.file}: ${fixture.video}${fixture.audio ? ` + ${fixture.audio}` : ', no audio'}`, async () => {
      const facts = await readMediaFacts(join(VIDEOS, fixture.file));
      assert.equal(facts.container, fixture.container);
      assert.ok(Math.abs(facts.durationSeconds! - fixture.duration) < 0.01, `duration ${facts.durationSeconds}`);
      assert.deepEqual([facts.width, facts.height], [fixture.width, fixture.height]);
      assert.ok(Math.abs(facts.frameRate! - fixture.frameRate) < 0.01, `frame rate ${facts.frameRate}`);
      assert.equal(facts.frameCount, fixture.frameCount);
      assert.equal(facts.video?.label, fixture.video);
      assert.equal(facts.audio?.label, fixture.audio);
      assert.equal(facts.bitrate, Math.round((facts.bytes * 8) / facts.durationSeconds!));
      assert.deepEqual(playabilityInVsCode(facts), fixture.playable);
    });
  }

  describe('files that are not what they seem', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'media-facts-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('finds the moov box after an mdat larger than one read', async () => {
      // sample-hevc.mp4 keeps its moov after the mdat; 1 MB more media data puts the moov far past the first read.
      const original = readFileSync(join(VIDEOS, 'sample-hevc.mp4'));
      const mdat = original.indexOf('mdat', 0, 'latin1') - 4;
      const mdatEnd = mdat + original.readUInt32BE(mdat);
      const grown = Buffer.concat([original.subarray(0, mdatEnd), Buffer.alloc(1024 * 1024), original.subarray(mdatEnd)]);
      grown.writeUInt32BE(mdatEnd - mdat + 1024 * 1024, mdat);
      const path = join(dir, 'late-moov.mp4');
      writeFileSync(path, grown);
      const facts = await readMediaFacts(path);
      assert.equal(facts.frameCount, 24);
    });

    it('says what a file that is not a video is', async () => {
      const path = join(dir, 'page.mp4');
      writeFileSync(path, '<!DOCTYPE html><html></html>');
      await assert.rejects(readMediaFacts(path), /an HTML page/);
    });

    it('refuses an MP4 whose moov box is missing', async () => {
      const path = join(dir, 'cut.mp4');
      const header = Buffer.from([0, 0, 0, 16, ...Buffer.from('ftypisom'), 0, 0, 2, 0]);
      writeFileSync(path, header);
      await assert.rejects(readMediaFacts(path), /moov/);
    });
  });

  describe('codec strings', () => {
    it('names H.264, HEVC, VP9 and AV1 profiles', () => {
      assert.equal(mp4VideoCodec('avc1.640028').label, 'H.264 High');
      assert.equal(mp4VideoCodec('avc1.4d401f').label, 'H.264 Main');
      assert.equal(mp4VideoCodec('hev1.2.4.L120.90').label, 'HEVC (H.265) Main 10');
      assert.equal(mp4VideoCodec('vp09.00.10.08').label, 'VP9 Profile 0');
      assert.equal(mp4VideoCodec('av01.0.04M.08').label, 'AV1 Main');
      assert.equal(mp4VideoCodec('mp4v.20.9').codec, 'other');
    });

    it('tells AAC from MP3 in mp4a entries', () => {
      assert.equal(mp4AudioCodec('mp4a.40.5').label, 'AAC HE');
      assert.equal(mp4AudioCodec('mp4a.6B').codec, 'mp3');
      assert.equal(mp4AudioCodec('.mp3').codec, 'mp3');
      assert.equal(mp4AudioCodec('Opus').codec, 'opus');
      assert.deepEqual(playabilityInVsCode({ video: mp4VideoCodec('avc1.640028'), audio: mp4AudioCodec('mp4a.6b') }), { video: true, audio: 'plays' });
    });
  });
});
