import * as vscode from 'vscode';
import { VideoClient } from './core/generate';
import { HttpClient } from './core/http';
import { createDispatcher } from './core/proxy';
import { PlayerPanel, type PlayerActions } from './panel/playerPanel';
import { registerGenerateFromSelection } from './vscode/commands/generateFromSelection';
import { registerSaveVideo } from './vscode/commands/saveVideo';
import { registerTokenCommands } from './vscode/commands/token';
import { Generator } from './vscode/generator';
import { Log } from './vscode/log';
import { saveVideo } from './vscode/saveVideo';
import { TokenStore } from './vscode/tokenStore';

/** Wires the pieces together; nothing here does work until a command runs. */
export function activate(context: vscode.ExtensionContext): void {
  const log = new Log();
  const tokens = new TokenStore(context.secrets);
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  let client: VideoClient | undefined;
  const getClient = () =>
    (client ??= new VideoClient(
      new HttpClient({
        userAgent: `hf-text-to-video-vscode/${version} (VS Code ${vscode.version})`,
        dispatcher: createDispatcher(vscode.workspace.getConfiguration('http').get<string>('proxy')?.trim() || undefined),
        log: (line) => log.warn(line),
      }),
    ));

  const player: PlayerActions = {
    save: (video) => saveVideo(video),
    openExternally: async (file) => {
      await vscode.env.openExternal(vscode.Uri.file(file));
    },
    playbackFailed: (file, message) => {
      log.warn(`The player could not play ${file}: ${message}`);
    },
  };
  const generator = new Generator(context, getClient, tokens, log, player);

  context.subscriptions.push(
    log,
    registerGenerateFromSelection(generator),
    ...registerTokenCommands(tokens),
    registerSaveVideo(player),
    vscode.commands.registerCommand('hfVideo.showLog', () => log.show()),
    PlayerPanel.register(context, player),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('http.proxy')) client = undefined;
    }),
  );
}
