import * as vscode from 'vscode';
import type { JobQueue } from '../../core/jobs/queue';
import { elapsedMs, isActive, savedCopyOnDisk, videoOnDisk, type JobRecord } from '../../core/jobs/record';
import { formatBytes, formatElapsed, oneLine } from '../../core/progressText';
import { phaseText } from '../jobProgress';

export const HISTORY_VIEW_ID = 'hfVideo.history';

/**
 * The Generated Videos view: running and queued jobs on top, then every past generation newest
 * first. Each item's context value lists what can be done with it, for the view's menus.
 */
export class HistoryView implements vscode.TreeDataProvider<JobRecord>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobRecord | JobRecord[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };
  private readonly ticker: NodeJS.Timeout;

  constructor(private readonly queue: JobQueue) {
    this.subscription = queue.onDidChange(() => this.changed.fire(undefined));
    // Elapsed times of running jobs move on even without events: only their rows are redrawn. A record
    // replaced since the view last asked is not one it shows, and is skipped; its change event redraws all.
    this.ticker = setInterval(() => {
      const running = queue.list().filter((record) => queue.isOurs(record.id));
      if (running.length) this.changed.fire(running);
    }, 1000);
  }

  getChildren(element?: JobRecord): JobRecord[] {
    return element ? [] : this.queue.list();
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(record: JobRecord): vscode.TreeItem {
    // Short, so that the description (when, what, saved) stays visible in a narrow side bar.
    const item = new vscode.TreeItem(oneLine(record.request.prompt, 28), vscode.TreeItemCollapsibleState.None);
    item.id = record.id;
    item.description = this.describe(record);
    const group = record.request.variationGroup;
    item.tooltip = tooltip(record, group ? this.queue.list().filter((other) => other.request.variationGroup === group).length : 0);
    item.iconPath = icon(record);
    item.contextValue = contextValue(record);
    if (record.state === 'done' && hasVideo(record)) {
      item.command = { command: 'hfVideo.showVideo', title: vscode.l10n.t('Open in Player'), arguments: [record] };
    }
    return item;
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.subscription.dispose();
    this.changed.dispose();
  }

  private describe(record: JobRecord): string {
    if (isActive(record)) {
      const elapsed = formatElapsed(Date.now() - Date.parse(record.timings.createdAt));
      return this.queue.isOurs(record.id) ? `${phaseText(this.queue, record.id)} ${elapsed}` : vscode.l10n.t('running in another window');
    }
    const what = [startedAt(record), record.request.model.split('/').pop(), record.provider ?? record.request.provider, record.request.variationLabel && vscode.l10n.t('variation: {0}', record.request.variationLabel)];
    switch (record.state) {
      case 'done': {
        const took = elapsedMs(record.timings.createdAt, record.timings.finishedAt);
        what.push(took === undefined ? undefined : formatElapsed(took), record.bytes ? formatBytes(record.bytes) : undefined);
        what.push(savedCopyOnDisk(record) ? vscode.l10n.t('saved') : hasVideo(record) ? vscode.l10n.t('not saved') : vscode.l10n.t('video removed'));
        break;
      }
      case 'failed':
        what.push(record.failure?.canDownloadAgain ? vscode.l10n.t('download failed') : vscode.l10n.t('failed'));
        break;
      case 'cancelled':
        what.push(vscode.l10n.t('cancelled'));
        break;
      default:
        what.push(record.state);
    }
    return what.filter(Boolean).join(' · ');
  }
}

/** The time of day for today's generations, the date for older ones. */
function startedAt(record: JobRecord): string {
  const started = new Date(record.timings.createdAt);
  const today = new Date().toDateString() === started.toDateString();
  return today ? started.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : started.toLocaleDateString();
}

/** Space-separated flags the view's `when` clauses match with `=~`. */
function contextValue(record: JobRecord): string {
  const flags = ['job', record.state];
  if (isActive(record)) flags.push('active');
  if (hasVideo(record)) flags.push('hasVideo');
  if (savedCopyOnDisk(record)) flags.push('saved');
  if (record.failure?.canDownloadAgain) flags.push('downloadable');
  if (record.request.variationGroup) flags.push('variation');
  return flags.join(' ');
}

function icon(record: JobRecord): vscode.ThemeIcon {
  switch (record.state) {
    case 'queued':
      return new vscode.ThemeIcon('clock');
    case 'done':
      return savedCopyOnDisk(record) ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')) : new vscode.ThemeIcon('device-camera-video');
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'cancelled':
      return new vscode.ThemeIcon('circle-slash');
    default:
      return new vscode.ThemeIcon('loading~spin');
  }
}

/** `groupSize`: how many generations share the record's variation group. */
function tooltip(record: JobRecord, groupSize: number): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, false);
  markdown.appendText(record.request.prompt);
  markdown.appendMarkdown('\n\n');
  const rows: Array<[string, string | undefined]> = [
    [vscode.l10n.t('Model'), record.request.model],
    [vscode.l10n.t('Provider'), record.provider ? (record.routed === false ? vscode.l10n.t('{0} (direct)', record.provider) : record.provider) : record.request.provider],
    [vscode.l10n.t('Seed'), record.seed === undefined ? undefined : String(record.seed)],
    [vscode.l10n.t('Variation'), record.request.variationGroup && vscode.l10n.t('{0} (one of {1} made together)', record.request.variationLabel ?? '', groupSize)],
    [vscode.l10n.t('Started'), new Date(record.timings.createdAt).toLocaleString()],
    [vscode.l10n.t('Saved to'), savedCopyOnDisk(record) && vscode.workspace.asRelativePath(savedCopyOnDisk(record)!, false)],
    [vscode.l10n.t('Problem'), record.failure?.message],
  ];
  for (const [label, value] of rows) if (value) markdown.appendText(`${vscode.l10n.t('{0}: {1}', label, value)}\n`);
  return markdown;
}

function hasVideo(record: JobRecord): boolean {
  return videoOnDisk(record) !== undefined;
}
