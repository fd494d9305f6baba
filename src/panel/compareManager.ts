import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { redactSecrets } from '../core/errors';
import type { JobQueue } from '../core/jobs/queue';
import { elapsedMs, isActive, videoOnDisk, type JobRecord } from '../core/jobs/record';
import { describeProgress, formatElapsed, oneLine } from '../core/progressText';
import { isCompareWebviewMessage, type CompareGroup, type CompareHostMessage, type CompareState, type CompareTile } from '../shared/protocol';
import { compareHtml } from './compareHtml';
import { webviewStrings } from './playerDetails';
import { playbackSettings } from './playerManager';

/** Progress comes several times a second while downloading; the grid is sent again at most this often. */
const UPDATE_INTERVAL_MS = 250;

/**
 * The compare view: the variations of one "Generate Variations" run side by side, filled in as their
 * jobs finish. One panel, showing one group; its webview state is the group's id only, so it comes back
 * after a reload from the records (this is its serializer).
 */
export class CompareManager implements vscode.WebviewPanelSerializer<CompareState>, vscode.Disposable {
  static readonly viewType = 'hfVideo.compare';

  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private groupId: string | undefined;
  private webviewReady = false;
  private pendingUpdate: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly queue: JobQueue,
    /** Waits until the stored jobs are read (a panel restored at start-up comes before them). */
    private readonly ready: () => Promise<void>,
    /** Where the extension keeps unsaved videos: the webview may load videos from there. */
    private readonly videosDir: vscode.Uri,
  ) {
    this.disposables = [
      vscode.window.registerWebviewPanelSerializer(CompareManager.viewType, this),
      queue.onDidChange((event) => {
        const id = event.type === 'changed' ? event.record.id : event.id;
        if (this.groupId && (event.type === 'removed' || this.queue.get(id)?.request.variationGroup === this.groupId)) this.scheduleUpdate();
      }),
    ];
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: CompareState | undefined): Promise<void> {
    await this.ready();
    const groupId = typeof state?.groupId === 'string' ? state.groupId : undefined;
    if (!groupId || !this.records(groupId).length) {
      panel.dispose();
      return;
    }
    this.adopt(panel);
    this.render(groupId);
  }

  /** Shows a group's variations, in the open panel or a new one beside the editor. */
  show(groupId: string, options: { preserveFocus?: boolean } = {}): void {
    if (!this.panel) {
      this.adopt(
        vscode.window.createWebviewPanel(CompareManager.viewType, vscode.l10n.t('Variations'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: options.preserveFocus }, {
          enableScripts: true,
          enableForms: false,
          // Several videos playing in step would start again from the beginning on every tab switch otherwise.
          retainContextWhenHidden: true,
        }),
      );
    }
    if (this.groupId !== groupId) this.render(groupId);
    this.panel!.reveal(undefined, options.preserveFocus);
  }

  /** The group the panel shows, if it is open. */
  shownGroup(): string | undefined {
    return this.panel ? this.groupId : undefined;
  }

  dispose(): void {
    clearTimeout(this.pendingUpdate);
    this.disposables.forEach((disposable) => disposable.dispose());
    this.panel?.dispose();
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    this.panelDisposables = [
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.groupId = undefined;
        this.panelDisposables.forEach((disposable) => disposable.dispose());
      }),
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
    ];
  }

  private render(groupId: string): void {
    const panel = this.panel!;
    this.groupId = groupId;
    this.webviewReady = false;
    panel.webview.options = {
      enableScripts: true,
      enableForms: false,
      // The extension's assets, its unsaved videos, and the workspace (where saved copies are).
      localResourceRoots: [
        ...['dist', 'media'].map((folder) => vscode.Uri.joinPath(this.extensionUri, folder)),
        this.videosDir,
        ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri),
      ],
    };
    panel.title = vscode.l10n.t('Variations: {0}', oneLine(this.records(groupId)[0]?.request.prompt ?? '', 32));
    const asset = (...path: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    panel.webview.html = compareHtml({ cspSource: panel.webview.cspSource, nonce: randomBytes(16).toString('base64'), asset });
  }

  private async receive(raw: unknown): Promise<void> {
    const groupId = this.groupId;
    if (!isCompareWebviewMessage(raw) || !groupId) return;
    switch (raw.type) {
      case 'ready':
        this.webviewReady = true;
        await this.sendGroup();
        return;
      case 'saveSelected': {
        const saved = await vscode.commands.executeCommand<string[] | undefined>('hfVideo.saveVariations', groupId, raw.jobIds);
        if (saved?.length) {
          await this.post({ type: 'status', text: saved.length === 1 ? vscode.l10n.t('Saved the video with its sidecar.') : vscode.l10n.t('Saved {0} videos with their sidecars.', saved.length) });
        }
        return;
      }
    }
  }

  private scheduleUpdate(): void {
    this.pendingUpdate ??= setTimeout(() => {
      this.pendingUpdate = undefined;
      void this.sendGroup();
    }, UPDATE_INTERVAL_MS);
  }

  private async sendGroup(): Promise<void> {
    const groupId = this.groupId;
    if (!groupId || !this.panel) return;
    const records = this.records(groupId);
    const tiles = records.map((record) => this.tile(record));
    const done = tiles.filter((tile) => tile.phase === 'done').length;
    const group: CompareGroup = {
      groupId,
      prompt: records[0]?.request.prompt ?? '',
      tiles,
      summary: vscode.l10n.t('{0} of {1} videos ready', done, tiles.length),
      // Several soundtracks at once are noise: the grid starts muted, M turns the sound on.
      playback: { ...playbackSettings(), muted: true },
      strings: { ...webviewStrings(), selected: vscode.l10n.t('{0} selected') },
    };
    await this.post({ type: 'group', group });
  }

  private tile(record: JobRecord): CompareTile {
    const base = { jobId: record.id, label: record.request.variationLabel ?? record.request.model };
    if (isActive(record)) {
      const progress = this.queue.progressOf(record.id);
      return { ...base, phase: 'pending', status: progress ? describeProgress(progress) : vscode.l10n.t('Queued') };
    }
    if (record.state === 'failed') return { ...base, phase: 'failed', status: vscode.l10n.t('Failed: {0}', redactSecrets(record.failure?.message ?? '')) };
    if (record.state === 'cancelled') return { ...base, phase: 'failed', status: vscode.l10n.t('Cancelled') };
    const file = videoOnDisk(record);
    if (!file) return { ...base, phase: 'failed', status: vscode.l10n.t('The video is no longer on disk.') };
    const took = elapsedMs(record.timings.startedAt ?? record.timings.createdAt, record.timings.finishedAt);
    return {
      ...base,
      phase: 'done',
      status: took === undefined ? '' : vscode.l10n.t('took {0}', formatElapsed(took)),
      src: this.panel!.webview.asWebviewUri(vscode.Uri.file(file)).toString(),
      frameRate: record.media?.frameRate,
    };
  }

  /** The group's jobs in the order they were queued. */
  private records(groupId: string): JobRecord[] {
    return this.queue
      .list()
      .filter((record) => record.request.variationGroup === groupId)
      .sort((a, b) => a.timings.createdAt.localeCompare(b.timings.createdAt));
  }

  private async post(message: CompareHostMessage): Promise<void> {
    if (this.webviewReady && this.panel) await this.panel.webview.postMessage(message);
  }
}
