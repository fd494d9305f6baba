// The player panel's page and its "Open in Video Player" entry, in the real extension host.
import * as assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { playerHtml } from '../../../src/panel/playerHtml';
import { PlayerManager } from '../../../src/panel/playerManager';
import type { PlayerState } from '../../../src/shared/protocol';
import { REPO_ROOT } from '../../testOutput';
import { api, eventually, WORKSPACE } from '../helpers';

describe('the player panel', function () {
  this.timeout(60_000);

  it('renders a page with a strict CSP: one script, carrying the nonce, and only the extension\'s own assets', () => {
    const html = playerHtml({ cspSource: 'https://csp.example', nonce: 'N0nce+/=', asset: (...path) => `https://assets.example/${path.join('/')}` });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp, 'a CSP meta tag');
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<link'), 'the CSP comes before any resource');
    assert.match(csp, /^default-src 'none';/);
    assert.match(csp, /script-src 'nonce-N0nce\+\/='(;|$)/);
    assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    assert.deepEqual(scripts, ['<script nonce="N0nce+/=" src="https://assets.example/dist/webview.js">']);
    assert.doesNotMatch(html, /<style|style="/, 'no inline styles');
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    assert.deepEqual(urls.filter((url) => !url.startsWith('https://assets.example/')), []);
  });

  it('opens any MP4 of the workspace from "Open in Video Player", in the player panel', async () => {
    await api();
    const video = join(WORKSPACE, 'opened-in-player.mp4');
    copyFileSync(join(REPO_ROOT, 'test', 'emulator', 'videos', 'sample-h264.mp4'), video);
    try {
      await vscode.commands.executeCommand('hfVideo.openInPlayer', vscode.Uri.file(video));
      const tab = await eventually('the player tab', () =>
        vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((candidate) => candidate.input instanceof vscode.TabInputWebview && candidate.input.viewType.endsWith(PlayerManager.viewType)),
      );
      assert.equal(tab.label, 'Video: opened-in-player.mp4');
      await vscode.window.tabGroups.close(tab);
    } finally {
      rmSync(video, { force: true });
    }
  });

  it('comes back after a reload with the workspace file its state names, and says so when the state leads outside the workspace', async () => {
    const { playerSerializer } = await api();
    const video = join(WORKSPACE, 'restored-in-player.mp4');
    copyFileSync(join(REPO_ROOT, 'test', 'emulator', 'videos', 'sample-h264.mp4'), video);
    const restore = async (state: PlayerState) => {
      const panel = vscode.window.createWebviewPanel(PlayerManager.viewType, 'Video', vscode.ViewColumn.Beside, {});
      await playerSerializer.deserializeWebviewPanel(panel, state);
      return panel;
    };
    try {
      const restored = await restore({ file: 'restored-in-player.mp4' });
      assert.equal(restored.title, 'Video: restored-in-player.mp4');
      assert.match(restored.webview.html, /<video id="player"/);
      restored.dispose();
      const refused = await restore({ file: '../restored-in-player.mp4' });
      assert.match(refused.webview.html, /The video file is no longer in this workspace\./);
      assert.doesNotMatch(refused.webview.html, /<video/);
      refused.dispose();
    } finally {
      rmSync(video, { force: true });
    }
  });
});
