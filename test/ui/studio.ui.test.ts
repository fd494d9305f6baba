// The video studio as a user meets it: opened from a selection, the seed and the number of frames
// changed in its form, a generation whose request carries exactly those values, the form saved as a
// workspace preset, a new seed for the same request, and the video saved; in a dark and a light theme.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '../emulator/types';
import { SAMPLE_PROMPT, TEST_TOKEN } from '../vscode/fixtures';
import { waitUntil, workbenchSuite, type Workbench } from './workbench';

const OPEN = 'Open in Video Studio';
const SEED = 4242;
const FRAMES = 33;

describe('The video studio (packaged extension in the real workbench)', function () {
  const suite = workbenchSuite(this, { name: 'studio', emulator: { queueMs: 1_000, runMs: 2_000 } });
  let emulator: Emulator;
  let workspace: string;
  let workbench: Workbench;
  const studio = () => workbench.webview();
  /** The bodies of the submits fal-ai got (the first live provider of the default model takes the HF body as it is). */
  const submits = () => emulator.requests.filter((request) => request.method === 'POST' && request.path.startsWith('/fal-ai/') && !request.path.endsWith('/cancel')).map((request) => request.body as Record<string, unknown>);
  const playing = () => workbench.playerLoaded();

  before(() => {
    ({ emulator, workspace, workbench } = suite);
  });

  it(`opens the studio from a selection with "${OPEN}", the prompt in its form`, async () => {
    await workbench.openFromExplorer('prompt.txt');
    await workbench.selectAllInEditor();
    await workbench.chooseMenuItem(await workbench.openEditorContextMenu(OPEN));
    await workbench.tab('Video Studio').waitFor({ timeout: 30_000 });
    await waitUntil('the selection in the prompt field', async () => (await studio().locator('#prompt').inputValue()).trim() === SAMPLE_PROMPT.trim());
    await waitUntil('the Hub\'s models in the model list', async () => (await studio().locator('#model-list option').count()) > 0);
    await workbench.screenshot('opened');
  });

  it('checks the number of frames as it is typed, with the command\'s words', async () => {
    await studio().locator('#num_frames').fill('5000');
    await studio().locator('#num_frames-problem', { hasText: 'num_frames must be a whole number from 1 to 1000, not 5000' }).waitFor();
    await workbench.screenshot('invalid-frames');
    await studio().locator('#num_frames').fill(String(FRAMES));
    await studio().locator('#num_frames-problem:empty').waitFor({ state: 'attached' });
  });

  it('generates with Ctrl+Enter: the provider gets exactly the seed and the number of frames of the form', async () => {
    await studio().locator('#seed').fill(String(SEED));
    await studio().locator('#seed-mode').selectOption('lock');
    await studio().locator('#seed').press('Control+Enter');
    // The first generation asks for the token, as every command does.
    await workbench.quickInput.waitFor({ timeout: 30_000 });
    await workbench.quickInput.fill(TEST_TOKEN);
    await workbench.page.keyboard.press('Enter');
    await studio().locator('#job:not([hidden])').waitFor({ timeout: 30_000 });
    await workbench.screenshot('generating');
    await waitUntil('the video playing in the studio', playing, 90_000);
    const [body] = submits();
    assert.equal(body?.seed, SEED);
    assert.equal(body?.num_frames, FRAMES);
    assert.equal(submits().length, 1);
  });

  it('saves the form as a workspace preset: settings.json has it', async () => {
    await studio().locator('#save-preset').click();
    await workbench.quickInput.waitFor();
    await workbench.quickInput.fill('studio-test');
    await workbench.page.keyboard.press('Enter');
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Workspace Settings' }).click();
    const file = join(workspace, '.vscode', 'settings.json');
    const preset = await waitUntil('the preset in the workspace settings.json', () => existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>)['hfVideo.presets']?.['studio-test']);
    assert.deepEqual(preset, { provider: 'auto', num_frames: FRAMES, seed: SEED });
    await studio().locator('#preset').locator('option:checked', { hasText: 'studio-test' }).waitFor({ state: 'attached' });
    await studio().locator('#update-preset:not([hidden])').waitFor();
  });

  it('regenerates with a new seed (Vary Seed), the same number of frames, and keeps both results in the strip', async () => {
    await studio().locator('button#varySeed').click();
    await waitUntil('a second submit', () => submits().length === 2, 30_000);
    const second = submits()[1]!;
    assert.equal(second.num_frames, FRAMES);
    assert.notEqual(second.seed, SEED);
    await waitUntil('two results in the strip', async () => (await studio().locator('#results .result-chip').count()) === 2, 90_000);
    await waitUntil('the new video playing', playing, 60_000);
  });

  it('saves the video into the workspace', async () => {
    await studio().locator('button#save').click();
    const saved = await waitUntil('an .mp4 in <workspace>/videos/', () => {
      const dir = join(workspace, 'videos');
      return existsSync(dir) && readdirSync(dir).find((name) => name.endsWith('.mp4'));
    });
    await studio().locator('#status', { hasText: saved }).waitFor({ timeout: 30_000 });
  });

  it('opens again with the form as it was and the latest result, in the dark and the light theme (the README\'s pictures)', async () => {
    await workbench.runCommand('Notifications: Clear All Notifications');
    // The form from its top, the result beside it: the panel gets the editor's width.
    await workbench.runCommand('View: Close All Editors');
    await workbench.tab('Video Studio').waitFor({ state: 'detached' });
    await workbench.runCommand('Hugging Face: Open Video Studio');
    await waitUntil('the studio again, with its latest result', playing, 30_000);
    // Closing the panel lost nothing of the form.
    assert.equal(await studio().locator('#seed').inputValue(), String(SEED));
    assert.equal(await studio().locator('#num_frames').inputValue(), String(FRAMES));
    await workbench.screenshotInThemes([
      ['Dark Modern', 'vscode-dark', 'theme-dark'],
      ['Light Modern', 'vscode-light', 'theme-light'],
    ]);
  });

  it('fits a side panel of about 400 px: nothing is wider than the panel', async () => {
    await workbench.runCommand('View: Close Primary Side Bar');
    await workbench.page.setViewportSize({ width: 460, height: 900 });
    const width = await waitUntil('the studio at about 400 px', async () => {
      const client = await studio().locator('body').evaluate((body) => body.clientWidth);
      return client >= 360 && client <= 430 && client;
    });
    const overflow = await studio().locator('body').evaluate((body) => body.scrollWidth - body.clientWidth);
    assert.equal(overflow, 0, `the page is ${overflow} px wider than the ${width} px panel`);
    await workbench.screenshot('narrow');
  });
});
