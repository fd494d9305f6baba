import * as vscode from 'vscode';
import { SETTINGS, workspaceSetsBillTo } from './settings';

const BILL_TO_NOTICE_PREFIX = 'hfVideo.billToIgnoredNoticeShown:';

/** Tells the user, once per workspace, that its `hfVideo.billTo` is ignored: only user settings choose who pays. */
export async function noticeIgnoredBillTo(memory: vscode.Memento): Promise<void> {
  const workspace = vscode.workspace.workspaceFile ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!workspace || !workspaceSetsBillTo()) return;
  const key = BILL_TO_NOTICE_PREFIX + workspace.toString();
  if (memory.get<boolean>(key)) return;
  await memory.update(key, true);
  void vscode.window.showWarningMessage(
    vscode.l10n.t('This workspace sets {0}; it is ignored: only your user settings can choose who pays.', `${SETTINGS.section}.${SETTINGS.billTo}`),
  );
}
