// Variations compared side by side, as a user meets them: three seeds of one prompt from the editor's
// context menu, the grid playing them in step, two picked and saved with their sidecars. Screenshots of the
// grid in a dark and a light theme: test-output/screenshots/variations/.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_TOKEN } from '../vscode/fixtures';
import { waitUntil, workbenchSuite, type Workbench } from './workbench';

/** The emulator's videos are 16 fps: one frame is this long. */
const FRAME_SECONDS = 1 / 16;

interface VideoState {
  time: number;
  paused: boolean;
  ready: number;
  seeking: boolean;
}

describe('Compare Variations (packaged extension in the real workbench)', function () {
  const suite = workbenchSuite(this, { name: 'variations', emulator: { queueMs: 500, runMs: 1_500 } });
  let workspace: string;
  let workbench: Workbench;

  const grid = () => workbench.webview();
  const videoStates = () =>
    grid()
      .locator('video')
      .evaluateAll((videos: HTMLVideoElement[]) => videos.map((video) => ({ time: video.currentTime, paused: video.paused, ready: video.readyState, seeking: video.seeking })));
  const saved = (extension: string) => {
    const folder = join(workspace, 'videos');
    return existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith(extension)) : [];
  };

  before(() => {
    ({ workspace, workbench } = suite);
  });

  it('generates three seeds of the selected prompt from the editor context menu', async () => {
    await workbench.openFromExplorer('prompt.txt');
    await workbench.selectAllInEditor();
    await workbench.chooseMenuItem(await workbench.openEditorContextMenu('Generate Variations…'));
    await workbench.quickInput.waitFor();
    await workbench.quickInput.fill('Seeds');
    await workbench.page.keyboard.press('Enter');
    await waitUntil('the number of seeds asked', async () => (await workbench.page.locator('.quick-input-widget').innerText()).includes('How many videos'));
    await workbench.quickInput.fill('3');
    await workbench.page.keyboard.press('Enter');
    const token = workbench.page.locator('.quick-input-widget input[type="password"]');
    await token.waitFor({ timeout: 30_000 });
    await token.fill(TEST_TOKEN);
    await workbench.page.keyboard.press('Enter');
    await workbench.tab(/^Variations: /).waitFor({ timeout: 30_000 });
  });

  it('shows the three in the grid, labelled by seed, all playing', async () => {
    await waitUntil('three tiles', async () => (await grid().locator('.tile').count()) === 3);
    const states = await waitUntil('three videos loaded and playing', async () => {
      const states = await videoStates();
      return states.length === 3 && states.every((state) => state.ready >= 2 && !state.paused) && states;
    }, 90_000);
    assert.equal(states.length, 3);
    const labels = await grid().locator('.tile label').allInnerTexts();
    assert.equal(labels.length, 3);
    for (const label of labels) assert.match(label.trim(), /^seed \d+$/);
    assert.equal(new Set(labels).size, 3, `three different seeds: ${labels.join(', ')}`);
    await grid().locator('#status', { hasText: '3 of 3 videos ready' }).waitFor();
  });

  it('seeks all three with the one scrubber: the same time within a frame', async () => {
    await grid().locator('#play').click();
    await waitUntil('all paused', async () => (await videoStates()).every((state) => state.paused));
    const scrubber = grid().locator('#seek');
    const box = (await scrubber.boundingBox())!;
    await scrubber.click({ position: { x: box.width * 0.6, y: box.height / 2 } });
    const states = await waitUntil('the seek done in every video', async () => {
      const states = await videoStates();
      return states.every((state: VideoState) => !state.seeking && state.time > 0.5) && states;
    });
    const times = states.map((state) => state.time);
    assert.ok(Math.max(...times) - Math.min(...times) < FRAME_SECONDS, `within a frame: ${times.join(', ')}`);
    await grid().locator('#frame-forward').click();
    // A frame step lands every video on the start of the same next frame.
    const onFrame = (time: number) => Math.abs(time / FRAME_SECONDS - Math.round(time / FRAME_SECONDS)) < 1e-3;
    const stepped = await waitUntil('the next frame in every video', async () => {
      const now = (await videoStates()).map((state) => state.time);
      return now.every((time) => onFrame(time) && time > Math.max(...times) && Math.abs(time - now[0]!) < 1e-6) && now;
    });
    assert.ok(stepped[0]! - Math.max(...times) <= FRAME_SECONDS + 1e-6, `one frame on: ${times.join(', ')} → ${stepped.join(', ')}`);
  });

  it('looks right in a dark and a light theme', async () => {
    // The grid on its own for the pictures: its group maximized, the "ready" notification gone.
    await workbench.tab(/^Variations: /).click();
    await workbench.runCommand('View: Toggle Maximize Editor Group');
    await workbench.runCommand('Notifications: Clear All Notifications');
    await workbench.screenshotInThemes([
      ['Light Modern', 'vscode-light', 'compare-light'],
      ['Dark Modern', 'vscode-dark', 'compare-dark'],
    ]);
  });

  it('saves the two picked videos with their sidecars in one action', async () => {
    const save = grid().locator('#save-selected');
    assert.equal(await save.isDisabled(), true, 'nothing to save before a pick');
    const checkboxes = grid().locator('.tile input[type="checkbox"]');
    await checkboxes.nth(0).check();
    await checkboxes.nth(2).check();
    await grid().locator('#selection', { hasText: '2 selected' }).waitFor();
    await save.click();
    await waitUntil('two videos and two sidecars in <workspace>/videos/', () => saved('.mp4').length === 2 && saved('.json').length === 2);
    await grid().locator('#status', { hasText: 'Saved 2 videos with their sidecars.' }).waitFor({ timeout: 30_000 });
    for (const video of saved('.mp4')) assert.ok(saved('.json').includes(video.replace(/\.mp4$/, '.json')), `${video} has its sidecar`);
    await workbench.screenshot('saved');
  });
});
