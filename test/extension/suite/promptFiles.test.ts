import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EMULATOR, EXTENSION_ID, TOKEN, WORKSPACE, api, assertVideo, eventually, resetEmulator, settings, submits } from '../helpers';

const SAMPLE = 'lighthouse.video.md';
const bodyOf = (request: { body?: unknown }) => request.body as Record<string, unknown>;

describe('prompt files and presets', function () {
  this.timeout(90_000);
  let sample: vscode.Uri;

  before(async function () {
    if (!EMULATOR || !TOKEN) this.skip();
    await api();
    await vscode.commands.executeCommand('hfVideo.setToken', TOKEN);
    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    copyFileSync(join(extensionPath, 'media', 'sample.video.md'), join(WORKSPACE, SAMPLE));
    sample = vscode.Uri.file(join(WORKSPACE, SAMPLE));
  });

  beforeEach(resetEmulator);

  afterEach(async () => {
    for (const key of ['presets', 'defaultPreset']) await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  after(() => rmSync(join(WORKSPACE, SAMPLE), { force: true }));

  it('generates every shot of a prompt file as its own job, with the front matter and each shot’s block applied', async () => {
    const results = await vscode.commands.executeCommand<Array<{ file: string } | undefined>>('hfVideo.generateFromFile', sample);
    assert.equal(results?.length, 3);
    results.forEach((result) => assertVideo(result!.file));
    const bodies = (await submits()).map(bodyOf).sort((a, b) => String(a.prompt).localeCompare(String(b.prompt)));
    assert.equal(bodies.length, 3, 'one submit per shot');
    for (const body of bodies) {
      assert.equal(body.num_frames, 81);
      assert.equal(body.negative_prompt, 'blurry, watermark, text overlay, distorted faces', 'a list of negative prompts is sent as one string');
      assert.doesNotMatch(String(body.prompt), /Note for the writer|Last Lighthouse Keeper/, 'no comment and no title in a prompt');
    }
    const keeper = bodies.find((body) => String(body.prompt).startsWith('Inside the lamp room'));
    assert.equal(keeper?.seed, 4242, 'the shot’s own block wins');
    assert.equal(keeper?.guidance_scale, 6.5);
    assert.ok(bodies.filter((body) => body !== keeper).every((body) => body.seed === 1207 && body.guidance_scale === 5));
  });

  it('generates one shot from its CodeLens', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', sample);
    assert.deepEqual(
      lenses.map((lens) => lens.command?.title),
      ['$(play) Generate All (3)', ...['Opening', 'The keeper', 'Dawn'].flatMap((shot) => [`$(play) Generate "${shot}"`, '$(layers) Variations…', '$(edit) Open in Studio'])],
    );
    const dawn = lensTitled(lenses, '$(play) Generate "Dawn"');
    const result = await vscode.commands.executeCommand<{ file: string; jobId: string }>(dawn.command, ...(dawn.arguments ?? []));
    assert.ok(result);
    const [submit] = await submits();
    assert.match(String(bodyOf(submit).prompt), /^The storm has passed/);
    assert.equal((await submits()).length, 1);
    const record = (await api()).listGenerations().find((candidate) => candidate.id === result.jobId)!;
    assert.deepEqual(record.request.shot, { name: 'Dawn', index: 3 });
  });

  it('makes variations of one shot from its CodeLens, with the shot’s values', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', sample);
    // The Variations… lens of the Dawn shot: the one right after its Generate lens.
    const variations = lenses[lenses.findIndex((lens) => lens.command?.title === '$(play) Generate "Dawn"') + 1].command!;
    assert.equal(variations.title, '$(layers) Variations…');
    // What a user picks in the quick pick (two seeds), passed as a script does.
    const results = await vscode.commands.executeCommand<Array<{ jobId: string } | undefined>>(variations.command, ...(variations.arguments ?? []), { seeds: 2 });
    assert.equal(results.length, 2);
    const bodies = (await submits()).map(bodyOf);
    assert.ok(bodies.every((body) => /^The storm has passed/.test(String(body.prompt))), 'both are the Dawn shot');
    assert.notEqual(bodies[0].seed, bodies[1].seed);
    const history = (await api()).listGenerations();
    const records = results.map((result) => history.find((candidate) => candidate.id === result!.jobId)!);
    assert.deepEqual(records.map((record) => record.request.shot), [{ name: 'Dawn', index: 3 }, { name: 'Dawn', index: 3 }]);
    assert.equal(records[0].request.variationGroup, records[1].request.variationGroup);
  });

  it('saves a shot under its file name template, with ${shot} and ${index}, when the front matter says autoSave', async () => {
    const file = vscode.Uri.file(join(WORKSPACE, 'autosave.video.md'));
    writeFileSync(file.fsPath, '---\nautoSave: true\nfileNameTemplate: shots/${index}-${shot}\n---\n## Wide view\nA misty pine forest at dawn.\n');
    try {
      await vscode.commands.executeCommand('hfVideo.generateShot', file, 0);
      const saved = join(WORKSPACE, 'videos', 'shots', '1-wide-view.mp4');
      await eventually('the shot saved by its template', () => existsSync(saved));
      assertVideo(saved);
    } finally {
      rmSync(file.fsPath, { force: true });
    }
  });

  it('shows mistakes as diagnostics while typing, and refuses to run the file', async () => {
    const file = vscode.Uri.file(join(WORKSPACE, 'broken.video.md'));
    writeFileSync(file.fsPath, '---\nnum_frames: 5000\nnm_steps: 3\n---\nA paper boat on a rain puddle.\n');
    try {
      await vscode.window.showTextDocument(file);
      const diagnostics = await eventually('the diagnostics', () => vscode.languages.getDiagnostics(file).length >= 2 && vscode.languages.getDiagnostics(file));
      const lines = diagnostics.map((diagnostic) => diagnostic.range.start.line).sort();
      assert.deepEqual(lines, [1, 2]);
      assert.ok(diagnostics.some((diagnostic) => /num_frames.*1 to 1000.*5000/.test(diagnostic.message)));
      const result = await vscode.commands.executeCommand('hfVideo.generateFromFile', file);
      assert.equal(result, undefined);
      assert.deepEqual(await submits(), [], 'nothing was sent');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(file.fsPath, { force: true });
    }
  });

  it('completes front-matter keys, preset names and providers', async () => {
    await settings().update('presets', { draft: { num_inference_steps: 8 }, quality: { num_inference_steps: 50 } }, vscode.ConfigurationTarget.Global);
    const file = vscode.Uri.file(join(WORKSPACE, 'complete.video.md'));
    writeFileSync(file.fsPath, '---\n\npreset: \nprovider: \n---\nA kite over a beach.\n');
    try {
      const labels = async (line: number, character: number) =>
        (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', file, new vscode.Position(line, character))).items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
      assert.ok((await labels(1, 0)).includes('num_frames'));
      const presets = await labels(2, 8);
      assert.ok(presets.includes('draft') && presets.includes('quality'));
      assert.ok((await labels(3, 10)).includes('replicate'));
    } finally {
      rmSync(file.fsPath, { force: true });
    }
  });

  it('runs a prompt file with the preset its front matter names, and Generate Video with Preset… with the one picked', async () => {
    await settings().update('presets', { draft: { num_inference_steps: 8, extra: { resolution: '480p' } } }, vscode.ConfigurationTarget.Global);
    const file = vscode.Uri.file(join(WORKSPACE, 'draft.video.md'));
    writeFileSync(file.fsPath, '---\npreset: draft\nnum_frames: 17\n---\nA red balloon drifting over rooftops.\n');
    try {
      await vscode.commands.executeCommand('hfVideo.generateFromFile', file);
      const [fromFile] = (await submits()).map(bodyOf);
      assert.equal(fromFile.num_inference_steps, 8);
      assert.equal(fromFile.resolution, '480p');
      assert.equal(fromFile.num_frames, 17, 'the front matter overrides the preset');
      await resetEmulator();
      await vscode.window.showTextDocument(file, { selection: new vscode.Range(4, 0, 4, 10) });
      await vscode.commands.executeCommand('hfVideo.generateWithPreset', 'draft');
      const [picked] = (await submits()).map(bodyOf);
      assert.equal(picked.prompt, 'A red ball');
      assert.equal(picked.num_inference_steps, 8);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(file.fsPath, { force: true });
    }
  });
});

function lensTitled(lenses: vscode.CodeLens[], title: string): vscode.Command {
  const lens = lenses.find((candidate) => candidate.command?.title === title);
  assert.ok(lens, `no CodeLens titled ${title}`);
  return lens.command!;
}
