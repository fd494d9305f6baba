import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { HfVideoError } from '../../../src/core/errors';
import { readSettings } from '../../../src/vscode/settings';
import { EMULATOR, TOKEN, api, emulatorRequests, eventually, generate, resetEmulator, settings, submits } from '../helpers';

const PRESETS = {
  draft: { num_frames: 33, num_inference_steps: 8, negative_prompt: ['blurry', 'watermark'], extra: { aspect_ratio: '9:16' } },
  quality: { num_inference_steps: 50 },
};

/** The body of the one fal-ai submit (fal-ai takes the HF body as it is). */
async function submittedBody(): Promise<Record<string, unknown>> {
  const sent = await submits();
  assert.equal(sent.length, 1, 'one submit');
  return sent[0].body as Record<string, unknown>;
}

describe('presets', function () {
  this.timeout(60_000);

  before(async function () {
    if (!EMULATOR || !TOKEN) this.skip();
    await api();
    await vscode.commands.executeCommand('hfVideo.setToken', TOKEN);
  });

  beforeEach(resetEmulator);

  afterEach(async () => {
    for (const key of ['presets', 'defaultPreset', 'guidanceScale', 'extraParameters', 'numFrames']) {
      await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
      await settings().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('sends the default preset’s values over the settings, with a list of negative prompts as one string', async () => {
    await settings().update('presets', PRESETS, vscode.ConfigurationTarget.Global);
    await settings().update('extraParameters', { resolution: '480p', aspect_ratio: '16:9' }, vscode.ConfigurationTarget.Global);
    await settings().update('defaultPreset', 'draft', vscode.ConfigurationTarget.Global);
    await eventually('the default preset in the configuration', () => settings().get('defaultPreset') === 'draft');
    const result = await generate();
    assert.ok(result, 'generated');
    const body = await submittedBody();
    assert.equal(body.num_frames, 33);
    assert.equal(body.num_inference_steps, 8);
    assert.equal(body.negative_prompt, 'blurry, watermark');
    assert.equal(body.aspect_ratio, '9:16', 'the preset’s extra key wins');
    assert.equal(body.resolution, '480p', 'the settings’ other extra keys stay');
    assert.equal((await api()).listGenerations().find((record) => record.id === result.jobId)?.request.preset, 'draft');
  });

  it('lets a workspace setting override the user’s', async () => {
    await settings().update('guidanceScale', 3, vscode.ConfigurationTarget.Global);
    await settings().update('guidanceScale', 7.5, vscode.ConfigurationTarget.Workspace);
    await eventually('the workspace value in the configuration', () => settings().get('guidanceScale') === 7.5);
    assert.ok(await generate(), 'generated');
    assert.equal((await submittedBody()).guidance_scale, 7.5);
  });

  it('sends nothing when the default preset does not exist', async () => {
    await settings().update('presets', PRESETS, vscode.ConfigurationTarget.Global);
    await settings().update('defaultPreset', 'drafty', vscode.ConfigurationTarget.Global);
    await eventually('the default preset in the configuration', () => settings().get('defaultPreset') === 'drafty');
    assert.equal(await generate(), undefined, 'nothing was started');
    assert.deepEqual(await emulatorRequests(), [], 'no request reached the emulator');
  });

  it('names where a wrong value was written, and opens settings.json at it', async () => {
    const refusal = (message: string, setting: string) => (error: unknown) =>
      error instanceof HfVideoError && error.kind === 'invalidInput' && error.userMessage === message && error.nextStep?.action === 'openSettingsJson' && error.nextStep.setting === setting;
    await settings().update('presets', { ...PRESETS, draft: { num_frames: 5000 } }, vscode.ConfigurationTarget.Global);
    await settings().update('defaultPreset', 'draft', vscode.ConfigurationTarget.Global);
    await eventually('the preset in the configuration', () => settings().get('defaultPreset') === 'draft');
    assert.throws(() => readSettings(), refusal('The preset "draft" (hfVideo.presets) key num_frames must be a whole number from 1 to 1000, not 5000.', 'hfVideo.presets'));
    assert.throws(() => readSettings(undefined, { preset: 'drafty' }), refusal('Unknown preset "drafty"; presets: draft, quality.', 'hfVideo.presets'));
    await settings().update('defaultPreset', 'drafty', vscode.ConfigurationTarget.Global);
    await settings().update('numFrames', 0, vscode.ConfigurationTarget.Global);
    await eventually('the settings in the configuration', () => settings().get('numFrames') === 0);
    assert.throws(() => readSettings(), refusal('Unknown preset "drafty" in hfVideo.defaultPreset; presets: draft, quality.', 'hfVideo.defaultPreset'));
    assert.throws(() => readSettings(undefined, { preset: 'quality' }), refusal('The setting hfVideo.numFrames must be a whole number from 1 to 1000, not 0.', 'hfVideo.numFrames'));
  });
});
