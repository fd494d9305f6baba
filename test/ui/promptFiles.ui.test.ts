// Presets and prompt files as a user meets them: the default preset picked from the status bar, a mistake
// underlined while typing, every shot of a prompt file generated from the Explorer, one shot from its CodeLens.
import * as assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '../emulator/types';
import { REPO_ROOT } from '../testOutput';
import { TEST_TOKEN } from '../vscode/fixtures';
import { storedVideos as videosOf, waitUntil, workbenchSuite, type Workbench } from './workbench';

const PRESETS = { draft: { num_inference_steps: 8, num_frames: 33 }, quality: { num_inference_steps: 50, guidance_scale: 6 } };

describe('Presets and prompt files (packaged extension in the real workbench)', function () {
  const suite = workbenchSuite(this, {
    name: 'prompt-files',
    emulator: { queueMs: 500, runMs: 1_000 },
    settings: { 'hfVideo.presets': PRESETS },
    prepareWorkspace: (workspace) => {
      copyFileSync(join(REPO_ROOT, 'media', 'sample.video.md'), join(workspace, 'lighthouse.video.md'));
      writeFileSync(join(workspace, 'draft.video.md'), '---\npreset: draft\nnum_frames: 5000\n---\nA paper boat sailing down a rainy street gutter.\n');
    },
  });
  let workspace: string;
  let workbench: Workbench;
  let emulator: Emulator;
  let storedVideos: () => string[];

  const submits = () => emulator.requests.filter((request) => request.method === 'POST' && request.path.startsWith('/fal-ai/'));
  const bodies = () => submits().map((request) => request.body as Record<string, unknown>);

  before(() => {
    ({ workspace, workbench, emulator } = suite);
    storedVideos = videosOf(suite.server);
  });

  it('picks the default preset for the workspace from the status bar', async () => {
    const item = workbench.page.locator('.statusbar-item', { hasText: 'No preset' });
    await item.waitFor({ timeout: 60_000 });
    await item.click();
    const draft = workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'draft' });
    await draft.waitFor();
    await workbench.screenshot('preset-pick');
    await draft.click();
    await workbench.page.locator('.statusbar-item', { hasText: 'draft · Wan2.1-T2V-14B' }).waitFor();
    const settings = JSON.parse(readFileSync(join(workspace, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(settings['hfVideo.defaultPreset'], 'draft');
    await workbench.screenshot('preset-chosen');
  });

  it('underlines a mistake in a prompt file while it is open', async () => {
    await workbench.openFromExplorer('draft.video.md');
    await workbench.page.locator('.editor-group-container.active .squiggly-error').first().waitFor({ timeout: 30_000 });
    await workbench.runCommand('View: Toggle Problems');
    await workbench.page.locator('.markers-panel .monaco-list-row', { hasText: 'num_frames' }).first().waitFor({ timeout: 30_000 });
    await workbench.screenshot('prompt-file-diagnostic');
    await workbench.runCommand('View: Toggle Problems');
  });

  it('generates every shot of a prompt file from the Explorer’s context menu', async () => {
    const item = await workbench.openExplorerContextMenu('lighthouse.video.md', 'Generate Video from File');
    await workbench.screenshot('explorer-menu');
    await workbench.chooseMenuItem(item);
    await workbench.quickInput.waitFor({ timeout: 30_000 });
    await workbench.quickInput.fill(TEST_TOKEN);
    await workbench.page.keyboard.press('Enter');
    await workbench.page.locator('.notifications-toasts .notification-toast', { hasText: 'Generating 3 videos from lighthouse.video.md' }).waitFor({ timeout: 30_000 });
    await workbench.screenshot('shots-generating');
    await waitUntil('three videos in the extension storage', () => storedVideos().length === 3, 90_000);
    assert.equal(submits().length, 3);
    const keeper = bodies().find((body) => String(body.prompt).startsWith('Inside the lamp room'));
    assert.equal(keeper?.seed, 4242);
    assert.ok(bodies().every((body) => body.num_inference_steps === 8), 'the default preset applies under the front matter');
    await workbench.page.locator('.notifications-toasts .notification-toast', { hasText: '3 of 3 videos are ready' }).waitFor({ timeout: 30_000 });
    await workbench.screenshot('shots-ready');
  });

  it('generates one shot from its CodeLens', async () => {
    await workbench.openFromExplorer('lighthouse.video.md');
    const lens = workbench.page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Generate "Dawn"' });
    // The last shot is below the fold: go to the end of the file.
    await workbench.editorLines.locator('.view-line').first().click();
    await workbench.page.keyboard.press('Control+End');
    await lens.waitFor({ timeout: 30_000 });
    await workbench.screenshot('prompt-file-codelens');
    const before = submits().length;
    await lens.click();
    await waitUntil('the shot submitted', () => submits().length === before + 1, 30_000);
    assert.match(String(bodies().at(-1)!.prompt), /^The storm has passed/);
    await waitUntil('its video', () => storedVideos().length === 4, 60_000);
  });
});
