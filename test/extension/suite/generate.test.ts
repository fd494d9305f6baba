import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EMULATOR, READ_ONLY_TOKEN, TOKEN, WORKSPACE, activateAndSignIn, assertVideo, emulatorRequests, eventually, generate, resetEmulator, selectPrompt, settings } from '../helpers';

/** The player's tab; the workbench adds it shortly after the panel is created, so wait for it. */
function playerTab(): Promise<vscode.Tab> {
  return eventually('the player tab', () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.label.startsWith('Video: ')));
}

describe('generating from a selection', function () {
  this.timeout(60_000);

  before(activateAndSignIn);

  beforeEach(resetEmulator);

  afterEach(async () => {
    await settings().update('provider', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('model', undefined, vscode.ConfigurationTarget.Global);
  });

  it('turns the selected text into a playable MP4 in the player, then saves it into videos/', async () => {
    const result = await generate();
    assert.ok(result, 'the command returned the generated file');
    assertVideo(result.file);
    assert.ok(await playerTab(), 'the player panel is open');

    const submit = (await emulatorRequests()).find((request) => request.method === 'POST' && request.path.startsWith('/fal-ai/'));
    assert.ok(submit, 'auto chose fal-ai, the first live provider of the default model');
    assert.match(submit.headers['user-agent'], /^hf-text-to-video-vscode\/\d+\.\d+\.\d+ \(VS Code 1\.\d+/);

    const saved = await vscode.commands.executeCommand<string>('hfVideo.saveVideo');
    assert.ok(saved?.startsWith(join(WORKSPACE, 'videos')), `saved inside the workspace: ${saved}`);
    assertVideo(saved);
    const again = await vscode.commands.executeCommand<string>('hfVideo.saveVideo');
    assert.notEqual(again, saved, 'a second save never overwrites the first');
    assert.deepEqual(readFileSync(again), readFileSync(saved));
    assert.ok(readdirSync(join(WORKSPACE, 'videos')).every((name) => /\.(mp4|json)$/.test(name)), 'videos, their sidecars, and no partial files in videos/');
  });

  for (const [provider, model] of [
    ['replicate', 'Wan-AI/Wan2.1-T2V-14B'],
    ['novita', 'Wan-AI/Wan2.1-T2V-14B'],
    ['wavespeed', 'Wan-AI/Wan2.1-T2V-14B'],
    ['together', 'Wan-AI/Wan2.2-T2V-A14B'],
    ['fal-ai', 'Lightricks/LTX-Video'],
  ] as const) {
    it(`generates through ${provider} when the settings name it`, async () => {
      await settings().update('provider', provider, vscode.ConfigurationTarget.Global);
      await settings().update('model', model, vscode.ConfigurationTarget.Global);
      const result = await generate();
      assert.ok(result, `${provider} produced a video`);
      assertVideo(result.file);
      const requests = await emulatorRequests();
      assert.ok(requests.some((request) => request.method === 'POST' && request.path.startsWith(`/${provider}/`)), `submitted to /${provider}/`);
    });
  }

  it('goes straight to a provider with its own key, which never reaches the router', async () => {
    await settings().update('provider', 'replicate', vscode.ConfigurationTarget.Global);
    await settings().update('providerUrls', { replicate: `${EMULATOR}/direct/replicate` }, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('hfVideo.setProviderKey', 'replicate', 'r8_emulator_key');
    try {
      const result = await generate();
      assert.ok(result, 'the provider key produced a video');
      assertVideo(result.file);
      const requests = await emulatorRequests();
      const submit = requests.find((request) => request.method === 'POST' && request.path.startsWith('/direct/replicate/'));
      assert.ok(submit, 'submitted to the provider host');
      assert.equal(submit.headers.authorization, 'Bearer [redacted]');
      assert.ok(!requests.some((request) => request.path.startsWith('/replicate/')), 'nothing went through the router');
    } finally {
      await vscode.commands.executeCommand('hfVideo.clearProviderKey', 'replicate');
      await settings().update('providerUrls', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('ignores a workspace that tries to send the token elsewhere', async () => {
    // A cloned repository could carry this file; the token must still only go where the user said.
    const folder = join(WORKSPACE, '.vscode');
    mkdirSync(folder, { recursive: true });
    const hostile = { 'hfVideo.routerUrl': 'http://127.0.0.1:9/steal', 'hfVideo.hubUrl': 'http://127.0.0.1:9/steal', 'hfVideo.providerUrls': { 'fal-ai': 'http://127.0.0.1:9/steal' }, 'hfVideo.waitForModel': false };
    writeFileSync(join(folder, 'settings.json'), JSON.stringify(hostile));
    try {
      // The generation must run with the hostile file in effect; the URL settings never show as workspace
      // values (they are user-only), so a harmless setting of the same file tells when VS Code has read it.
      await eventually('the workspace settings to be read', () => settings().inspect('waitForModel')?.workspaceValue === false);
      const result = await generate();
      assert.ok(result, 'generated through the user-configured router');
      assert.ok((await emulatorRequests()).some((request) => request.method === 'POST' && request.path.startsWith('/fal-ai/')));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('sends nothing for an empty selection', async () => {
    const editor = await selectPrompt();
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const result = await vscode.commands.executeCommand('hfVideo.generateFromSelection');
    assert.equal(result, undefined);
    assert.deepEqual(await emulatorRequests(), []);
  });

  it('reports a token the router refuses without leaving a file', async () => {
    const before = existsSync(join(WORKSPACE, 'videos')) ? readdirSync(join(WORKSPACE, 'videos')).length : 0;
    // The Hub accepts this token, so it is stored; the router refuses it for lack of the Inference Providers permission.
    await vscode.commands.executeCommand('hfVideo.setToken', READ_ONLY_TOKEN);
    try {
      assert.equal(await generate(), undefined);
      const requests = await emulatorRequests();
      assert.ok(requests.length > 0 && requests.every((request) => !JSON.stringify(request).includes(READ_ONLY_TOKEN)), 'the token never appears in what the server recorded');
    } finally {
      await vscode.commands.executeCommand('hfVideo.setToken', TOKEN);
    }
    const after = existsSync(join(WORKSPACE, 'videos')) ? readdirSync(join(WORKSPACE, 'videos')).length : 0;
    assert.equal(after, before);
  });

  it('keeps the token in secret storage, never in settings', async () => {
    const inspected = JSON.stringify(vscode.workspace.getConfiguration().inspect('hfVideo'));
    assert.ok(!inspected.includes(TOKEN));
  });
});
