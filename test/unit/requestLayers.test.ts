import * as assert from 'node:assert/strict';
import { presetLayer, presetNames } from '../../src/core/presets';
import { resolveRequest, type LayerProblem, type RequestLayer, type ResolvedRequest } from '../../src/core/requestLayers';

const settings = (values: Record<string, unknown>): RequestLayer => ({ origin: { kind: 'settings' }, values });
const preset = (name: string, values: Record<string, unknown>): RequestLayer => ({ origin: { kind: 'preset', name }, values });
const frontMatter = (values: Record<string, unknown>): RequestLayer => ({ origin: { kind: 'frontMatter', file: 'fox.video.md' }, values });
const shot = (values: Record<string, unknown>): RequestLayer => ({ origin: { kind: 'shot', file: 'fox.video.md', shot: 'two' }, values });
const run = (values: Record<string, unknown>): RequestLayer => ({ origin: { kind: 'run' }, values });

function resolved(layers: RequestLayer[]): ResolvedRequest {
  const resolution = resolveRequest(layers);
  assert.ok(resolution.ok, JSON.stringify(!resolution.ok && resolution.problems));
  return resolution.request;
}

function problems(layers: RequestLayer[]): LayerProblem[] {
  const resolution = resolveRequest(layers);
  assert.ok(!resolution.ok, 'refused');
  return resolution.problems;
}

describe('request layers', () => {
  it('falls back to the table defaults and leaves unset task parameters to the model', () => {
    assert.deepEqual(resolved([settings({ num_frames: null, negative_prompt: '', seed: undefined, extra: {} })]), {
      model: 'Wan-AI/Wan2.1-T2V-14B',
      provider: 'auto',
      parameters: {},
      extra: {},
      outputFolder: 'videos',
      fileNameTemplate: '${date}-${prompt}',
    });
  });

  it('lets each later layer override: settings < preset < front matter < shot < run', () => {
    const request = resolved([
      settings({ model: 'Wan-AI/Wan2.1-T2V-14B', num_frames: 81, seed: 1, guidance_scale: 5, negative_prompt: 'blurry', outputFolder: 'clips' }),
      preset('draft', { num_frames: 33, num_inference_steps: 10, seed: 2, provider: 'fal-ai' }),
      frontMatter({ seed: 3, model: 'Lightricks/LTX-Video' }),
      shot({ seed: 4, negative_prompt: ['text', 'watermark'] }),
      run({ provider: 'replicate' }),
    ]);
    assert.deepEqual(request, {
      model: 'Lightricks/LTX-Video',
      provider: 'replicate',
      parameters: { num_frames: 33, guidance_scale: 5, negative_prompt: ['text', 'watermark'], num_inference_steps: 10, seed: 4 },
      extra: {},
      outputFolder: 'clips',
      fileNameTemplate: '${date}-${prompt}',
      preset: 'draft',
    });
  });

  it('merges extra key by key; null removes a key and "" clears an earlier value', () => {
    const request = resolved([
      settings({ extra: { resolution: '480p', frames_per_second: 16 }, negative_prompt: 'blurry' }),
      preset('vertical', { extra: { aspect_ratio: '9:16', resolution: '720p' } }),
      shot({ extra: { frames_per_second: null }, negative_prompt: '' }),
    ]);
    assert.deepEqual(request.extra, { resolution: '720p', aspect_ratio: '9:16' });
    assert.equal(request.parameters.negative_prompt, undefined);
  });

  it('reports every problem of every layer, each with its origin', () => {
    const found = problems([
      settings({ num_frames: 0, provider: 'nowhere' }),
      preset('draft', { num_frames: 5000, timeoutMinutes: 5, frames: 3 }),
      shot({ negative_prompt: ['ok', 7] }),
    ]);
    assert.deepEqual(
      found.map(({ origin, field, problem }) => [origin.kind, field, problem]),
      [
        ['settings', 'num_frames', 'must be a whole number from 1 to 1000, not 0'],
        ['settings', 'provider', 'must be auto or one of fal-ai, replicate, novita, wavespeed, together, not "nowhere"'],
        ['preset', 'num_frames', 'must be a whole number from 1 to 1000, not 5000'],
        ['preset', 'timeoutMinutes', found[3].problem],
        ['preset', 'frames', found[4].problem],
        ['shot', 'negative_prompt', 'must be text or a list of texts, not ["ok",7]'],
      ],
    );
    assert.match(found[3].problem, /is not a key here; the keys are model, provider, num_frames/, 'a setting-only field is not a preset key');
  });

  it('refuses settings a workspace could abuse: timeouts, extras named like parameters, reserved or webhook keys, model paths', () => {
    const found = problems([
      settings({ timeoutMinutes: 10_000, extra: { num_frames: 5000, prompt: 'x', webhook: 'https://evil.example' } }),
      preset('p', { extra: { fal_webhook: 'a', callback_url: 'b', webhook_url: 'c', seed: -1, version: 'v' }, model: '../../etc' }),
      frontMatter({ model: 'owner/..' }),
    ]);
    assert.deepEqual(
      found.map(({ origin, field }) => `${origin.kind} ${field}`),
      ['settings timeoutMinutes', 'settings extra.num_frames', 'settings extra.prompt', 'settings extra.webhook', 'preset extra.fal_webhook', 'preset extra.callback_url', 'preset extra.webhook_url', 'preset extra.seed', 'preset extra.version', 'preset model', 'frontMatter model'],
    );
    assert.match(found[3].problem, /would send the result somewhere else/);
    assert.match(found[2].problem, /filled in by the extension/);
    assert.deepEqual(resolved([settings({ timeoutMinutes: 240, extra: { num_frames: 81 } })]).extra, { num_frames: 81 }, 'in range is fine');
  });

  it('says when a layer is not an object of keys', () => {
    assert.deepEqual(problems([preset('broken', 'fast' as unknown as Record<string, unknown>)]).map((problem) => problem.problem), ['must be an object of keys']);
  });
});

describe('presets', () => {
  const presets = { draft: { num_inference_steps: 10 }, quality: { num_inference_steps: 50 } };

  it('finds a preset by name as a layer, and lists the names', () => {
    assert.deepEqual(presetLayer(presets, 'draft'), { origin: { kind: 'preset', name: 'draft' }, values: { num_inference_steps: 10 } });
    assert.deepEqual(presetNames(presets), ['draft', 'quality']);
  });

  it('knows no preset that is not there, nor one inherited from Object', () => {
    assert.equal(presetLayer(presets, 'drafty'), undefined);
    assert.equal(presetLayer(presets, 'toString'), undefined);
    assert.equal(presetLayer(undefined, 'draft'), undefined);
    assert.deepEqual(presetNames(['draft']), []);
  });
});
