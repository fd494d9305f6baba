import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, WORKSPACE, activateAndSignIn, emulatorRequests, eventually, generate, resetEmulator, settings } from '../helpers';

const manifest = () => vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } } };

describe('what a workspace may set', function () {
  this.timeout(60_000);

  before(activateAndSignIn);

  beforeEach(resetEmulator);

  it('cannot choose who pays, nor send the token elsewhere: only user settings can', async () => {
    // A cloned repository could carry this file.
    const folder = join(WORKSPACE, '.vscode');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'settings.json'), JSON.stringify({ 'hfVideo.billTo': 'evil-org', 'hfVideo.routerUrl': 'http://127.0.0.1:9/steal' }));
    await settings().update('billTo', 'my-org', vscode.ConfigurationTarget.Global);
    try {
      await eventually('VS Code to read the workspace settings', () => settings().inspect<string>('billTo')?.workspaceValue === 'evil-org');
      const result = await generate();
      assert.ok(result, 'generated through the router of the user settings');
      const submit = (await emulatorRequests()).find((request) => request.method === 'POST' && request.path.startsWith('/fal-ai/'));
      assert.ok(submit, 'the submit reached the emulator, the router the user chose');
      assert.equal(submit.headers['x-hf-bill-to'], 'my-org', 'billed to the organization of the user settings');
    } finally {
      rmSync(folder, { recursive: true, force: true });
      await settings().update('billTo', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('bills nobody when only the workspace names an organization', async () => {
    const folder = join(WORKSPACE, '.vscode');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'settings.json'), JSON.stringify({ 'hfVideo.billTo': 'evil-org' }));
    try {
      await eventually('VS Code to read the workspace settings', () => settings().inspect<string>('billTo')?.workspaceValue === 'evil-org');
      assert.ok(await generate());
      const requests = await emulatorRequests();
      assert.ok(requests.length > 0 && requests.every((request) => request.headers['x-hf-bill-to'] === undefined), 'no x-hf-bill-to header');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  for (const [what, key, value] of [
    ['an extra that would send the result to another address', 'extraParameters', { webhook_url: 'https://collector.example/hook' }],
    ['a time-out of weeks', 'timeoutMinutes', 100_000],
    ['a model id that climbs out of its path', 'model', '../Wan-AI'],
  ] as const) {
    it(`refuses ${what} before any request`, async () => {
      const folder = join(WORKSPACE, '.vscode');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'settings.json'), JSON.stringify({ [`hfVideo.${key}`]: value }));
      try {
        await eventually('VS Code to read the workspace settings', () => JSON.stringify(settings().inspect(key)?.workspaceValue) === JSON.stringify(value));
        assert.equal(await generate(), undefined);
        assert.deepEqual(await emulatorRequests(), [], 'nothing reached the emulator');
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  }

  // Running code-server in restricted mode costs a second workbench; VS Code itself enforces this list.
  it('in an untrusted workspace, leaves the model, provider, parameters, presets and time-out to user settings', () => {
    const restricted = manifest().capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of ['routerUrl', 'hubUrl', 'providerUrls', 'billTo', 'model', 'provider', 'extraParameters', 'presets', 'defaultPreset', 'timeoutMinutes']) {
      assert.ok(restricted.includes(`hfVideo.${key}`), `hfVideo.${key} is restricted`);
    }
  });
});
