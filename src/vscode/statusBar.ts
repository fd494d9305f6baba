import * as vscode from 'vscode';
import type { JobQueue } from '../core/jobs/queue';
import { isActive, type JobRecord } from '../core/jobs/record';
import { formatElapsed, oneLine } from '../core/progressText';
import { phaseText } from './jobProgress';

export const SHOW_JOBS_COMMAND = 'hfVideo.showJobs';

/** "2 videos generating" with a spinner while this window has jobs; hidden otherwise. */
export class JobStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hfVideo.jobs', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: { dispose(): void };

  constructor(private readonly queue: JobQueue) {
    this.item.name = vscode.l10n.t('Hugging Face Video Jobs');
    this.item.command = SHOW_JOBS_COMMAND;
    this.subscription = queue.onDidChange((event) => {
      if (event.type !== 'progress') this.update();
    });
    this.update();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private update(): void {
    const jobs = ourActiveJobs(this.queue);
    if (!jobs.length) {
      this.item.hide();
      return;
    }
    const waiting = this.queue.waitingIds().length;
    const running = jobs.length - waiting;
    const parts = [running && `${running} ${running === 1 ? 'video' : 'videos'} generating`, waiting && `${waiting} queued`].filter(Boolean);
    this.item.text = `$(loading~spin) ${parts.join(', ')}`;
    this.item.tooltip = vscode.l10n.t('Hugging Face video generations: click to show or cancel one');
    this.item.show();
  }
}

function ourActiveJobs(queue: JobQueue): JobRecord[] {
  return queue.list().filter((record) => isActive(record) && queue.isOurs(record.id));
}

/** Lists this window's jobs with their phase and elapsed time; the picked one can be shown or cancelled. */
export async function showJobs(queue: JobQueue, reveal: (record: JobRecord) => Thenable<unknown>): Promise<void> {
  const jobs = ourActiveJobs(queue);
  if (!jobs.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No video is being generated right now.'));
    return;
  }
  const cancelButton = { iconPath: new vscode.ThemeIcon('close'), tooltip: vscode.l10n.t('Cancel this generation') };
  const picker = vscode.window.createQuickPick<vscode.QuickPickItem & { record: JobRecord }>();
  picker.title = vscode.l10n.t('Video Generations');
  picker.placeholder = vscode.l10n.t('Pick a generation to show it in Generated Videos');
  picker.items = jobs.map((record) => ({
    record,
    label: oneLine(record.request.prompt, 70),
    description: `${phaseText(queue, record.id)} ${formatElapsed(Date.now() - Date.parse(record.timings.createdAt))}`,
    detail: `${record.request.model} · ${record.provider ?? record.request.provider}`,
    buttons: [cancelButton],
  }));
  picker.onDidTriggerItemButton(({ item }) => {
    void queue.cancel(item.record.id);
    picker.items = picker.items.filter((other) => other !== item);
    if (!picker.items.length) picker.hide();
  });
  picker.onDidAccept(() => {
    const picked = picker.selectedItems[0];
    picker.hide();
    if (picked) void reveal(picked.record);
  });
  picker.onDidHide(() => picker.dispose());
  picker.show();
}
