// Drives the VS Code web workbench (code-server 4.100.3, VS Code 1.100.3) the way a person does, with
// playwright-core. The selectors are the workbench's own CSS classes as 1.100.3 renders them; another
// VS Code version may rename them.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/types';
import { REPO_ROOT, SCREENSHOTS } from '../testOutput';
import { launchChromium, sleep, startCodeServer, workbenchUrl, type CodeServer } from '../vscode/codeServer';
import { Cleanup, createWorkspace, emulatorSettings, TEST_TOKEN } from '../vscode/fixtures';

const VSIX = join(REPO_ROOT, 'hf-text-to-video.vsix');

type Falsy = false | 0 | '' | null | undefined;

/** Polls `check` until it returns a truthy value; fails with `what` and the last error after `timeoutMs`. */
export async function waitUntil<T>(what: string, check: () => Promise<T | Falsy> | T | Falsy, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message.split('\n')[0]}` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${reason}`);
    }
    await sleep(250);
  }
}

export class Workbench {
  private shots = 0;

  constructor(
    readonly page: Page,
    private readonly screenshotDir: string,
  ) {
    mkdirSync(screenshotDir, { recursive: true });
  }

  /** Saves `NN-name.png`, numbered in the order taken. */
  async screenshot(name: string): Promise<string> {
    const file = join(this.screenshotDir, `${String(++this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async waitForWorkspace(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeoutMs });
  }

  explorerItem(name: string): Locator {
    return this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name });
  }

  tab(title: string | RegExp): Locator {
    return this.page.locator('.tabs-container .tab', { hasText: title });
  }

  get editorLines(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor .view-lines');
  }

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget input');
  }

  /**
   * Types a path into VS Code's own file dialog (the web workbench has no native one) and accepts it. The
   * dialog fills in its suggestion and reads each typed folder asynchronously: a path typed before the
   * suggestion arrives gets merged with it, and an accept while it is busy is ignored. So the path is typed
   * once the suggestion is there, and accepted (again, if ignored) only while the dialog is idle and shows
   * exactly that path.
   */
  async acceptFileDialog(path: string, suggestion: RegExp): Promise<void> {
    const busy = this.page.locator('.quick-input-widget .monaco-progress-container.active');
    const idle = async () => (await busy.count()) === 0;
    await waitUntil('the file dialog to suggest a name', async () => suggestion.test(await this.quickInput.inputValue()) && (await idle()));
    await this.quickInput.fill(path);
    await waitUntil(`the file dialog to accept ${path}`, async () => {
      if (!(await this.quickInput.isVisible())) return true;
      if ((await this.quickInput.inputValue()) !== path) throw new Error(`the dialog shows ${await this.quickInput.inputValue()}`);
      if (await idle()) await this.quickInput.press('Enter');
      return false;
    });
  }

  /** The text the active editor shows (Monaco renders spaces as no-break spaces). */
  async editorText(): Promise<string> {
    return (await this.editorLines.innerText()).replace(/\u00a0/g, ' ');
  }

  /** A progress notification or, when generation was quick, the player's tab. */
  progressOrPlayer(): Locator {
    return this.page.locator('.notifications-toasts .notification-toast, .tabs-container .tab:has-text("Video: ")').first();
  }

  /** Opens a file by clicking it in the explorer and waits for its editor. */
  async openFromExplorer(name: string): Promise<void> {
    await this.explorerItem(name).click();
    await this.tab(name).waitFor();
    await this.editorLines.waitFor();
  }

  /** Clicks into the active editor and selects all of its text. */
  async selectAllInEditor(): Promise<void> {
    await this.editorLines.locator('.view-line').first().click();
    await this.page.keyboard.press('Control+A');
    await this.page.locator('.editor-group-container.active .monaco-editor .selected-text').first().waitFor();
  }

  /**
   * Right-clicks the first line of the active editor and waits for `label` in the context menu.
   * Until the extension host has registered the extension's contributions the entry is missing:
   * close the menu and try again.
   */
  openEditorContextMenu(label: string, timeoutMs = 60_000): Promise<Locator> {
    return this.openContextMenu(this.editorLines.locator('.view-line').first(), label, timeoutMs, { x: 5, y: 5 });
  }

  /** Right-clicks a file in the Explorer and waits for `label` in its context menu, retrying the same way. */
  openExplorerContextMenu(name: string, label: string, timeoutMs = 60_000): Promise<Locator> {
    return this.openContextMenu(this.explorerItem(name).first(), label, timeoutMs);
  }

  /** Right-clicks `target` and waits for `label` in its context menu, retrying the same way. */
  openContextMenu(target: Locator, label: string, timeoutMs = 60_000, position?: { x: number; y: number }): Promise<Locator> {
    const item = this.page.locator('.monaco-menu .action-item', { hasText: label });
    return waitUntil(
      `"${label}" in the context menu`,
      async () => {
        // A hover left by the last click (an Explorer row's path) can cover the target: move away first.
        await this.page.mouse.move(0, 0);
        await target.click({ button: 'right', position, timeout: 5_000 });
        const shown = await item.first().waitFor({ timeout: 2_000 }).then(() => true, () => false);
        if (shown) return item.first();
        await this.page.keyboard.press('Escape');
        await sleep(1_000);
        return undefined;
      },
      timeoutMs,
    );
  }

  /**
   * Clicks a context menu entry. With a webview open beside the editor the menu sometimes stays up after
   * the click: then the entry, still highlighted, is chosen with the keyboard.
   */
  async chooseMenuItem(item: Locator): Promise<void> {
    await item.click();
    await this.page.locator('.monaco-menu').waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => this.page.keyboard.press('Enter'));
  }

  /**
   * Runs a command from the Command Palette by its full label ("Category: Title"). Like the context menu, the palette only
   * lists the extension's commands once their contributions are registered: close it and retry.
   */
  async runCommand(title: string, timeoutMs = 60_000): Promise<void> {
    // The whole label, exactly: "File: New Untitled Text File" must not pick "File: Compare New Untitled Text Files".
    const exactly = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: exactly }) });
    await waitUntil(
      `"${title}" in the Command Palette`,
      async () => {
        await this.page.keyboard.press('F1');
        await this.quickInput.fill(`>${title.replace(/^[^:]*: /, '')}`);
        const shown = await row.first().waitFor({ timeout: 2_000 }).then(() => true, () => false);
        if (shown) return true;
        await this.page.keyboard.press('Escape');
        await sleep(1_000);
        return false;
      },
      timeoutMs,
    );
    await row.first().click();
  }

  /** Picks a colour theme by its label the way a user does, and waits for the webview to get its colours (its body's class). */
  async useColorTheme(theme: string, bodyClass: string): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    await this.quickInput.fill(theme);
    // Clicked: Enter would take "Browse Additional Color Themes…", listed first.
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first().click();
    await waitUntil(`the ${theme} theme in the webview`, () => this.webview().locator(`body.${bodyClass}`).count());
  }

  /** A screenshot in each colour theme, named for it, taken once `settle` (if any) has run in that theme. */
  async screenshotInThemes(themes: readonly (readonly [theme: string, bodyClass: string, name: string])[], settle?: () => Promise<unknown>): Promise<void> {
    for (const [theme, bodyClass, name] of themes) {
      await this.useColorTheme(theme, bodyClass);
      await settle?.();
      await this.screenshot(name);
    }
  }

  /** The content frame of the (first) webview panel. */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame');
  }

  /** Whether the webview's player has loaded its video: a frame to show (readyState >= 2) and a known duration. */
  playerLoaded(): Promise<boolean> {
    return this.webview()
      .locator('video#player')
      .evaluate((video: HTMLVideoElement) => video.readyState >= 2 && video.duration > 0);
  }
}

/** Where the installed extension keeps generated videos before they are saved (its global storage) on a code-server. */
export function videoStorage(server: CodeServer): string {
  return join(server.userDataDir, 'User', 'globalStorage', 'hf-video-tools.hf-text-to-video', 'videos');
}

/** The installed extension's stored videos (`.mp4` in its global storage) on a code-server, listed when asked. */
export function storedVideos(server: CodeServer): () => string[] {
  const storage = videoStorage(server);
  return () => (existsSync(storage) ? readdirSync(storage).filter((name) => name.endsWith('.mp4')) : []);
}

export interface WorkbenchSuiteOptions {
  /**
   * Names the suite's screenshot folder (under SCREENSHOTS) and its logs (`ui-<name>-code-server.log`,
   * `ui-<name>-browser.log`). Without it the suite keeps its pictures in SCREENSHOTS itself and logs to `ui-*.log`.
   */
  name?: string;
  /** How long the emulator's jobs queue and run; without it there is no emulator and no settings pointing at one. */
  emulator?: { queueMs: number; runMs: number };
  /** User settings on top of those pointing the extension at the emulator. */
  settings?: Record<string, unknown>;
  /** False: an empty window, no folder open. */
  folder?: boolean;
  /** Fills the workspace before code-server starts. */
  prepareWorkspace?: (workspace: string) => unknown;
  /** Stop at the first failure, for suites whose every step builds on the one before (default true). */
  bail?: boolean;
}

/** What a workbench suite has started, once its `before` has run. */
export interface WorkbenchSuite {
  readonly workbench: Workbench;
  readonly server: CodeServer;
  readonly emulator: Emulator;
  readonly workspace: string;
  readonly cleanup: Cleanup;
}

/**
 * Registers, inside a `describe`, the hooks every UI suite shares: the packaged .vsix installed into a fresh
 * code-server (with an emulator behind it, if asked), Chromium on its workbench, a screenshot of every failed
 * test, and everything stopped at the end.
 */
export function workbenchSuite(suite: Mocha.Suite, options: WorkbenchSuiteOptions): WorkbenchSuite {
  suite.timeout(120_000);
  suite.bail(options.bail ?? true);
  const screenshots = options.name ? join(SCREENSHOTS, options.name) : SCREENSHOTS;
  const logPrefix = options.name ? `ui-${options.name}` : 'ui';
  const cleanup = new Cleanup();
  let started: Omit<WorkbenchSuite, 'emulator' | 'workspace' | 'cleanup'> | undefined;
  let emulator: Emulator | undefined;
  let workspace: string | undefined;

  before(async function () {
    this.timeout(300_000); // includes a first-time code-server install
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run \`npm run package\` first`);
    // Only this suite's own pictures: SCREENSHOTS keeps the other suites' folders.
    if (existsSync(screenshots)) readdirSync(screenshots).filter((name) => name.endsWith('.png')).forEach((name) => rmSync(join(screenshots, name)));
    if (options.emulator) {
      const running = await startEmulator({ port: 0, tokens: [TEST_TOKEN], ...options.emulator });
      cleanup.add(() => running.close());
      emulator = running;
    }
    if (options.folder !== false) {
      workspace = cleanup.removeDir(createWorkspace());
      await options.prepareWorkspace?.(workspace);
    }
    const server = await startCodeServer({
      workspace,
      settings: { ...(emulator && emulatorSettings(emulator.url)), ...options.settings },
      installExtension: VSIX,
      logFile: `${logPrefix}-code-server.log`,
    });
    cleanup.add(() => server.stop());
    const browser = await launchChromium({ logFile: `${logPrefix}-browser.log` });
    cleanup.add(() => browser.close());
    const workbench = new Workbench(browser.page, screenshots);
    await browser.page.goto(workbenchUrl(server, { folder: workspace }));
    if (workspace) await workbench.waitForWorkspace();
    else await browser.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    started = { workbench, server };
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && started) await started.workbench.screenshot('failure').catch(() => undefined);
  });

  after(() => cleanup.run());

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`this suite has no ${what}: its before hook has not run, or it was not asked for one`);
    return value;
  };
  return {
    get workbench() {
      return ready(started, 'workbench').workbench;
    },
    get server() {
      return ready(started, 'code-server').server;
    },
    get emulator() {
      return ready(emulator, 'emulator');
    },
    get workspace() {
      return ready(workspace, 'workspace');
    },
    cleanup,
  };
}
