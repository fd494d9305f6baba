import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HfVideoApi } from '../../../src/extension';
import { EXTENSION_ID } from '../helpers';

/** What activation may load; the network code and the prompt-file parser wait for their first use. */
const ACTIVATION_BUDGET_BYTES = 100 * 1024;

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

  it('loads only its activation bundle, within the budget', async () => {
    const { activation } = await vscode.extensions.getExtension<HfVideoApi>(EXTENSION_ID)!.activate();
    assert.deepEqual(activation.loadedFiles.map(({ file }) => file), [join('dist', 'extension.js')]);
    const bytes = activation.loadedFiles.reduce((sum, { bytes }) => sum + bytes, 0);
    assert.ok(bytes < ACTIVATION_BUDGET_BYTES, `activation loaded ${bytes} bytes, over ${ACTIVATION_BUDGET_BYTES}`);
  });
});
