// Drives the VS Code web workbench (code-server 4.100.3, VS Code 1.100.3) the way a person does, with
// playwright-core. The selectors are the workbench's own CSS classes as 1.100.3 renders them; another
// VS Code version may rename them.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { launchChromium, sleep, workbenchUrl, type CodeServer } from '../vscode/codeServer';
import type { Cleanup } from '../vscode/fixtures';

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

  private openContextMenu(target: Locator, label: string, timeoutMs: number, position?: { x: number; y: number }): Promise<Locator> {
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

  /** The content frame of the (first) webview panel. */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame');
  }
}

/** The installed extension's stored videos (`.mp4` in its global storage) on a code-server, listed when asked. */
export function storedVideos(server: CodeServer): () => string[] {
  const storage = join(server.userDataDir, 'User', 'globalStorage', 'hf-video-tools.hf-text-to-video', 'videos');
  return () => (existsSync(storage) ? readdirSync(storage).filter((name) => name.endsWith('.mp4')) : []);
}

/** Chromium on `server`'s workbench with `folder` open and its Explorer ready; `cleanup` closes it. */
export async function openWorkspace(server: CodeServer, folder: string, options: { screenshots: string; logFile: string; cleanup: Cleanup }): Promise<Workbench> {
  const browser = await launchChromium({ logFile: options.logFile });
  options.cleanup.add(() => browser.close());
  const workbench = new Workbench(browser.page, options.screenshots);
  await browser.page.goto(workbenchUrl(server, { folder }));
  await workbench.waitForWorkspace();
  return workbench;
}
