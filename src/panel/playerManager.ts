import { randomBytes } from 'node:crypto';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { redactSecrets } from '../core/errors';
import { elapsedMs, savedCopyOnDisk, videoOnDisk, type JobRecord } from '../core/jobs/record';
import { formatBytes, formatElapsed, oneLine } from '../core/progressText';
import { isWebviewMessage, type HostMessage, type PlayerState, type PlayerVideo, type WebviewMessage } from '../shared/protocol';

/** What the player asks of the extension; it only ever acts on jobs the extension recorded. */
export interface PlayerHost {
  record(jobId: string): JobRecord | undefined;
  /** Waits until the stored jobs are read (a panel restored at start-up comes before them). */
  ready(): Promise<void>;
  save(jobId: string): Promise<string | undefined>;
  openExternally(file: string): Promise<void>;
  playbackFailed(file: string, message: string): void;
}

/**
 * The player panel, created once in `activate` and handed to whoever shows videos (the markdown
 * preview manager's pattern). It shows one job's result; its webview state holds only that job's id.
 * It is also the serializer that brings the panel back after a window reload.
 */
export class PlayerManager implements vscode.WebviewPanelSerializer<PlayerState>, vscode.Disposable {
  static readonly viewType = 'hfVideo.player';

  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private jobId: string | undefined;
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
    if (!jobId || !this.playableFile(jobId)) {
      panel.dispose();
      return;
    }
    this.adopt(panel);
    this.render(jobId);
  }

  /** Shows a job's video, in the open panel or a new one beside the editor. */
  show(jobId: string, options: { preserveFocus?: boolean } = {}): void {
    if (!this.playableFile(jobId)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The video of this generation is no longer on disk.'));
      return;
    }
    if (!this.panel) {
      this.adopt(vscode.window.createWebviewPanel(PlayerManager.viewType, vscode.l10n.t('Video'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: options.preserveFocus }, {
        enableScripts: true,
        enableForms: false,
        // Playback position would be lost on every tab switch otherwise.
        retainContextWhenHidden: true,
      }));
    }
    this.render(jobId);
    this.panel!.reveal(undefined, options.preserveFocus);
  }

  /** The job the player shows, for the Save command run from the palette. */
  currentJobId(): string | undefined {
    return this.panel && this.jobId;
  }

  /** A token to ask later whether the user closed the player in the meantime. */
  closeCount(): number {
    return this.closes;
  }

  /** The job changed (saved, deleted): show what is true now. */
  refresh(jobId: string): void {
    if (this.jobId !== jobId || !this.panel) return;
    if (this.playableFile(jobId)) this.render(jobId);
    else this.panel.dispose();
  }

  dispose(): void {
    this.registration.dispose();
    this.panel?.dispose();
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    this.panelDisposables = [
      panel.onDidDispose(() => {
        this.closes++;
        this.panel = undefined;
        this.jobId = undefined;
        this.panelDisposables.forEach((disposable) => disposable.dispose());
      }),
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
    ];
  }

  private render(jobId: string): void {
    const panel = this.panel!;
    const file = this.playableFile(jobId)!;
    this.jobId = jobId;
    this.webviewReady = false;
    panel.webview.options = {
      enableScripts: true,
      enableForms: false,
      // Only the extension's own assets and the folder of this job's video.
      localResourceRoots: [...['dist', 'media'].map((folder) => vscode.Uri.joinPath(this.extensionUri, folder)), vscode.Uri.file(dirname(file))],
    };
    panel.title = vscode.l10n.t('Video: {0}', oneLine(this.host.record(jobId)!.request.prompt, 32));
    panel.webview.html = this.html(panel.webview);
  }

  /** The job's video on disk: the copy in storage, else a saved copy; only files the record names. */
  private playableFile(jobId: string): string | undefined {
    const record = this.host.record(jobId);
    return record && videoOnDisk(record);
  }

  private async receive(raw: unknown): Promise<void> {
    const jobId = this.jobId;
    if (!isWebviewMessage(raw) || !jobId) return;
    const message: WebviewMessage = raw;
    const file = this.playableFile(jobId);
    const record = this.host.record(jobId);
    if (!file || !record) return;
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        await this.post({ type: 'show', jobId, video: this.describe(record, file) });
        return;
      case 'save':
        try {
          const saved = await this.host.save(jobId);
          await this.post(saved ? { type: 'saved', path: vscode.workspace.asRelativePath(saved, false) } : { type: 'saveFailed', message: vscode.l10n.t('Not saved.') });
        } catch (error) {
          await this.post({ type: 'saveFailed', message: error instanceof Error ? error.message : String(error) });
        }
        return;
      case 'openExternally':
        await this.host.openExternally(file);
        return;
      case 'playbackError':
        this.host.playbackFailed(file, message.message);
        return;
    }
  }

  private describe(record: JobRecord, file: string): PlayerVideo {
    const total = elapsedMs(record.timings.createdAt, record.timings.finishedAt);
    const generation = elapsedMs(record.timings.startedAt, record.timings.generatedAt);
    const download = elapsedMs(record.timings.generatedAt, record.timings.finishedAt);
    const parts = [generation !== undefined && `generation ${formatElapsed(generation)}`, download !== undefined && `download ${formatElapsed(download)}`].filter(Boolean);
    const saved = savedCopyOnDisk(record);
    return {
      src: this.src(file),
      fileName: saved ? basename(saved) : 'not saved yet',
      // Pasted by the user or sent by the Hub: either could hold a secret, and the webview is another process.
      prompt: redactSecrets(record.request.prompt),
      model: record.request.model,
      provider: `${record.provider ?? record.request.provider}${record.routed === false ? ' (direct)' : ' (via Hugging Face)'}`,
      seed: record.seed,
      sizeLabel: formatBytes(record.bytes ?? 0),
      elapsedLabel: `${total === undefined ? '?' : formatElapsed(total)}${parts.length ? ` (${parts.join(', ')})` : ''}`,
      warning: record.warning && redactSecrets(record.warning),
      savedTo: saved && vscode.workspace.asRelativePath(saved, false),
    };
  }

  private async post(message: HostMessage): Promise<void> {
    if (this.webviewReady && this.panel) await this.panel.webview.postMessage(message);
  }

  /** The file's webview URI; the job id busts the webview's cache when another video replaces it. */
  private src(file: string): string {
    return `${this.panel!.webview.asWebviewUri(vscode.Uri.file(file)).toString()}?v=${this.jobId}`;
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `media-src ${webview.cspSource}`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${asset('media', 'player.css')}">
  <title>Video</title>
</head>
<body>
  <main>
    <div class="stage"><video id="player" controls loop muted autoplay playsinline></video></div>
    <div class="toolbar">
      <button id="save" type="button" disabled>Save to Workspace</button>
      <button id="open-externally" type="button" class="secondary">Open in System Player</button>
      <span id="status" role="status" aria-live="polite"></span>
    </div>
    <p id="warning" class="warning" hidden></p>
    <dl id="details" class="details"></dl>
  </main>
  <script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
  }
}
