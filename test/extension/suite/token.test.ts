import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Account } from '../../../src/core/account';
import { EMULATOR, EXTENSION_ID, READ_ONLY_TOKEN, TOKEN, assertVideo, emulatorRequests, generate, resetEmulator } from '../helpers';

describe('the access token', function () {
  this.timeout(60_000);

  before(async function () {
    if (!EMULATOR || !TOKEN) this.skip();
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  beforeEach(resetEmulator);

  it('is checked with the Hub before it is stored, which names the account', async () => {
    const account = await vscode.commands.executeCommand<Account>('hfVideo.setToken', TOKEN);
    assert.equal(account.name, 'emulator-user');
    const whoami = (await emulatorRequests()).filter((request) => request.path === '/api/whoami-v2');
    assert.equal(whoami.length, 1, 'asked the Hub once');
    assert.equal(whoami[0].headers.authorization, 'Bearer [redacted]');
  });

  it('is not stored when the Hub refuses it: the token stored before still generates', async () => {
    await vscode.commands.executeCommand('hfVideo.setToken', TOKEN);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('hfVideo.setToken', 'hf_notAcceptedByTheEmulator')), /access token was refused/);
    const result = await generate();
    assert.ok(result, 'generated with the token stored before');
    assertVideo(result.file);
  });

  it('refuses a token or a key holding a zero-width space, naming it', async () => {
    const pasted = `${TOKEN.slice(0, 6)}\u200b${TOKEN.slice(6)}`;
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('hfVideo.setToken', pasted)), /zero-width space \(U\+200B\)/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('hfVideo.setProviderKey', 'replicate', 'r8_caf\u00e9Key')), /"é" \(U\+00E9\).*plain ASCII/);
    assert.deepEqual(await emulatorRequests(), [], 'nothing was sent anywhere');
  });

  it('Show Sign-in Status names the account and the providers with a key, never a secret', async () => {
    await vscode.commands.executeCommand('hfVideo.setToken', TOKEN);
    await vscode.commands.executeCommand('hfVideo.setProviderKey', 'replicate', 'r8_emulator_key');
    try {
      const status = await vscode.commands.executeCommand<string>('hfVideo.showSignInStatus');
      assert.match(status, /^Signed in to Hugging Face as emulator-user with the token "emulator inference token"\. Provider keys are stored for replicate\.$/);
      assert.ok(!status.includes('r8_emulator_key') && !status.includes(TOKEN));
    } finally {
      await vscode.commands.executeCommand('hfVideo.clearProviderKey', 'replicate');
    }
  });

  it('a token the Hub accepts but the router refuses is stored, and Show Sign-in Status still names its account', async function () {
    if (!READ_ONLY_TOKEN) this.skip();
    try {
      await vscode.commands.executeCommand('hfVideo.setToken', READ_ONLY_TOKEN);
      assert.match(await vscode.commands.executeCommand<string>('hfVideo.showSignInStatus'), /emulator read token.*No provider keys are stored\./);
    } finally {
      await vscode.commands.executeCommand('hfVideo.setToken', TOKEN);
    }
  });
});
