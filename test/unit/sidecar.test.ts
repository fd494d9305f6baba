import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HfVideoError } from '../../src/core/errors';
import { newJobRecord, type JobRecord, type JobRequest } from '../../src/core/jobs/record';
import { parseSidecar, sidecarFor, sidecarPath, writeSidecar, type Sidecar } from '../../src/core/jobs/sidecar';

const STORAGE = join(tmpdir(), 'hfv-storage-dir');
const WORKSPACE = join(tmpdir(), 'hfv-workspace-dir');
const META = { extensionVersion: '0.1.0', createdAt: new Date('2026-11-25T10:30:00Z') };

/** A finished job, saved into the workspace, with every local path and URL a record can hold. */
function finishedRecord(request: Partial<JobRequest> = {}): JobRecord {
  const record = newJobRecord({
    prompt: 'A red fox jumps over a frozen river',
    model: 'Wan-AI/Wan2.1-T2V-14B',
    provider: 'auto',
    parameters: { num_frames: 81, guidance_scale: 5, negative_prompt: 'blurry', seed: 1234 },
    extra: { resolution: '720p', aspect_ratio: '16:9' },
    preset: 'Fast draft',
    source: { kind: 'file', uri: pathToFileURL(join(WORKSPACE, 'prompts', 'river fox.md')).href },
    ...request,
  });
  return {
    ...record,
    state: 'done',
    provider: 'fal-ai',
    providerId: 'fal-ai/wan-t2v',
    routed: true,
    handle: { requestId: 'req-42', urls: { status: 'https://router.huggingface.co/fal-ai/fal-ai/wan-t2v/requests/req-42/status' } },
    videoUrl: 'https://v3.fal.media/files/fox.mp4?signature=abc',
    file: join(STORAGE, 'videos', `${record.id}.mp4`),
    bytes: 1_234_567,
    media: { container: 'mp4', bytes: 1_234_567, durationSeconds: 5, frameCount: 80, video: { codec: 'h264', label: 'H.264 High', profile: 'High', id: 'avc1.640028' } },
    savedFiles: [join(WORKSPACE, 'videos', 'fox.mp4')],
    timings: { ...record.timings, submittedAt: '2026-11-25T10:28:00.000Z', finishedAt: '2026-11-25T10:29:30.000Z' },
  };
}

/** A sidecar as it is read back from disk. */
function throughJson(sidecar: Sidecar): unknown {
  return JSON.parse(JSON.stringify(sidecar));
}

describe('sidecar', () => {
  it('makes the same request again', () => {
    const record = finishedRecord();
    const parsed = parseSidecar(throughJson(sidecarFor(record, META)));
    const { source: _source, ...request } = record.request;
    assert.deepEqual(parsed, { request });
  });

  it('makes the video again with the seed the provider reported', () => {
    const record = { ...finishedRecord(), seed: 777 };
    const parsed = parseSidecar(throughJson(sidecarFor(record, META)));
    assert.ok(!(parsed instanceof HfVideoError));
    assert.equal(parsed.request.parameters.seed, 777);
  });

  it('says what, where and when without local paths or URLs', () => {
    const record = finishedRecord();
    const sidecar = sidecarFor(record, META);
    assert.equal(sidecar.kind, 'hf-text-to-video');
    assert.equal(sidecar.schemaVersion, 1);
    assert.equal(sidecar.extensionVersion, '0.1.0');
    assert.equal(sidecar.createdAt, '2026-11-25T10:30:00.000Z');
    assert.deepEqual(sidecar.request.source, { kind: 'file', name: 'river fox.md', jobId: undefined });
    assert.equal(sidecar.provider, 'fal-ai');
    assert.equal(sidecar.requestId, 'req-42');
    assert.equal(sidecar.bytes, 1_234_567);
    assert.deepEqual(sidecar.media, record.media);
    assert.equal(sidecar.timings.finishedAt, '2026-11-25T10:29:30.000Z');
    const text = JSON.stringify(sidecar);
    for (const local of [STORAGE, WORKSPACE, 'file:', 'https:', 'signature']) assert.ok(!text.includes(local), `the sidecar holds ${local}`);
  });

  it('holds no token, even where the user typed one', () => {
    const record = finishedRecord({ prompt: 'a fox hf_abcdefghijkl', extra: { note: 'Bearer hf_abcdefghijkl', hf_abcdefghijkl: true } });
    const text = JSON.stringify(sidecarFor(record, META));
    assert.ok(!text.includes('abcdefghijkl'));
    assert.ok(text.includes('a fox hf_[redacted]'));
  });

  it('rejects JSON that is not our sidecar, or is damaged', () => {
    const good = throughJson(sidecarFor(finishedRecord(), META)) as Sidecar;
    const rejected: [unknown, RegExp][] = [
      [null, /not a Hugging Face Text to Video sidecar/],
      [[good], /not a Hugging Face Text to Video sidecar/],
      [{ name: 'my-package', version: '1.0.0' }, /not a Hugging Face Text to Video sidecar/],
      [finishedRecord(), /not a Hugging Face Text to Video sidecar/],
      [{ ...good, schemaVersion: 2 }, /newer version/],
      [{ ...good, schemaVersion: '1' }, /no request/],
      [{ ...good, request: undefined }, /no request/],
      [{ ...good, request: { ...good.request, prompt: ' ' } }, /no prompt/],
      [{ ...good, request: { ...good.request, provider: 'elsewhere' } }, /provider must be auto or one of .*, not "elsewhere"/],
      [{ ...good, request: { ...good.request, model: undefined } }, /model is missing/],
      [{ ...good, request: { ...good.request, model: 'no-owner' } }, /model must be a Hugging Face model id/],
      [{ ...good, request: { ...good.request, parameters: { num_frames: 5000 } } }, /num_frames must be a whole number from 1 to 1000, not 5000/],
      [{ ...good, seed: -3 }, /seed must be a whole number from 0 to 4294967295, not -3/],
      [{ ...good, request: { ...good.request, extra: { webhook_url: 'https://elsewhere.example' } } }, /extra.webhook_url would send the result somewhere else/],
      [{ ...good, request: { ...good.request, extra: [] } }, /no parameters/],
      [{ ...good, request: { ...good.request, parameters: { num_frames: '81' } } }, /num_frames must be a whole number from 1 to 1000, not "81"/],
    ];
    for (const [json, message] of rejected) {
      const parsed = parseSidecar(json);
      assert.ok(parsed instanceof HfVideoError, JSON.stringify(json));
      assert.equal(parsed.kind, 'invalidInput');
      assert.match(parsed.userMessage, message);
    }
  });

  it('lives beside the video, named after it', () => {
    assert.equal(sidecarPath(join(WORKSPACE, 'videos', 'fox.mp4')), join(WORKSPACE, 'videos', 'fox.json'));
    assert.equal(sidecarPath(join(WORKSPACE, 'clip.take-2.webm')), join(WORKSPACE, 'clip.take-2.json'));
  });

  describe('writing', () => {
    let folder: string;
    let sidecar: Sidecar;
    beforeEach(async () => {
      folder = await mkdtemp(join(tmpdir(), 'hfv-sidecar-'));
      sidecar = sidecarFor(finishedRecord(), META);
    });
    afterEach(() => rm(folder, { recursive: true, force: true }));

    const read = async (name: string) => JSON.parse(await readFile(join(folder, name), 'utf8'));

    it('writes fox.json for fox.mp4, whole, with no temporary file left', async () => {
      assert.equal(await writeSidecar(join(folder, 'fox.mp4'), sidecar), join(folder, 'fox.json'));
      assert.deepEqual(await read('fox.json'), { ...throughJson(sidecar) as object, video: 'fox.mp4' });
      assert.deepEqual(await readdir(folder), ['fox.json']);
    });

    it('keeps a file of the user\'s and writes fox.mp4.json instead', async () => {
      await writeFile(join(folder, 'fox.json'), '{"mine": true}');
      assert.equal(await writeSidecar(join(folder, 'fox.mp4'), sidecar), join(folder, 'fox.mp4.json'));
      assert.deepEqual(await read('fox.json'), { mine: true });
      assert.equal((await read('fox.mp4.json')).video, 'fox.mp4');
    });

    it('keeps the sidecar of fox.webm when fox.mp4 is saved beside it', async () => {
      await writeSidecar(join(folder, 'fox.webm'), sidecar);
      assert.equal(await writeSidecar(join(folder, 'fox.mp4'), sidecar), join(folder, 'fox.mp4.json'));
      assert.equal((await read('fox.json')).video, 'fox.webm');
    });

    it('replaces its own sidecar left by a deleted video of the same name', async () => {
      await writeSidecar(join(folder, 'fox.mp4'), { ...sidecar, jobId: 'old' });
      assert.equal(await writeSidecar(join(folder, 'fox.mp4'), sidecar), join(folder, 'fox.json'));
      assert.equal((await read('fox.json')).jobId, sidecar.jobId);
    });

    it('writes nothing and says so when both names hold other files', async () => {
      await writeFile(join(folder, 'fox.json'), 'not json');
      await writeFile(join(folder, 'fox.mp4.json'), '{"kind": "hf-text-to-video", "video": "other.mp4"}');
      await assert.rejects(writeSidecar(join(folder, 'fox.mp4'), sidecar), (error: unknown) => {
        assert.ok(error instanceof HfVideoError);
        assert.match(error.userMessage, /fox\.json and fox\.mp4\.json are other files/);
        return true;
      });
      assert.equal(await readFile(join(folder, 'fox.json'), 'utf8'), 'not json');
      assert.deepEqual((await readdir(folder)).sort(), ['fox.json', 'fox.mp4.json']);
    });
  });
});
