import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { isWebviewMessage, type HostMessage, type PlayerState, type PlayerVideo, type WebviewMessage } from '../shared/protocol';

/** A video to play: the file on disk and what to show about it. */
export interface PlayableVideo {
  file: string;
  info: Omit<PlayerVideo, 'src'>;
}

export interface PlayerActions {
  save(video: PlayableVideo): Promise<string | undefined>;
  openExternally(file: string): Promise<void>;
  playbackFailed(file: string, message: string): void;
}

/**
 * The one player panel. It plays the file through asWebviewUri (never bytes over postMessage),
 * waits for the webview's `ready` before posting, and survives window reloads via its state.
 */
export class PlayerPanel {
  static readonly viewType = 'hfVideo.player';
  private static current: PlayerPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private video: PlayableVideo | undefined;
  private webviewReady = false;

  /** Registers the serializer that brings the panel back after a reload. */
  static register(context: vscode.ExtensionContext, actions: PlayerActions): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(PlayerPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PlayerState | undefined) {
        const restored = new PlayerPanel(panel, context, actions);
        if (state?.file && state.video && existsSync(state.file)) {
          restored.show({ file: state.file, info: state.video });
        } else {
          panel.dispose();
        }
      },
    });
  }

  static show(context: vscode.ExtensionContext, actions: PlayerActions, video: PlayableVideo): PlayerPanel {
    if (!PlayerPanel.current) {
      const panel = vscode.window.createWebviewPanel(PlayerPanel.viewType, 'Video', vscode.ViewColumn.Beside, {
        enableScripts: true,
        // Playback position would be lost on every tab switch otherwise.
        retainContextWhenHidden: true,
      });
      PlayerPanel.current = new PlayerPanel(panel, context, actions);
    }
    PlayerPanel.current.show(video);
    PlayerPanel.current.panel.reveal(undefined, true);
    return PlayerPanel.current;
  }

  /** The video the player shows, for the Save command run from the palette. */
  static currentVideo(): PlayableVideo | undefined {
    return PlayerPanel.current?.video;
  }

  static postToCurrent(message: HostMessage): void {
    void PlayerPanel.current?.post(message);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly actions: PlayerActions,
  ) {
    PlayerPanel.current = this;
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message), undefined, this.disposables);
  }

  private show(video: PlayableVideo): void {
    this.video = video;
    this.webviewReady = false;
    const mediaRoots = ['dist', 'media'].map((folder) => vscode.Uri.joinPath(this.context.extensionUri, folder));
    this.panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [...mediaRoots, vscode.Uri.file(dirname(video.file))],
    };
    this.panel.title = `Video: ${shorten(video.info.prompt, 32)}`;
    this.panel.webview.html = this.html();
  }

  private async receive(raw: unknown): Promise<void> {
    if (!isWebviewMessage(raw) || !this.video) return;
    const message: WebviewMessage = raw;
    const video = this.video;
    const file = video.file;
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        await this.post({ type: 'show', video: { ...video.info, src: this.src(file) }, file });
        return;
      case 'save':
        try {
          const saved = await this.actions.save(video);
          await this.post(saved ? { type: 'saved', path: vscode.workspace.asRelativePath(saved, false) } : { type: 'saveFailed', message: 'Not saved.' });
        } catch (error) {
          await this.post({ type: 'saveFailed', message: error instanceof Error ? error.message : String(error) });
        }
        return;
      case 'openExternally':
        await this.actions.openExternally(file);
        return;
      case 'playbackError':
        this.actions.playbackFailed(file, message.message);
        return;
    }
  }

  private async post(message: HostMessage): Promise<void> {
    if (this.webviewReady) await this.panel.webview.postMessage(message);
  }

  /** The file's webview URI; the query busts the webview's cache when a file name is reused. */
  private src(file: string): string {
    return `${this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString()}?v=${Date.now()}`;
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, ...path)).toString();
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

  private dispose(): void {
    if (PlayerPanel.current === this) PlayerPanel.current = undefined;
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
