// Several generations as a user sees them: started together, shown in the status bar and the Generated
// Videos view, saved with sidecars, resumed after a window reload, reopened and regenerated from the history.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Emulator } from '../emulator/types';
import { TEST_TOKEN } from '../vscode/fixtures';
import { storedVideos as videosOf, waitUntil, workbenchSuite, type Workbench } from './workbench';

const GENERATE = 'Generate Video from Selection';

interface Sidecar {
  request: { prompt: string; parameters: { seed: number } };
  requestId?: string;
}

describe('Generations as jobs (packaged extension in the real workbench)', function () {
  const suite = workbenchSuite(this, { name: 'jobs', emulator: { queueMs: 1_500, runMs: 2_500 } });
  let workspace: string;
  let workbench: Workbench;
  let emulator: Emulator;
  let storedVideos: () => string[];

  const submits = () => emulator.requests.filter((request) => request.method === 'POST' && request.path.startsWith('/fal-ai/'));
  const submittedSeeds = () => submits().map((request) => (request.body as { seed: number }).seed);
  const savedFiles = (extension: string) => {
    const dir = join(workspace, 'videos');
    return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(extension)).sort().map((name) => join(dir, name)) : [];
  };
  const historyRows = () => workbench.page.locator('[id="workbench.view.extension.hfVideo"] .monaco-list-row, .pane:has(.title:has-text("Generated Videos")) .monaco-list-row');

  async function generateFromSelection(): Promise<void> {
    await workbench.tab('prompt.txt').click();
    await workbench.selectAllInEditor();
    await workbench.chooseMenuItem(await workbench.openEditorContextMenu(GENERATE));
  }

  /** Opens the Generated Videos view unless it shows already (clicking its icon again would close it). */
  async function showHistory(): Promise<void> {
    if (await historyRows().first().isVisible()) return;
    await workbench.page.locator('.activitybar .action-item a[aria-label^="Hugging Face Video"]').click();
    await historyRows().first().waitFor({ timeout: 30_000 });
  }

  async function historyMenu(row: number, label: string): Promise<void> {
    await showHistory();
    await workbench.chooseMenuItem(await workbench.openContextMenu(historyRows().nth(row), label));
  }

  before(async () => {
    ({ workspace, workbench, emulator } = suite);
    storedVideos = videosOf(suite.server);
    await workbench.openFromExplorer('prompt.txt');
  });

  it('runs two generations started together, with the status bar counting them', async () => {
    await generateFromSelection();
    await workbench.quickInput.waitFor({ timeout: 30_000 });
    await workbench.quickInput.fill(TEST_TOKEN);
    await workbench.page.keyboard.press('Enter');
    await workbench.quickInput.waitFor({ state: 'hidden' });
    await generateFromSelection();
    const status = workbench.page.locator('.statusbar-item', { hasText: '2 videos generating' });
    await status.waitFor({ timeout: 30_000 });
    await workbench.screenshot('status-bar-two-generating');
    await waitUntil('both videos in the extension storage', () => storedVideos().length === 2, 60_000);
    assert.equal(submits().length, 2);
    await workbench.page.locator('.statusbar-item', { hasText: 'generating' }).waitFor({ state: 'hidden', timeout: 10_000 });
  });

  it('lists both in the Generated Videos view and saves each under its own name, with its sidecar', async () => {
    await showHistory();
    await waitUntil('two done generations in the view', async () => (await historyRows().count()) === 2);
    await workbench.screenshot('history-view');
    // Saving reveals the video in the Explorer, which replaces the view: wait for that before going back to it.
    const saveAndReveal = async (row: number) => {
      const before = savedFiles('.mp4');
      await historyMenu(row, 'Save Video to Workspace');
      const saved = await waitUntil('the saved video', () => savedFiles('.mp4').find((file) => !before.includes(file)));
      await workbench.explorerItem(basename(saved)).waitFor({ timeout: 30_000 });
    };
    await saveAndReveal(0);
    await saveAndReveal(1);
    const videos = savedFiles('.mp4');
    assert.notEqual(videos[0], videos[1]);
    const sidecars = await waitUntil('both sidecars', () => savedFiles('.json').length === 2 && savedFiles('.json'));
    const seeds = sidecars.map((file) => (JSON.parse(readFileSync(file, 'utf8')) as Sidecar).request.parameters.seed).sort();
    assert.deepEqual(seeds, [...submittedSeeds()].sort(), 'each sidecar holds the seed its job was submitted with');
    for (const file of sidecars) assert.ok(!readFileSync(file, 'utf8').includes(TEST_TOKEN), 'no token in a sidecar');
    await workbench.screenshot('history-saved');
  });

  it('finishes a job after a window reload, without submitting it again', async () => {
    emulator.injectFault({ kind: 'slow-queue', provider: 'fal-ai', extraQueueMs: 6_000 });
    const before = { submits: submits().length, videos: storedVideos().length };
    await generateFromSelection();
    await waitUntil('the job to be submitted', () => submits().length === before.submits + 1, 30_000);
    await workbench.screenshot('before-reload');
    await workbench.page.reload();
    await workbench.waitForWorkspace();
    await workbench.page.locator('.notifications-toasts .notification-toast', { hasText: 'Resumed an unfinished video generation' }).waitFor({ timeout: 60_000 });
    await workbench.screenshot('resumed-after-reload');
    await waitUntil('the resumed video in the extension storage', () => storedVideos().length === before.videos + 1, 60_000);
    assert.equal(submits().length, before.submits + 1, 'exactly one submit for the resumed job');
    await workbench.page.locator('.notifications-toasts .notification-toast', { hasText: 'Your video is ready' }).waitFor({ timeout: 30_000 });
    await workbench.screenshot('ready-after-reload');
  });

  it('opens a past result from the history in the player and regenerates it with the same seed', async () => {
    await showHistory();
    await historyRows().nth(1).click();
    await workbench.tab(/^Video: /).waitFor({ timeout: 30_000 });
    const player = workbench.webview().locator('video#player');
    await waitUntil('the past video to play', () => player.evaluate((video: HTMLVideoElement) => video.readyState >= 2 && video.duration > 0), 60_000);
    await workbench.screenshot('history-opened');
    const before = submittedSeeds();
    await historyMenu(1, 'Regenerate (Same Seed)');
    await waitUntil('the regenerated job submitted', () => submittedSeeds().length === before.length + 1, 30_000);
    const regenerated = submittedSeeds().at(-1);
    assert.ok(before.includes(regenerated!), 'the seed of an earlier job');
    await waitUntil('three results in the view plus the new one', async () => (await historyRows().count()) === 4, 60_000);
    await workbench.screenshot('regenerated');
  });
});
