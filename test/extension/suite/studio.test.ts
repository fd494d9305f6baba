// The video studio in the real extension host: its page, "Open in Video Studio", and presets saved from its form.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { studioHtml } from '../../../src/panel/studioHtml';
import { emptyForm, formFromValues, formValues } from '../../../src/shared/studioForm';
import { studioInputFor } from '../../../src/vscode/commands/studioCommands';
import { STUDIO_VIEW_TYPE } from '../../../src/vscode/studio';
import { presetTarget, studioPresets, writePreset } from '../../../src/vscode/studioPresets';
import { api, assertVideo, EMULATOR, eventually, resetEmulator, selectPrompt, settings, TOKEN, WORKSPACE } from '../helpers';

/** The presets a settings.json file holds, read from disk as the user would see it. */
function presetsOnDisk(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  // settings.json may hold comments; VS Code writes this one as plain JSON.
  return (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>)['hfVideo.presets'] ?? {};
}

describe('the video studio', function () {
  this.timeout(60_000);

  afterEach(async () => {
    await settings().update('presets', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('presets', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('renders a page with the player\'s strict CSP: one nonce\'d script of its own and only the extension\'s assets', () => {
    const html = studioHtml({ cspSource: 'https://csp.example', nonce: 'N0nce', asset: (...path) => `https://assets.example/${path.join('/')}` });
    assert.match(html, /content="default-src 'none';[^"]*script-src 'nonce-N0nce'"/);
    assert.deepEqual([...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]), ['<script nonce="N0nce" src="https://assets.example/dist/studio.js">']);
    assert.doesNotMatch(html, /<style|style="/, 'no inline styles');
    for (const id of ['prompt', 'negative_prompt', 'model', 'provider', 'num_frames', 'guidance_scale', 'num_inference_steps', 'seed', 'preset']) {
      assert.match(html, new RegExp(`<label for="${id}">`), `${id} has a label`);
    }
  });

  it('opens from a selection in the studio panel', async () => {
    await api();
    await selectPrompt();
    await vscode.commands.executeCommand('hfVideo.openInStudio');
    const tab = await eventually('the studio tab', () =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((candidate) => candidate.input instanceof vscode.TabInputWebview && candidate.input.viewType.endsWith(STUDIO_VIEW_TYPE)),
    );
    assert.equal(tab.label, 'Video Studio');
    await vscode.window.tabGroups.close(tab);
  });

  it('brings a shot in with the values a run would layer: its file\'s preset, the front matter, its own block', async () => {
    await api();
    await settings().update('presets', { draft: { num_inference_steps: 8, extra: { resolution: '480p', fps: 16 } } }, vscode.ConfigurationTarget.Global);
    const file = join(WORKSPACE, 'studio-shots.video.md');
    writeFileSync(file, ['---', 'preset: draft', 'num_frames: 49', 'extra:', '  resolution: 720p', '---', '', '## Dawn', '', 'The sun rises.', '', '## Dusk', '', '```yaml', 'seed: 3', '```', '', 'The sun sets.', ''].join('\n'));
    try {
      const input = await studioInputFor(vscode.Uri.file(file), 1);
      assert.equal(input?.prompt, 'The sun sets.');
      assert.equal(input?.preset, 'draft');
      assert.deepEqual(input?.values, { num_inference_steps: 8, num_frames: 49, seed: 3, extra: { resolution: '720p', fps: 16 } });
      assert.deepEqual(input?.source, { uri: vscode.Uri.file(file).toString(), kind: 'file', label: 'From studio-shots.video.md, shot "Dusk"', shot: 1 });
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('saves a shot\'s run as the shot\'s Generate would: its file\'s autoSave, folder and ${shot} name, even with the prompt edited', async function () {
    if (!EMULATOR || !TOKEN) this.skip();
    const extension = await api();
    await vscode.commands.executeCommand('hfVideo.setToken', TOKEN);
    await resetEmulator();
    const file = join(WORKSPACE, 'studio-autosave.video.md');
    const folder = join(WORKSPACE, 'videos', 'studio-lighthouse');
    writeFileSync(file, ['---', 'autoSave: true', 'outputFolder: videos/studio-lighthouse', 'fileNameTemplate: ${shot}', '---', '', '## Dawn', '', 'The sun rises.', '', '## Harbour Lights', '', 'Boats come home at night.', ''].join('\n'));
    try {
      const input = (await studioInputFor(vscode.Uri.file(file), 1))!;
      extension.studio().open(input);
      const before = new Set(extension.listGenerations().map((record) => record.id));
      // The user rewrites the prompt in the studio: the run still belongs to the shot it came from.
      await extension.studio().receive({ type: 'generate', form: { ...formFromValues(input.values, input.prompt, input.preset), prompt: 'Boats come home under the lighthouse beam.' } });
      const [saved, sidecarFile] = ['mp4', 'json'].map((extension) => join(folder, `harbour-lights.${extension}`));
      await eventually('the video and its sidecar saved where the shot\'s Generate saves', () => existsSync(sidecarFile));
      const record = extension.listGenerations().find((candidate) => !before.has(candidate.id))!;
      assert.deepEqual(record.savedFiles, [saved]);
      assert.deepEqual(record.request.shot, { name: 'Harbour Lights', index: 2 });
      assertVideo(saved);
      const sidecar = JSON.parse(readFileSync(sidecarFile, 'utf8')) as { request: { prompt: string } };
      assert.equal(sidecar.request.prompt, 'Boats come home under the lighthouse beam.');
    } finally {
      rmSync(file, { force: true });
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('brings a selection in with the default preset\'s values', async () => {
    await api();
    await settings().update('presets', { draft: { num_frames: 33 } }, vscode.ConfigurationTarget.Global);
    await settings().update('defaultPreset', 'draft', vscode.ConfigurationTarget.Global);
    try {
      const editor = await selectPrompt();
      const input = await studioInputFor(editor.document.uri);
      assert.equal(input?.prompt, editor.document.getText(editor.selection));
      assert.equal(input?.preset, 'draft');
      assert.deepEqual(input?.values, { num_frames: 33 });
      assert.equal(input?.source?.kind, 'selection');
    } finally {
      await settings().update('defaultPreset', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('saves the form as a preset in the workspace\'s settings.json, keeps the others, and updates it where it is', async () => {
    await api();
    await settings().update('presets', { quality: { num_inference_steps: 50 } }, vscode.ConfigurationTarget.Workspace);
    const form = { ...emptyForm('A fox'), numbers: { num_frames: '49', guidance_scale: '', num_inference_steps: '' }, seed: '7', seedMode: 'lock' as const, extras: [{ key: 'resolution', value: '720p' }] };
    await writePreset('studio draft', formValues(form), 'workspace');
    const file = join(WORKSPACE, '.vscode', 'settings.json');
    assert.deepEqual(presetsOnDisk(file), { quality: { num_inference_steps: 50 }, 'studio draft': { provider: 'auto', num_frames: 49, seed: 7, extra: { resolution: '720p' } } });
    assert.equal(presetTarget('studio draft'), 'workspace');
    await writePreset('studio draft', formValues({ ...form, numbers: { ...form.numbers, num_frames: '81' } }), presetTarget('studio draft')!);
    assert.equal((presetsOnDisk(file)['studio draft'] as Record<string, unknown>).num_frames, 81);
    assert.deepEqual(
      studioPresets().map((preset) => preset.name),
      ['quality', 'studio draft'],
    );
  });

  it('saves a preset in the user\'s settings, where the workspace cannot change it', async () => {
    await api();
    await writePreset('mine', formValues({ ...emptyForm(), model: 'genmo/mochi-1-preview' }), 'user');
    assert.equal(presetTarget('mine'), 'user');
    assert.deepEqual(settings().inspect<Record<string, unknown>>('presets')?.globalValue, { mine: { model: 'genmo/mochi-1-preview', provider: 'auto' } });
  });
});
