import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { HfVideoApi } from '../../../src/extension';
import { EMULATOR, TOKEN, WORKSPACE, api, assertVideo, eventually, generate, generation, resetEmulator, selectPrompt, settings, submits } from '../helpers';

/** The seed a submit carried (fal-ai takes the HF body as it is). */
const seedOf = (request: { body?: unknown }) => (request.body as { seed?: number }).seed;

describe('generations as jobs', function () {
  this.timeout(60_000);
  let extension: HfVideoApi;

  before(async function () {
    if (!EMULATOR || !TOKEN) this.skip();
    extension = await api();
    await vscode.commands.executeCommand('hfVideo.setToken', TOKEN);
  });

  beforeEach(resetEmulator);

  afterEach(async () => {
    for (const key of ['outputFolder', 'fileNameTemplate', 'autoSave', 'maxConcurrentJobs']) await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  it('saves the video with a sidecar that can make it again and holds no token and no local path', async () => {
    await settings().update('fileNameTemplate', '${model}-${seed}', vscode.ConfigurationTarget.Global);
    const result = await generate();
    assert.ok(result);
    const saved = await vscode.commands.executeCommand<string>('hfVideo.saveVideo', result.jobId);
    assert.ok(saved, 'saved');
    const record = generation(extension, result.jobId);
    assert.equal(saved, join(WORKSPACE, 'videos', `wan2-1-t2v-14b-${record.seed}.mp4`));
    assertVideo(saved);
    const sidecarText = readFileSync(saved.replace(/\.mp4$/, '.json'), 'utf8');
    const sidecar = JSON.parse(sidecarText) as { request: { prompt: string; model: string; parameters: { seed: number } }; provider: string; extensionVersion: string; media?: { video?: { codec: string }; frameCount?: number } };
    assert.equal(sidecar.request.model, 'Wan-AI/Wan2.1-T2V-14B');
    assert.equal(sidecar.request.parameters.seed, record.seed);
    assert.equal(sidecar.provider, 'fal-ai');
    // What the downloaded file is (the emulator serves its H.264 fixture), read from it and kept.
    assert.deepEqual([sidecar.media?.video?.codec, sidecar.media?.frameCount], ['h264', 48]);
    assert.match(sidecar.extensionVersion, /^\d+\.\d+\.\d+/);
    assert.ok(!sidecarText.includes(TOKEN), 'no token');
    assert.ok(!sidecarText.includes(WORKSPACE) && !sidecarText.includes(dirname(record.file!)), 'no local path');
    assert.deepEqual(generation(extension, result.jobId).savedFiles, [saved]);
  });

  it('lists past generations newest first, and regenerates one with the same seed or a new one', async () => {
    const first = await generate();
    assert.ok(first);
    const again = await vscode.commands.executeCommand<{ jobId: string }>('hfVideo.regenerate', generation(extension, first.jobId));
    const varied = await vscode.commands.executeCommand<{ jobId: string }>('hfVideo.varySeed', first.jobId);
    assert.ok(again && varied);
    const ids = extension.listGenerations().map((record) => record.id);
    assert.deepEqual(ids.slice(0, 3), [varied.jobId, again.jobId, first.jobId], 'newest first');
    const seeds = (await submits()).map(seedOf);
    assert.equal(seeds.length, 3);
    assert.equal(seeds[1], seeds[0], 'Regenerate sends the same seed');
    assert.notEqual(seeds[2], seeds[0], 'Vary Seed sends a new one');
    assert.equal(generation(extension, again.jobId).request.source?.jobId, first.jobId);
  });

  it('runs two generations started together, one at a time when the limit is 1, and both arrive', async () => {
    await settings().update('maxConcurrentJobs', 1, vscode.ConfigurationTarget.Global);
    // The queue reads the limit whenever a slot may open; this is the value it will read.
    await eventually('the new limit in the configuration', () => settings().get('maxConcurrentJobs') === 1);
    await selectPrompt();
    const [a, b] = await Promise.all([
      vscode.commands.executeCommand<{ file: string; jobId: string }>('hfVideo.generateFromSelection'),
      vscode.commands.executeCommand<{ file: string; jobId: string }>('hfVideo.generateFromSelection'),
    ]);
    assert.ok(a && b);
    assert.notEqual(a.file, b.file);
    assertVideo(a.file);
    assertVideo(b.file);
    const [jobA, jobB] = [generation(extension, a.jobId), generation(extension, b.jobId)];
    const [first, second] = [jobA, jobB].sort((x, y) => x.timings.createdAt.localeCompare(y.timings.createdAt));
    assert.ok(first.timings.finishedAt! <= second.timings.startedAt!, 'the second started only after the first ended');
  });

  it('saves as soon as the video is ready with hfVideo.autoSave', async () => {
    await settings().update('autoSave', true, vscode.ConfigurationTarget.Global);
    const result = await generate();
    assert.ok(result);
    const [saved] = generation(extension, result.jobId).savedFiles;
    assert.ok(saved?.startsWith(join(WORKSPACE, 'videos')), `saved into videos/: ${saved}`);
    assertVideo(saved);
    assert.ok(existsSync(saved.replace(/\.mp4$/, '.json')), 'with its sidecar');
  });

  it('refuses an output folder that leads outside the workspace, writing nothing', async () => {
    const outside = join(tmpdir(), `hfv-outside-${Date.now()}`);
    const link = join(WORKSPACE, 'linked-out');
    symlinkSync(tmpdir(), link);
    try {
      const result = await generate();
      assert.ok(result);
      for (const folder of ['../escape', outside, 'linked-out']) {
        await settings().update('outputFolder', folder, vscode.ConfigurationTarget.Global);
        const saved: string | undefined = await vscode.commands.executeCommand('hfVideo.saveVideo', result.jobId);
        assert.equal(saved, undefined, `${folder} is refused`);
      }
      assert.ok(!existsSync(join(dirname(WORKSPACE), 'escape')) && !existsSync(outside));
      assert.deepEqual(generation(extension, result.jobId).savedFiles, []);
    } finally {
      rmSync(link, { force: true });
    }
  });

  it('deletes an unsaved generation: its video and its history entry are gone', async () => {
    const result = await generate();
    assert.ok(result);
    await vscode.commands.executeCommand('hfVideo.deleteVideo', result.jobId);
    assert.ok(!existsSync(result.file));
    assert.ok(!extension.listGenerations().some((record) => record.id === result.jobId));
    assert.ok(!readdirSync(dirname(result.file)).some((name) => name.startsWith(result.jobId)));
  });
});
