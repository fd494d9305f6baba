// With no folder open there is no workspace to save into: Save asks where, and writes exactly there.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../emulator/server';
import { REPO_ROOT, SCREENSHOTS } from '../testOutput';
import { launchChromium, startCodeServer, workbenchUrl } from '../vscode/codeServer';
import { Cleanup, emulatorSettings, makeTempDir, SAMPLE_PROMPT, TEST_TOKEN } from '../vscode/fixtures';
import { waitUntil, Workbench } from './workbench';

const VSIX = join(REPO_ROOT, 'hf-text-to-video.vsix');

describe('Saving with no folder open (packaged extension in the real workbench)', function () {
  this.timeout(120_000);
  this.bail(true);

  const cleanup = new Cleanup();
  let workbench: Workbench;
  let target: string;

  before(async function () {
    this.timeout(300_000);
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run \`npm run package\` first`);
    const emulator = await startEmulator({ port: 0, tokens: [TEST_TOKEN], queueMs: 300, runMs: 600 });
    cleanup.add(() => emulator.close());
    target = join(cleanup.removeDir(makeTempDir('save-target')), 'my-clip.mp4');
    const server = await startCodeServer({ settings: emulatorSettings(emulator.url), installExtension: VSIX, logFile: 'ui-no-folder-code-server.log' });
    cleanup.add(() => server.stop());
    const browser = await launchChromium({ logFile: 'ui-no-folder-browser.log' });
    cleanup.add(() => browser.close());
    workbench = new Workbench(browser.page, join(SCREENSHOTS, 'no-folder'));
    rmSync(join(SCREENSHOTS, 'no-folder'), { recursive: true, force: true });
    await browser.page.goto(workbenchUrl(server, {}));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) await workbench.screenshot('failure').catch(() => undefined);
  });

  after(() => cleanup.run());

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
    const player = workbench.webview().locator('video#player');
    await waitUntil('the video to load', () => player.evaluate((video: HTMLVideoElement) => video.readyState >= 2 && video.duration > 0), 60_000);
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
