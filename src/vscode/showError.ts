import * as vscode from 'vscode';
import { HfVideoError, redactSecrets, type NextStep } from '../core/errors';

const SHOW_LOG = vscode.l10n.t('Show Log');

/**
 * Shows a failure as one sentence with the action that fixes it. Returns the action the user
 * picked, so the caller can go on (e.g. generate again once a new token is set).
 */
export async function showError(error: unknown, log: { error(line: string): void; show(): void }): Promise<NextStep['action'] | undefined> {
  const failure = error instanceof HfVideoError ? error : undefined;
  const message = failure?.userMessage ?? vscode.l10n.t('Something went wrong: {0}', redactSecrets(error instanceof Error ? error.message : String(error)));
  log.error(`${message}${failure?.requestId ? ` (request id ${failure.requestId})` : ''}`);
  if (!failure) log.error(redactSecrets(error instanceof Error && error.stack ? error.stack : String(error)));

  const step = failure?.nextStep;
  // Bad input is fully explained by the message itself; the log only helps with failures.
  const userError = failure?.kind === 'invalidInput';
  const actions = [step?.label, userError || step?.action === 'showLog' ? undefined : SHOW_LOG].filter((label): label is string => !!label);
  const show = userError ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  const picked = await show(message, ...actions);
  if (!picked) return undefined;
  if (picked === SHOW_LOG && step?.action !== 'showLog') {
    log.show();
    return 'showLog';
  }
  if (!step) return undefined;
  switch (step.action) {
    case 'openUrl':
      await vscode.env.openExternal(vscode.Uri.parse(step.url));
      break;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', step.setting);
      break;
    case 'openSettingsJson':
      await vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: step.setting, edit: true } });
      break;
    case 'showLog':
      log.show();
      break;
    case 'showProblems':
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      break;
    case 'setToken':
    case 'retry':
    case 'downloadAgain':
      break; // The caller knows how to go on.
  }
  return step.action;
}
