import { join } from 'node:path';
import * as vscode from 'vscode';
import { JobQueue } from './core/jobs/queue';
import type { JobRecord } from './core/jobs/record';
import type { JobRunner } from './core/jobs/runner';
import { FileJobStore } from './core/jobs/store';
import { secretsOf, sharedRedactor } from './core/secretRedactor';
import type { Network } from './onDemand';
import { CompareManager } from './panel/compareManager';
import { PlayerManager } from './panel/playerManager';
import type { PlayerState } from './shared/protocol';
import { measureActivation, type ActivationCost } from './vscode/activationCost';
import { registerGenerateCommands } from './vscode/commands/generateCommands';
import { registerJobCommands } from './vscode/commands/jobCommands';
import { registerPromptFileCommands } from './vscode/commands/promptFileCommands';
import { registerVariationCommands } from './vscode/commands/variationCommands';
import { offerTokenImport, registerTokenCommands } from './vscode/commands/token';
import { Generations } from './vscode/generations';
import { Log } from './vscode/log';
import { registerPresets } from './vscode/presetCommands';
import type { StudioManager } from './panel/studioManager';
import { registerStudio } from './vscode/studio';
import { PROMPT_FILE_SELECTOR, PromptFileCodeLenses, PromptFileCompletions, registerPromptFileDiagnostics } from './vscode/promptFiles';
import { readClientSettings, readHubUrl, readJobSettings, SETTINGS } from './vscode/settings';
import { JobStatusBar } from './vscode/statusBar';
import { TokenStore } from './vscode/tokenStore';
import { VideoLibrary } from './vscode/videoLibrary';
import { HISTORY_VIEW_ID, HistoryView } from './vscode/views/historyView';
import { onDemand } from './vscode/onDemand';
import { VIDEO_TOOL_NAME, VideoTool } from './vscode/videoTool';
import { noticeIgnoredBillTo } from './vscode/workspaceRules';

/** What the extension offers other extensions (and its tests): the generations it knows. */
export interface HfVideoApi {
  /** Running and queued generations first, then past ones newest first. */
  listGenerations(): readonly JobRecord[];
  /** Resolves once the jobs a closed window left are read and taken over. */
  whenResumed(): Promise<void>;
  /** What activation took and loaded (the network code and the prompt-file parser load on first use). */
  activation: ActivationCost;
  /**
   * The language model tool as registered with `vscode.lm`, for callers that have the user's consent
   * already: `vscode.lm.invokeTool` asks for it first.
   */
  videoTool: vscode.LanguageModelTool<unknown>;
  /** The video studio (its code loads on this first call), to open and drive as its page does. */
  studio(): Pick<StudioManager, 'open' | 'receive'>;
  /** What brings the player back after a window reload, as registered with `registerWebviewPanelSerializer`. */
  playerSerializer: vscode.WebviewPanelSerializer<PlayerState>;
}

/** Wires the pieces together; the only work done here is taking over jobs a closed window left unfinished. */
export function activate(context: vscode.ExtensionContext): HfVideoApi {
  const activated = measureActivation(context.extensionPath);
  const log = new Log();
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const proxyUrl = () => vscode.workspace.getConfiguration('http').get<string>('proxy')?.trim() || undefined;
  let network: Network | undefined;
  const connect = () => (network ??= onDemand().createNetwork({ userAgent: `hf-text-to-video-vscode/${version} (VS Code ${vscode.version})`, proxyUrl: proxyUrl(), log: (line) => log.warn(line) }));
  const tokens = new TokenStore(context.secrets, (token) => connect().whoami(readHubUrl(), token));
  // Whatever is stored now is what every notification, log line, webview and file is cleaned of.
  const syncRedactor = async () => sharedRedactor.setSecrets(secretsOf(await tokens.stored()));
  void syncRedactor();
  context.subscriptions.push(context.secrets.onDidChange(() => void syncRedactor()));
  const storage = context.globalStorageUri.fsPath;
  const videosDir = join(storage, 'videos');

  const queue = new JobQueue(new FileJobStore(join(storage, 'jobs')), { advance: (...args: Parameters<JobRunner['advance']>) => connect().runner.advance(...args) }, {
    maxConcurrent: () => readJobSettings().maxConcurrentJobs,
    environment: async () => ({
      settings: readClientSettings(),
      credentials: await tokens.stored(),
      videosDir,
      resultRetentionHours: readJobSettings().resultRetentionHours,
    }),
    log: (line) => log.info(line),
  });
  const library = new VideoLibrary(queue, log, version, videosDir);
  let loaded: Promise<void> = Promise.resolve();
  const player = new PlayerManager(context.extensionUri, {
    record: (id) => queue.get(id),
    ready: () => loaded,
    openExternally: async (file) => {
      await vscode.env.openExternal(vscode.Uri.file(file));
    },
    playbackFailed: (file, message) => log.warn(`The player could not play ${file}: ${message}`),
    frameFolder: () => {
      const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file');
      return folder && join(folder.uri.fsPath, readJobSettings(folder.uri).outputFolder);
    },
  });
  const compare = new CompareManager(context.extensionUri, queue, () => loaded, vscode.Uri.file(videosDir));
  const generations = new Generations(queue, tokens, log, player, library, compare);
  const history = new HistoryView(queue);
  const videoTool = new VideoTool(generations);
  const historyView = vscode.window.createTreeView(HISTORY_VIEW_ID, { treeDataProvider: history, showCollapseAll: false });
  const studio = registerStudio(context.extensionUri, { queue, generations, network: connect, videosDir, workspaceState: context.workspaceState });

  context.subscriptions.push(
    log,
    player,
    compare,
    history,
    historyView,
    new JobStatusBar(queue),
    ...registerGenerateCommands(generations, vscode.Uri.joinPath(context.extensionUri, 'media', 'sample.video.md')),
    ...registerPromptFileCommands(generations, log),
    ...registerVariationCommands(generations, queue, log),
    vscode.lm.registerTool(VIDEO_TOOL_NAME, videoTool),
    ...registerPresets(generations),
    ...studio.registrations,
    registerPromptFileDiagnostics(),
    vscode.languages.registerCodeLensProvider(PROMPT_FILE_SELECTOR, new PromptFileCodeLenses()),
    vscode.languages.registerCompletionItemProvider(PROMPT_FILE_SELECTOR, new PromptFileCompletions(), ':', ' '),
    ...registerJobCommands({ queue, generations, library, player, compare, log, reveal: (record) => historyView.reveal(record, { select: true, focus: true }) }),
    ...registerTokenCommands(tokens),
    vscode.commands.registerCommand('hfVideo.showLog', () => log.show()),
    queue.onDidChange((event) => {
      if (event.type === 'progress') return;
      void library.publishSidecars();
      if (event.type === 'changed' && event.record.state === 'done') void library.enforceBudget();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('http.proxy')) network?.setProxy(proxyUrl());
      if (event.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.maxConcurrentJobs}`)) queue.limitChanged();
      if (event.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.billTo}`)) void noticeIgnoredBillTo(context.globalState);
    }),
    // Jobs stop where they are, stored, for the next window to resume: closing a window never cancels a paid job.
    { dispose: () => queue.dispose() },
  );
  void noticeIgnoredBillTo(context.globalState);
  void offerTokenImport(tokens, context.globalState);
  loaded = generations.resume().catch((error: unknown) => log.error(`Could not resume stored generations: ${String(error)}`));
  return {
    listGenerations: () => queue.list(),
    whenResumed: () => loaded,
    activation: activated(),
    videoTool: videoTool as vscode.LanguageModelTool<unknown>,
    studio: studio.studio,
    playerSerializer: player,
  };
}
