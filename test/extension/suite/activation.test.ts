import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

import { EXTENSION_ID } from '../helpers';

/** Every command the manifest contributes must be registered. */
const COMMANDS = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.commands as Array<{ command: string }> | undefined)?.map(({ command }) => command) ?? [];

describe('activation', () => {
  it('is installed', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is not among the extensions`);
  });

  it('activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every command it contributes', async () => {
    assert.ok(COMMANDS.length > 10);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      COMMANDS.filter((command) => !registered.has(command)),
      [],
      'commands missing after activation',
    );
  });
});
