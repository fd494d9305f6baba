import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SAMPLE_PROMPT_FILE_NAME } from '../../../src/vscode/commands/generateCommands';
import { EXTENSION_ID, WORKSPACE } from '../helpers';

interface WalkthroughStep {
  id: string;
  description: string;
  media: { image: string };
  completionEvents?: string[];
}

/** The commands a step's description links to and its completion events wait for. */
function commandsOf(step: WalkthroughStep): string[] {
  const linked = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((match) => match[1]);
  const awaited = (step.completionEvents ?? []).filter((event) => event.startsWith('onCommand:')).map((event) => event.slice('onCommand:'.length));
  return [...linked, ...awaited];
}

describe('walkthrough', () => {
  const extension = () => vscode.extensions.getExtension(EXTENSION_ID)!;
  const sampleInWorkspace = join(WORKSPACE, SAMPLE_PROMPT_FILE_NAME);

  before(async () => {
    await extension().activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(sampleInWorkspace, { force: true });
  });

  it('shows images that ship and links to registered commands', async () => {
    const steps = (extension().packageJSON.contributes.walkthroughs as Array<{ steps: WalkthroughStep[] }>).flatMap((walkthrough) => walkthrough.steps);
    assert.ok(steps.length >= 4);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of steps) {
      assert.ok(existsSync(join(extension().extensionPath, step.media.image)), `${step.id}: ${step.media.image} exists`);
      const commands = commandsOf(step);
      assert.ok(commands.length > 0, `${step.id} has a button`);
      for (const command of commands) assert.ok(registered.has(command), `${step.id}: ${command} is registered`);
    }
  });

  it('copies the sample prompt file into the workspace once and never overwrites it', async () => {
    rmSync(sampleInWorkspace, { force: true });
    const opened = await vscode.commands.executeCommand<vscode.Uri>('hfVideo.openSamplePromptFile');
    assert.equal(opened.fsPath, sampleInWorkspace);
    const bundled = readFileSync(join(extension().extensionPath, 'media', 'sample.video.md'), 'utf8');
    assert.equal(readFileSync(sampleInWorkspace, 'utf8'), bundled);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, sampleInWorkspace, 'opened');

    writeFileSync(sampleInWorkspace, 'my own prompt');
    await vscode.commands.executeCommand('hfVideo.openSamplePromptFile');
    assert.equal(readFileSync(sampleInWorkspace, 'utf8'), 'my own prompt');
  });
});
