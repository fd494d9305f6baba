// End to end, as a user: the packaged .vsix installed into a real VS Code (code-server), the workbench
// driven in Chromium, the extension talking to the emulator. Screenshots: test-output/screenshots/.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Emulator } from '../emulator/types';
import { SAMPLE_PROMPT, TEST_TOKEN } from '../vscode/fixtures';
import { videoStorage, waitUntil, workbenchSuite, type Workbench } from './workbench';

const GENERATE = 'Generate Video from Selection';

/** The .mp4 files saved under `<workspace>/videos/`. */
function savedVideos(workspace: string): string[] {
  const dir = join(workspace, 'videos');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.mp4')).map((name) => join(dir, name)) : [];
}

describe('Generate a video from a selection (packaged extension in the real workbench)', function () {
  const suite = workbenchSuite(this, { emulator: { queueMs: 1_000, runMs: 2_000 } });
  let workbench: Workbench;
  let workspace: string;
  let emulator: Emulator;
  before(() => {
    ({ workbench, workspace, emulator } = suite);
  });

  const emulatorRequests = () => emulator.requests.map((request) => `${request.method} ${request.path}`);
  /** Every file in the extension's storage, not only finished .mp4s: a cancelled job must leave no partial one either. */
  const generatedVideos = () => {
    const storage = videoStorage(suite.server);
    return existsSync(storage) ? readdirSync(storage) : [];
  };

  it('opens the workspace in the workbench', async () => {
    await workbench.waitForWorkspace();
    await workbench.explorerItem('prompt.txt').waitFor();
    await workbench.screenshot('workbench');
  });

  it('opens prompt.txt from the explorer', async () => {
    await workbench.openFromExplorer('prompt.txt');
    await waitUntil('the prompt in the editor', async () => (await workbench.editorText()).includes(SAMPLE_PROMPT));
    await workbench.screenshot('prompt-open');
  });

  it('selects the prompt', async () => {
    await workbench.selectAllInEditor();
    await workbench.screenshot('prompt-selected');
  });

  it(`offers "${GENERATE}" in the editor context menu`, async () => {
    const item = await workbench.openEditorContextMenu(GENERATE);
    await workbench.screenshot('context-menu');
    await item.click();
  });

  it('asks for the Hugging Face token and accepts it', async () => {
    await workbench.quickInput.waitFor({ timeout: 30_000 });
    await workbench.screenshot('token-prompt');
    await workbench.quickInput.fill(TEST_TOKEN);
    await workbench.page.keyboard.press('Enter');
    await workbench.quickInput.waitFor({ state: 'hidden' });
    await workbench.progressOrPlayer().waitFor({ timeout: 15_000 }).catch(() => undefined);
    await workbench.screenshot('generating');
  });

  it('shows the generated video playing in the player panel', async () => {
    await workbench.tab(/^Video: /).waitFor({ timeout: 90_000 });
    await waitUntil('the video to load (readyState >= 2, duration > 0)', () => workbench.playerLoaded(), 60_000);
    await workbench.screenshot('video-playing');
    assert.ok(emulatorRequests().length > 0, 'the extension never called the emulator');
  });

  it('saves the video into <workspace>/videos/', async () => {
    const save = workbench.webview().locator('button#save');
    assert.match(await save.innerText(), /Save to Workspace/);
    await save.click();
    const [file] = await waitUntil('an .mp4 in <workspace>/videos/', () => savedVideos(workspace).length > 0 && savedVideos(workspace));
    const header = readFileSync(file).subarray(4, 8).toString('latin1');
    assert.equal(header, 'ftyp', `${file} is not an MP4 (bytes 4..8 are ${JSON.stringify(header)})`);
    const status = workbench.webview().locator('#status');
    await waitUntil('the player to say where the video was saved', async () => (await status.innerText()).includes(basename(file)));
    // Let the explorer catch up with the new folder for the screenshot (VS Code's file watcher, not the extension).
    await workbench.explorerItem('videos').waitFor({ timeout: 10_000 }).catch(() => undefined);
    await workbench.screenshot('video-saved');
  });

  it('cancels a running generation from the notification, at the provider too, leaving no file', async () => {
    const before = generatedVideos();
    emulator.injectFault({ kind: 'never-finish', provider: 'fal-ai', stage: 'running' });
    await workbench.tab('prompt.txt').click();
    await workbench.selectAllInEditor();
    await workbench.chooseMenuItem(await workbench.openEditorContextMenu(GENERATE));
    const toast = workbench.page.locator('.notifications-toasts .notification-toast', { hasText: 'Generating video' });
    await waitUntil('the job to be running at the provider', async () => (await toast.innerText().catch(() => '')).includes('Generating…'), 30_000);
    await workbench.screenshot('running-before-cancel');
    await toast.hover();
    await toast.getByRole('button', { name: 'Cancel' }).click();
    await waitUntil('a cancel request at fal-ai', () => emulatorRequests().some((request) => /^PUT \/fal-ai\/.*\/cancel$/.test(request)), 15_000);
    await toast.waitFor({ state: 'hidden', timeout: 10_000 });
    await workbench.screenshot('cancelled');
    assert.deepEqual(generatedVideos(), before, 'no new or partial file in the extension storage');
  });

  it('offers Download Again when the network breaks every download, and it fetches the finished video', async () => {
    const before = generatedVideos().length;
    emulator.injectFault({ kind: 'connection-reset', provider: 'fal-ai', phase: 'download', times: 'always' });
    await workbench.tab('prompt.txt').click();
    await workbench.selectAllInEditor();
    await workbench.chooseMenuItem(await workbench.openEditorContextMenu(GENERATE));
    const toast = workbench.page.locator('.notifications-toasts .notification-toast', { hasText: 'you can download it again' });
    await toast.waitFor({ timeout: 60_000 });
    await workbench.screenshot('download-failed');
    const submits = () => emulatorRequests().filter((request) => /^POST \/fal-ai\//.test(request)).length;
    const submitted = submits();
    emulator.clearFaults();
    await toast.hover();
    await toast.getByRole('button', { name: 'Download Again' }).click();
    await waitUntil('the re-downloaded video in the extension storage', () => generatedVideos().length === before + 1, 30_000);
    await waitUntil('the video to load', () => workbench.playerLoaded(), 30_000);
    assert.equal(submits(), submitted, 'no new job was started');
    await workbench.screenshot('downloaded-again');
  });

  it('brings the player back, playing, after the window reloads', async () => {
    await workbench.page.reload();
    await workbench.waitForWorkspace();
    await workbench.tab(/^Video: /).waitFor({ timeout: 60_000 });
    await workbench.tab(/^Video: /).click();
    await waitUntil('the restored video to load', () => workbench.playerLoaded(), 60_000);
    await workbench.screenshot('restored-after-reload');
  });
});
