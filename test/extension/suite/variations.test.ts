import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HfVideoApi } from '../../../src/extension';
import { activateAndSignIn, api, assertVideo, generation, resetEmulator, submits } from '../helpers';

type Results = Array<{ file: string; jobId: string } | undefined>;

const seedOf = (request: { body?: unknown }) => (request.body as { seed?: number }).seed;
const inputSeedOf = (request: { body?: unknown }) => (request.body as { input: { seed?: number } }).input.seed;

describe('variations', function () {
  this.timeout(60_000);
  let extension: HfVideoApi;

  before(activateAndSignIn);
  before(async () => {
    extension = await api();
  });

  beforeEach(resetEmulator);

  it('makes one prompt with three seeds: three jobs of one group, each with its own seed', async () => {
    const results = await vscode.commands.executeCommand<Results>('hfVideo.generateVariations', 'A kite over the dunes', { seeds: 3 });
    assert.equal(results.length, 3);
    const records = results.map((result) => {
      assert.ok(result, 'every variation produced a video');
      assertVideo(result.file);
      return generation(extension, result.jobId);
    });
    assert.equal(new Set(records.map((record) => record.request.variationGroup)).size, 1, 'one group');
    assert.ok(records[0].request.variationGroup);
    const seeds = (await submits()).map(seedOf);
    assert.equal(new Set(seeds).size, 3, `three different seeds: ${seeds.join(', ')}`);
    assert.deepEqual(records.map((record) => record.request.variationLabel).sort(), seeds.map((seed) => `seed ${seed}`).sort());
  });

  it('makes one prompt with two providers and the same seed, so only the provider differs', async () => {
    const results = await vscode.commands.executeCommand<Results>('hfVideo.generateVariations', 'A kite over the dunes', { providers: ['fal-ai', 'replicate'] });
    assert.ok(results.every(Boolean), 'both produced a video');
    const [fal] = await submits('fal-ai');
    const [replicate] = await submits('replicate');
    assert.ok(fal && replicate, 'one job at each provider');
    assert.equal(seedOf(fal), inputSeedOf(replicate));
    const groups = results.map((result) => generation(extension, result!.jobId).request.variationGroup);
    assert.equal(groups[0], groups[1]);
  });

  it('refuses a variation the commands would refuse, sending nothing', async () => {
    const results = await vscode.commands.executeCommand<Results>('hfVideo.generateVariations', 'A kite over the dunes', { providers: ['fal-ai', 'nope'] });
    assert.deepEqual(results, []);
    assert.deepEqual(await submits(), []);
  });
});
