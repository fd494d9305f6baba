// The player as a user meets it: any video opened from the Explorer, its own keyboard controls, the
// codecs of each fixture in the details, the notices for sound and pictures VS Code cannot play, a
// deleted file noticed, and the panel in a light, a dark and a high-contrast theme.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { newJobRecord } from '../../src/core/jobs/record';
import { sidecarFor, writeSidecar } from '../../src/core/jobs/sidecar';
import { readMediaFacts } from '../../src/core/media/readMediaFacts';
import { REPO_ROOT } from '../testOutput';
import { SAMPLE_PROMPT } from '../vscode/fixtures';
import { waitUntil, workbenchSuite, type Workbench } from './workbench';

const VIDEOS = join(REPO_ROOT, 'test', 'emulator', 'videos');
const OPEN = 'Open in Video Player';

/** What the details pane must say of each fixture, and the notice it must show (if any). */
const FIXTURES = [
  // This one has a sidecar: how it was made shows too.
  { file: 'sample-h264-aac.mp4', codecs: ['H.264 Constrained Baseline', 'AAC LC', '480 × 270', '16 fps', '48', 'A red fox trotting', 'fal-ai (via Hugging Face)', 'fal-ai/wan-t2v', '4242', 'resolution = 480p', '1:28'], notice: /AAC LC.*plays only outside VS Code/ },
  { file: 'sample-hevc.mp4', codecs: ['HEVC (H.265) Main', 'No audio', '320 × 180', '24 fps'], notice: /cannot play HEVC \(H\.265\) Main video/ },
  { file: 'sample-vp8.webm', codecs: ['VP8', 'No audio', '320 × 240', '16 fps', 'WEBM'], notice: undefined },
  { file: 'sample-vp9-opus.webm', codecs: ['VP9', 'Opus', '25 fps'], notice: /cannot play VP9 video/ },
];

describe('The video player (packaged extension in the real workbench)', function () {
  // Most tests open a video of their own: one failing leaves the others worth running.
  const suite = workbenchSuite(this, {
    name: 'player',
    bail: false,
    prepareWorkspace: async (workspace) => {
      for (const file of ['sample-h264.mp4', ...FIXTURES.map((fixture) => fixture.file)]) copyFileSync(join(VIDEOS, file), join(workspace, file));
      copyFileSync(join(VIDEOS, 'sample-h264.mp4'), join(workspace, 'to-delete.mp4'));
      await writeGeneratedSidecar(join(workspace, 'sample-h264-aac.mp4'));
    },
  });
  let workspace: string;
  let workbench: Workbench;

  const webview = () => workbench.webview();
  const video = () => webview().locator('video#player');
  const videoState = () =>
    video().evaluate((element: HTMLVideoElement) => ({ time: element.currentTime, rate: element.playbackRate, loop: element.loop, paused: element.paused, ready: element.readyState }));

  async function openInPlayer(file: string): Promise<void> {
    await workbench.chooseMenuItem(await workbench.openExplorerContextMenu(file, OPEN));
    await workbench.tab(`Video: ${file}`).waitFor({ timeout: 30_000 });
    await waitUntil(`the details of ${file}`, async () => (await webview().locator('#details').innerText()).includes(file));
  }

  /** Keys go to the player once its page has focus (a click on the time, which does nothing else). */
  async function pressInPlayer(key: string): Promise<void> {
    await webview().locator('#time').click();
    await workbench.page.keyboard.press(key);
  }

  /** A sidecar as a generation saved with the video leaves it (made elsewhere: this window has no record of it). */
  async function writeGeneratedSidecar(video: string): Promise<void> {
    const record = newJobRecord({ prompt: SAMPLE_PROMPT, model: 'Wan-AI/Wan2.1-T2V-14B', provider: 'auto', parameters: { num_frames: 48, seed: 4242 }, extra: { resolution: '480p' } });
    const timings = { createdAt: '2026-11-25T10:00:00.000Z', startedAt: '2026-11-25T10:00:02.000Z', generatedAt: '2026-11-25T10:01:30.000Z', finishedAt: '2026-11-25T10:01:31.500Z' };
    const done = { ...record, state: 'done' as const, provider: 'fal-ai' as const, providerId: 'fal-ai/wan-t2v', routed: true, timings, media: await readMediaFacts(video) };
    await writeSidecar(video, sidecarFor(done, { extensionVersion: '0.1.0' }));
  }

  before(() => {
    ({ workspace, workbench } = suite);
  });

  it('opens any MP4 from the Explorer and plays it with the settings\' defaults (autoplay, loop)', async () => {
    await openInPlayer('sample-h264.mp4');
    await waitUntil('the video to play', async () => (await videoState()).ready >= 2 && !(await videoState()).paused, 60_000);
    assert.equal((await videoState()).loop, true);
    const details = await webview().locator('#details').innerText();
    for (const text of ['H.264 Constrained Baseline', 'No audio', '480 × 270', '16 fps', '3.00 s']) assert.ok(details.includes(text), `details lack ${text}:\n${details}`);
    assert.equal(await webview().locator('.notice').count(), 0, 'no notice for a video VS Code plays');
  });

  it('changes the speed with > and <', async () => {
    await pressInPlayer('>');
    await waitUntil('1.25×', async () => (await videoState()).rate === 1.25);
    await workbench.page.keyboard.press('>');
    await waitUntil('1.5×', async () => (await videoState()).rate === 1.5);
    await workbench.page.keyboard.press('<');
    await waitUntil('back to 1.25×', async () => (await videoState()).rate === 1.25);
    assert.equal(await webview().locator('#speed').innerText(), '1.25×');
  });

  it('steps one frame (1/16 s at 16 fps) with the arrow keys, from the first frame (Home)', async () => {
    await pressInPlayer('Home');
    await waitUntil('the first frame, paused', async () => (await videoState()).paused && (await videoState()).time === 0);
    await workbench.page.keyboard.press('ArrowRight');
    await waitUntil('one frame on', async () => Math.abs((await videoState()).time - 1 / 16) < 1e-6);
    await workbench.page.keyboard.press('ArrowRight');
    await waitUntil('two frames on', async () => Math.abs((await videoState()).time - 2 / 16) < 1e-6);
    await workbench.page.keyboard.press('ArrowLeft');
    await waitUntil('back to one frame', async () => Math.abs((await videoState()).time - 1 / 16) < 1e-6);
    assert.match(await webview().locator('#status').innerText(), /Frame 2/);
    await workbench.page.keyboard.press('End');
    await waitUntil('the last of the 48 frames', async () => Math.abs((await videoState()).time - 47 / 16) < 1e-6);
  });

  it('toggles loop with L, and shows it on the button', async () => {
    await pressInPlayer('l');
    await waitUntil('loop off', async () => !(await videoState()).loop);
    assert.equal(await webview().locator('#loop').getAttribute('aria-pressed'), 'false');
    await workbench.page.keyboard.press('L');
    await waitUntil('loop on again', async () => (await videoState()).loop);
    await pressInPlayer('?');
    await webview().locator('#shortcuts').waitFor();
    await workbench.screenshot('shortcuts');
    await workbench.page.keyboard.press('Escape');
  });

  for (const fixture of FIXTURES) {
    it(`shows the codecs of ${fixture.file}${fixture.notice ? ', with a notice' : ''}`, async () => {
      await openInPlayer(fixture.file);
      const details = await webview().locator('#details').innerText();
      for (const text of fixture.codecs) assert.ok(details.includes(text), `details lack ${text}:\n${details}`);
      const notices = await webview().locator('#notices').innerText();
      if (fixture.notice) {
        assert.match(notices, fixture.notice);
        assert.ok(await webview().locator('.notice button', { hasText: 'Open in System Player' }).first().isVisible());
      } else {
        assert.equal(notices.trim(), '');
      }
      const actions = await webview().locator('.actions button:visible').allInnerTexts();
      assert.deepEqual(actions.map((text) => text.trim()), fixture.file === 'sample-h264-aac.mp4' ? ['Copy Prompt', 'Copy Seed', 'Copy as Python', 'Copy as JavaScript', 'Copy as curl', 'Regenerate', 'Vary Seed', 'Open in System Player'] : ['Open in System Player']);
      await workbench.screenshot(fixture.file.replace(/\W+/g, '-'));
    });
  }

  it('notices when its file is replaced (and shows the new one) or deleted (and says so instead of a broken player)', async () => {
    await openInPlayer('to-delete.mp4');
    await waitUntil('the video to load', async () => (await videoState()).ready >= 2, 60_000);
    const firstSource = await video().getAttribute('src');
    copyFileSync(join(VIDEOS, 'sample-vp8.webm'), join(workspace, 'to-delete.mp4'));
    await waitUntil('the details of the new file', async () => (await webview().locator('#details').innerText()).includes('320 × 240'));
    assert.notEqual(await video().getAttribute('src'), firstSource, 'a new version in the address');
    await waitUntil('the new video to load', async () => (await videoState()).ready >= 2, 60_000);
    rmSync(join(workspace, 'to-delete.mp4'));
    await webview().locator('#overlay', { hasText: 'The video file was deleted.' }).waitFor({ timeout: 30_000 });
    assert.equal(await webview().locator('body.error').count(), 1);
    await workbench.screenshot('file-deleted');
  });

  it('follows the light, dark and high-contrast themes', async () => {
    await openInPlayer('sample-h264-aac.mp4');
    await waitUntil('the video to load', async () => (await videoState()).ready >= 2, 60_000);
    const themes = [
      ['Light Modern', 'vscode-light', 'theme-light'],
      ['Dark High Contrast', 'vscode-high-contrast', 'theme-high-contrast'],
      ['Dark Modern', 'vscode-dark', 'theme-dark'],
    ] as const;
    // A still picture: the same frame in every theme.
    await workbench.screenshotInThemes(themes, async () => {
      await pressInPlayer('Home');
      await waitUntil('the first frame, paused', async () => (await videoState()).paused && (await videoState()).time === 0);
    });
  });

  it('saves the frame on screen as a PNG beside the video, named after it', async () => {
    await pressInPlayer('ArrowRight');
    await waitUntil('one frame on', async () => Math.abs((await videoState()).time - 1 / 16) < 1e-6);
    await webview().locator('#save-frame').click();
    const png = join(workspace, 'sample-h264-aac-frame-0_063s.png');
    await waitUntil('the PNG beside the video', () => existsSync(png));
    assert.deepEqual([...readFileSync(png).subarray(1, 4)], [...Buffer.from('PNG')]);
    await webview().locator('#status', { hasText: 'Saved the frame to sample-h264-aac-frame-0_063s.png' }).waitFor();
  });
});
