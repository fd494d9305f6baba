import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';
import { sidecarPath } from '../../../src/core/jobs/sidecar';
import type { HfVideoApi } from '../../../src/extension';
import { CompareManager } from '../../../src/panel/compareManager';
import { PlayerManager } from '../../../src/panel/playerManager';
import { activateAndSignIn, api, assertVideo, eventually, generation, resetEmulator, submits } from '../helpers';

type Results = Array<{ file: string; jobId: string } | undefined>;

const seedOf = (request: { body?: unknown }) => (request.body as { seed?: number }).seed;
const inputSeedOf = (request: { body?: unknown }) => (request.body as { input: { seed?: number } }).input.seed;
const tabsOf = (viewType: string) => vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(viewType));

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

  it('opens the compare view for the run (not the player), and Save Selected saves each picked video with its sidecar, never over a file', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const results = await vscode.commands.executeCommand<Results>('hfVideo.generateVariations', 'Three kites over the dunes', { seeds: 3 });
    const [first, second, third] = results.map((result) => generation(extension, result!.jobId));
    const group = first.request.variationGroup!;
    const [tab] = await eventually('the compare tab', () => tabsOf(CompareManager.viewType).length === 1 && tabsOf(CompareManager.viewType));
    assert.equal(tab.label, 'Variations: Three kites over the dunes');
    assert.deepEqual(tabsOf(PlayerManager.viewType), [], 'the single player did not open');

    const saved: string[] = [];
    try {
      // What the view's Save Selected runs: a job of another group or an unknown id is left alone.
      const picked = await vscode.commands.executeCommand<string[]>('hfVideo.saveVariations', group, [first.id, third.id, 'not-a-job']);
      saved.push(...picked);
      assert.equal(picked.length, 2);
      const again = await vscode.commands.executeCommand<string[]>('hfVideo.saveVariations', group, [first.id]);
      saved.push(...again);
      assert.equal(new Set(saved).size, 3, `three files, none written over another: ${saved.join(', ')}`);
      for (const file of saved) {
        assertVideo(file);
        assert.ok(existsSync(sidecarPath(file)), `${file} has its sidecar`);
      }
      const seedsSaved = picked.map((file) => (JSON.parse(readFileSync(sidecarPath(file), 'utf8')) as { seed: number }).seed);
      assert.deepEqual(seedsSaved.sort(), [first.seed, third.seed].sort(), 'the sidecars are those of the picked variations');
      assert.deepEqual(generation(extension, second.id).savedFiles, [], 'the unpicked one stays unsaved');
    } finally {
      for (const file of saved.flatMap((video) => [video, sidecarPath(video)])) rmSync(file, { force: true });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('refuses a variation the commands would refuse, sending nothing', async () => {
    const results = await vscode.commands.executeCommand<Results>('hfVideo.generateVariations', 'A kite over the dunes', { providers: ['fal-ai', 'nope'] });
    assert.deepEqual(results, []);
    assert.deepEqual(await submits(), []);
  });
});
