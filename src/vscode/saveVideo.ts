import { homedir } from 'node:os';
import { basename, dirname, extname } from 'node:path';
import * as vscode from 'vscode';
import { copyWithoutOverwriting, videoFileName } from '../core/saveCopy';
import type { PlayableVideo } from '../panel/playerPanel';

export const VIDEOS_FOLDER = 'videos';

/**
 * Copies a generated video into `videos/` of the workspace folder (the one holding the prompt's
 * document when there are several) under a new name, then reveals it. With no folder open, asks where.
 * Returns the saved path, or undefined when the user backed out.
 */
export async function saveVideo(video: PlayableVideo, source?: vscode.Uri): Promise<string | undefined> {
  const name = videoFileName(video.info.prompt, new Date(), extname(video.file));
  const folder = (source && vscode.workspace.getWorkspaceFolder(source)) ?? vscode.workspace.workspaceFolders?.[0];
  let saved: string;
  if (folder && folder.uri.scheme === 'file') {
    saved = await copyWithoutOverwriting(video.file, vscode.Uri.joinPath(folder.uri, VIDEOS_FOLDER).fsPath, name);
  } else {
    const target = await vscode.window.showSaveDialog({
      title: 'Save Video',
      defaultUri: vscode.Uri.joinPath(vscode.Uri.file(homedir()), name),
      filters: { Video: [extname(video.file).slice(1)] },
      saveLabel: 'Save Video',
    });
    if (!target) return undefined;
    // Even where the dialog confirmed replacing a file, the existing one is kept and the copy gets a new name.
    saved = await copyWithoutOverwriting(video.file, dirname(target.fsPath), basename(target.fsPath));
  }
  const uri = vscode.Uri.file(saved);
  if (folder) await vscode.commands.executeCommand('revealInExplorer', uri);
  const relative = vscode.workspace.asRelativePath(uri, false);
  void vscode.window.showInformationMessage(`Saved the video to ${relative}.`, 'Open').then((choice) => {
    if (choice === 'Open') void vscode.commands.executeCommand('vscode.open', uri);
  });
  return saved;
}
