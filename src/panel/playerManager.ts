import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import * as vscode from 'vscode';
import { savedCopyOnDisk, videoOnDisk, type JobRecord } from '../core/jobs/record';
import { readSidecarOf } from '../core/jobs/sidecar';
import type { MediaFacts } from '../core/media/mediaFacts';
import { onDemand } from '../vscode/onDemand';
import { oneLine } from '../core/progressText';
import { writeWithoutOverwriting } from '../core/saveCopy';
import { isWebviewMessage, PLAYER_ACTIONS, type HostMessage, type PlayerAction, type PlayerState, type PlayerVideo, type WebviewMessage } from '../shared/protocol';
import { detailRows, noticesFor, webviewStrings, type Generation } from './playerDetails';
import { playerHtml, unavailableHtml } from './playerHtml';
import { fileToRestore, restorableState, type FolderOnDisk } from './restoredFile';

/** What the player asks of the extension; it only ever acts on jobs the extension recorded, or a file the user opened. */
export interface PlayerHost {
  record(jobId: string): JobRecord | undefined;
  /** Waits until the stored jobs are read (a panel restored at start-up comes before them). */
  ready(): Promise<void>;
  openExternally(file: string): Promise<void>;
  playbackFailed(file: string, message: string): void;
  /** Where a frame of a video that is not in the workspace goes (the output folder), if anywhere. */
  frameFolder(): string | undefined;
}

/** A generation of this window, or any video file opened from the Explorer. */
type Shown = { jobId: string } | { file: string };

/** The command each button runs; they take a job id or a video's URI. */
export const ACTION_COMMANDS: Record<Exclude<PlayerAction, 'openExternally'>, string> = {
  save: 'hfVideo.saveVideo',
  saveAs: 'hfVideo.saveVideoAs',
  copyPrompt: 'hfVideo.copyPrompt',
  copySeed: 'hfVideo.copySeed',
  copyAsPython: 'hfVideo.copyAsPython',
  copyAsJavaScript: 'hfVideo.copyAsJavaScript',
  copyAsCurl: 'hfVideo.copyAsCurl',
  regenerate: 'hfVideo.regenerate',
  varySeed: 'hfVideo.varySeed',
  reveal: 'hfVideo.revealVideo',
};
/** A file with a sidecar can be made again, but saving is for the extension's own unsaved videos. */
const SIDECAR_ACTIONS: PlayerAction[] = ['copyPrompt', 'copySeed', 'copyAsPython', 'copyAsJavaScript', 'copyAsCurl', 'regenerate', 'varySeed', 'openExternally'];

/**
 * The player panel, created once in `activate` and handed to whoever shows videos (the markdown
 * preview manager's pattern). It shows one job's result or one video file; its webview state holds
 * a job's id or the file's path in the workspace. It is also the serializer that brings the panel back after a window reload.
 */
export class PlayerManager implements vscode.WebviewPanelSerializer<PlayerState>, vscode.Disposable {
  static readonly viewType = 'hfVideo.player';

  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private shown: Shown | undefined;
  private watcher: vscode.Disposable | undefined;
  private webviewReady = false;
  /** How many times the user closed the player; a job started before a close does not reopen it. */
  private closes = 0;
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: PlayerHost,
  ) {
    this.registration = vscode.window.registerWebviewPanelSerializer(PlayerManager.viewType, this);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PlayerState | undefined): Promise<void> {
    await this.host.ready();
    const jobId = typeof state?.jobId === 'string' ? state.jobId : undefined;
    if (state?.file !== undefined) {
      const file = await fileToRestore(state, workspaceFolders());
      this.adopt(panel);
      if (file) this.render({ file });
      else this.renderUnavailable(vscode.l10n.t('The video file is no longer in this workspace.'));
      return;
    }
    if (!jobId || !this.fileOf({ jobId })) {
      panel.dispose();
      return;
    }
    this.adopt(panel);
    this.render({ jobId });
  }

  /** Shows a job's video, in the open panel or a new one beside the editor. */
  show(jobId: string, options: { preserveFocus?: boolean } = {}): void {
    if (!this.fileOf({ jobId })) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The video of this generation is no longer on disk.'));
      return;
    }
    this.open({ jobId }, options);
  }

  /** Shows any MP4 or WebM file, with the details of its sidecar when it has one. */
  showFile(uri: vscode.Uri): void {
    this.open({ file: uri.fsPath }, {});
  }

  /** The job the player shows, for the Save command run from the palette. */
  currentJobId(): string | undefined {
    return this.panel && this.shown && 'jobId' in this.shown ? this.shown.jobId : undefined;
  }

  /** A token to ask later whether the user closed the player in the meantime. */
  closeCount(): number {
    return this.closes;
  }

  /** The job changed (saved, deleted): show what is true now. */
  refresh(jobId: string): void {
    if (this.currentJobId() !== jobId || !this.panel) return;
    // The same page gets the new details: playback goes on where it was.
    if (this.fileOf({ jobId })) void this.sendVideo();
    else this.panel.dispose();
  }

  dispose(): void {
    this.registration.dispose();
    this.panel?.dispose();
  }

  private open(shown: Shown, options: { preserveFocus?: boolean }): void {
    if (!this.panel) {
      this.adopt(
        vscode.window.createWebviewPanel(PlayerManager.viewType, vscode.l10n.t('Video'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: options.preserveFocus }, {
          enableScripts: true,
          enableForms: false,
          // Playback position would be lost on every tab switch otherwise.
          retainContextWhenHidden: true,
        }),
      );
    }
    this.render(shown);
    this.panel!.reveal(undefined, options.preserveFocus);
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    this.panelDisposables = [
      panel.onDidDispose(() => {
        this.closes++;
        this.panel = undefined;
        this.shown = undefined;
        this.watcher?.dispose();
        this.panelDisposables.forEach((disposable) => disposable.dispose());
      }),
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
    ];
  }

  private render(shown: Shown): void {
    const panel = this.panel!;
    const file = this.fileOf(shown)!;
    this.shown = shown;
    this.webviewReady = false;
    panel.webview.options = {
      enableScripts: true,
      enableForms: false,
      // Only the extension's own assets and the folder of this video.
      localResourceRoots: [...['dist', 'media'].map((folder) => vscode.Uri.joinPath(this.extensionUri, folder)), vscode.Uri.file(dirname(file))],
    };
    const record = 'jobId' in shown ? this.host.record(shown.jobId) : undefined;
    panel.title = record ? vscode.l10n.t('Video: {0}', oneLine(record.request.prompt, 32)) : vscode.l10n.t('Video: {0}', basename(file));
    const asset = (...path: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    panel.webview.html = playerHtml({ cspSource: panel.webview.cspSource, nonce: randomBytes(16).toString('base64'), asset });
    this.watch(file);
  }

  /** A restored panel whose video cannot be shown again says why, rather than staying empty. */
  private renderUnavailable(message: string): void {
    const panel = this.panel!;
    this.shown = undefined;
    this.watcher?.dispose();
    panel.webview.options = { enableScripts: false, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] };
    panel.title = vscode.l10n.t('Video');
    const asset = (...path: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    panel.webview.html = unavailableHtml({ cspSource: panel.webview.cspSource, nonce: randomBytes(16).toString('base64'), asset }, message);
  }

  /** Notices the file being deleted or replaced, and says so instead of showing a broken player. */
  private watch(file: string): void {
    this.watcher?.dispose();
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(file)), basename(file)));
    const shown = this.shown;
    const stillShown = () => this.shown === shown;
    this.watcher = vscode.Disposable.from(
      watcher,
      watcher.onDidDelete(() => stillShown() && void this.post({ type: 'fileDeleted' })),
      // Replaced (a new generation under the same name, an edit): a new version, read afresh.
      watcher.onDidChange(() => stillShown() && void this.sendVideo()),
      watcher.onDidCreate(() => stillShown() && void this.sendVideo()),
    );
  }

  /** The video on disk: a job's copy in storage or a saved copy (only files the record names), or the file opened. */
  private fileOf(shown: Shown): string | undefined {
    if ('file' in shown) return shown.file;
    const record = this.host.record(shown.jobId);
    return record && videoOnDisk(record);
  }

  private async receive(raw: unknown): Promise<void> {
    const shown = this.shown;
    if (!isWebviewMessage(raw) || !shown) return;
    const message: WebviewMessage = raw;
    const file = this.fileOf(shown);
    if (!file) return;
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        await this.sendVideo();
        return;
      case 'action':
        await this.runAction(message.action, shown, file);
        return;
      case 'saveFrame':
        await this.saveFrame(file, message.dataUrl, message.seconds);
        return;
      case 'playbackError':
        this.host.playbackFailed(file, message.message);
        return;
    }
  }

  private async sendVideo(): Promise<void> {
    const shown = this.shown;
    const file = shown && this.fileOf(shown);
    if (!shown || !file || !this.panel) return;
    const video = await this.describe(shown, file).catch(() => undefined);
    if (video) await this.post({ type: 'show', video });
    else await this.post({ type: 'fileDeleted' });
  }

  private async runAction(action: PlayerAction, shown: Shown, file: string): Promise<void> {
    if (action === 'openExternally') return this.host.openExternally(file);
    const target = 'jobId' in shown ? shown.jobId : vscode.Uri.file(file);
    const result: unknown = await vscode.commands.executeCommand(ACTION_COMMANDS[action], target);
    if ((action === 'save' || action === 'saveAs') && typeof result === 'string') {
      await this.post({ type: 'status', text: vscode.l10n.t('Saved to {0}', vscode.workspace.asRelativePath(result, false)) });
    }
  }

  /**
   * Writes the frame beside the video, named after it and its time, never over a file. A video not
   * in the workspace (not saved yet) has its frames put in the output folder.
   */
  private async saveFrame(file: string, dataUrl: string, seconds: number): Promise<void> {
    const png = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
    if (!png) return;
    const record = this.currentJobId() && this.host.record(this.currentJobId()!);
    const beside = record ? savedCopyOnDisk(record) : file;
    const folder = beside && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(beside)) ? dirname(beside) : this.host.frameFolder();
    if (!folder) {
      await this.post({ type: 'status', text: vscode.l10n.t('Open a folder to save frames into it.') });
      return;
    }
    const stem = beside ? basename(beside, extname(beside)) : 'video';
    const name = `${stem}-frame-${seconds.toFixed(3).replace('.', '_')}s.png`;
    try {
      const saved = await writeWithoutOverwriting(Buffer.from(png[1]!, 'base64'), folder, name);
      await this.post({ type: 'status', text: vscode.l10n.t('Saved the frame to {0}', vscode.workspace.asRelativePath(saved, false)) });
    } catch (error) {
      await this.post({ type: 'status', text: vscode.l10n.t('Could not save the frame: {0}', error instanceof Error ? error.message : String(error)) });
    }
  }

  private async describe(shown: Shown, file: string): Promise<PlayerVideo> {
    const video = await describeVideo(this.panel!.webview, 'jobId' in shown ? this.host.record(shown.jobId) : undefined, file);
    return { ...video, state: 'jobId' in shown ? { jobId: shown.jobId } : restorableState(file, workspaceFolders()) };
  }

  private async post(message: HostMessage): Promise<void> {
    if (this.webviewReady && this.panel) await this.panel.webview.postMessage(message);
  }
}

function workspaceFolders(): FolderOnDisk[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ name: folder.name, path: folder.uri.fsPath }));
}

/**
 * What a player page shows about a video: a job's record (or the file's sidecar), its media facts, and
 * the buttons that apply. The studio's player shows its results with the same.
 */
export async function describeVideo(webview: vscode.Webview, record: JobRecord | undefined, file: string): Promise<PlayerVideo> {
  const { mtimeMs, size } = await stat(file);
  const sidecar = record ? undefined : await readSidecarOf(file);
  const generation: Generation | undefined = record ?? sidecar;
  // The record's facts are of the downloaded file; a replaced or unknown file is read afresh.
  const media: MediaFacts | undefined = (record?.media?.bytes === size && record.media) || (await onDemand().readMediaFacts(file).catch(() => undefined));
  const saved = record && savedCopyOnDisk(record);
  return {
    jobId: record?.id,
    // The version changes with the file, not the clock: the webview cache keeps serving an unchanged file.
    src: `${webview.asWebviewUri(vscode.Uri.file(file)).toString()}?version=${Math.round(mtimeMs)}-${size}`,
    fileName: basename(saved ?? file),
    frameRate: media?.frameRate,
    details: detailRows(generation, media, saved ? vscode.workspace.asRelativePath(saved, false) : record ? vscode.l10n.t('not saved yet') : vscode.workspace.asRelativePath(file, false)),
    notices: noticesFor(media, generation?.warning),
    actions: record ? [...PLAYER_ACTIONS] : sidecar ? SIDECAR_ACTIONS : ['openExternally'],
    playback: playbackSettings(),
    strings: webviewStrings(),
  };
}

export function playbackSettings(): PlayerVideo['playback'] {
  const config = vscode.workspace.getConfiguration('hfVideo.player');
  return { autoPlay: config.get<boolean>('autoPlay', true) !== false, loop: config.get<boolean>('loop', true) !== false, muted: config.get<boolean>('muted', false) === true };
}
