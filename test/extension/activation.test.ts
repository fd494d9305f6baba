import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'hf-video-tools.hf-text-to-video';
const COMMANDS = [
  'hfVideo.generateFromSelection',
  'hfVideo.setToken',
  'hfVideo.clearToken',
  'hfVideo.saveVideo',
  'hfVideo.showLog',
];

describe('activation', () => {
  it('is installed', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is not among the extensions`);
  });

  it('activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers its commands', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      COMMANDS.filter((command) => !registered.has(command)),
      [],
      'commands missing after activation',
    );
  });
});
