import * as vscode from 'vscode';
import { PlayerPanel } from '../../panel/playerPanel';
import type { PlayerActions } from '../../panel/playerPanel';

export function registerSaveVideo(player: PlayerActions): vscode.Disposable {
  return vscode.commands.registerCommand('hfVideo.saveVideo', async () => {
    const video = PlayerPanel.currentVideo();
    if (!video) {
      void vscode.window.showWarningMessage('There is no generated video to save: generate one first.');
      return undefined;
    }
    const saved = await player.save(video);
    if (saved) PlayerPanel.postToCurrent({ type: 'saved', path: vscode.workspace.asRelativePath(saved, false) });
    return saved;
  });
}
