// With no folder open there is no workspace to save into: Save asks where, and writes exactly there.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, SAMPLE_PROMPT, TEST_TOKEN } from '../vscode/fixtures';
import { waitUntil, workbenchSuite, type Workbench } from './workbench';

describe('Saving with no folder open (packaged extension in the real workbench)', function () {
  const suite = workbenchSuite(this, { name: 'no-folder', emulator: { queueMs: 300, runMs: 600 }, folder: false });
  let workbench: Workbench;
  let target: string;

  before(() => {
    workbench = suite.workbench;
    target = join(suite.cleanup.removeDir(makeTempDir('save-target')), 'my-clip.mp4');
  });

  it('generates from the selection of an untitled editor', async () => {
    await workbench.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await workbench.runCommand('File: New Untitled Text File');
    await workbench.editorLines.waitFor();
    await workbench.page.keyboard.type(SAMPLE_PROMPT);
    await workbench.page.keyboard.press('Control+A');
    await workbench.runCommand('Hugging Face: Generate Video from Selection');
    await workbench.quickInput.waitFor({ timeout: 30_000 });
    await workbench.quickInput.fill(TEST_TOKEN);
    await workbench.page.keyboard.press('Enter');
    await workbench.tab(/^Video: /).waitFor({ timeout: 60_000 });
    await waitUntil('the video to load', () => workbench.playerLoaded(), 60_000);
    await workbench.screenshot('generated-without-folder');
  });

  it('asks where to save and writes the video exactly there', async () => {
    await workbench.webview().locator('button#save').click();
    await workbench.quickInput.waitFor({ timeout: 30_000 });
    await workbench.screenshot('save-dialog');
    await workbench.acceptFileDialog(target, /\.mp4$/);
    await waitUntil(`the video at ${target}`, () => existsSync(target), 30_000);
    assert.equal(readFileSync(target).subarray(4, 8).toString('latin1'), 'ftyp');
    await workbench.screenshot('saved-without-folder');
  });
});
