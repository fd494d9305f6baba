import * as vscode from 'vscode';
import type { JobEvent, JobQueue } from '../core/jobs/queue';
import { isActive, type JobRecord } from '../core/jobs/record';
import { describeProgress, formatElapsed } from '../core/progressText';
import type { ProgressEvent } from '../core/types';

/**
 * Shows one job in a cancellable progress notification until it ends: its phase (or its place in
 * line), the elapsed time, and a bar where the phase knows how far it is. Cancel cancels this job only.
 * Resolves with the settled record.
 */
export function followJobProgress(queue: JobQueue, id: string, title: string): Promise<JobRecord> {
  const settled = queue.whenSettled(id);
  const current = queue.get(id);
  if (!current || !isActive(current)) return settled;
  const started = Date.now();
  let lastPercent = 0;
  return withQueueProgress(queue, title, {
    settled,
    cancel: () => void queue.cancel(id),
    render: (progress) => progress.report({ message: `${phaseText(queue, id)} (${formatElapsed(Date.now() - started)})` }),
    changed: (event, progress) => {
      if (event.type === 'changed') return event.record.id === id;
      if (event.type !== 'progress' || event.id !== id) return false;
      const percent = fraction(event.event);
      if (percent !== undefined && percent > lastPercent) {
        progress.report({ increment: percent - lastPercent });
        lastPercent = percent;
      }
      return true;
    },
  });
}

/**
 * Several jobs (the shots of a prompt file) in one cancellable notification: how many are done and
 * running, and the elapsed time. Cancel cancels them all. Resolves with every settled record, in order.
 */
export function followBatchProgress(queue: JobQueue, ids: readonly string[], title: string): Promise<JobRecord[]> {
  const started = Date.now();
  let reported = 0;
  return withQueueProgress(queue, title, {
    settled: Promise.all(ids.map((id) => queue.whenSettled(id))),
    cancel: () => ids.forEach((id) => void queue.cancel(id)),
    render: (progress) => {
      const ended = ids.map((id) => queue.get(id)).filter((record) => !record || !isActive(record)).length;
      const waiting = ids.filter((id) => queue.waitingIds().includes(id)).length;
      const share = (100 * ended) / ids.length;
      const message = vscode.l10n.t('{0} of {1} done, {2} running, {3} waiting ({4})', ended, ids.length, ids.length - ended - waiting, waiting, formatElapsed(Date.now() - started));
      progress.report({ message, increment: share - reported });
      reported = share;
    },
    changed: (event) => event.type === 'changed' && ids.includes(event.record.id),
  });
}

type Progress = vscode.Progress<{ message?: string; increment?: number }>;

/**
 * A cancellable notification that shows `render` every second and whenever `changed` says a queue event
 * concerns it, until `settled`.
 */
function withQueueProgress<T>(
  queue: JobQueue,
  title: string,
  view: { settled: Promise<T>; cancel(): void; render(progress: Progress): void; changed(event: JobEvent, progress: Progress): boolean },
): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const onCancel = token.onCancellationRequested(() => view.cancel());
      const ticker = setInterval(() => view.render(progress), 1000);
      const events = queue.onDidChange((event) => view.changed(event, progress) && view.render(progress));
      view.render(progress);
      try {
        return await view.settled;
      } finally {
        clearInterval(ticker);
        events.dispose();
        onCancel.dispose();
      }
    }),
  );
}

/** What a job is doing now, in a few words. */
export function phaseText(queue: JobQueue, id: string): string {
  const place = queue.waitingIds().indexOf(id);
  if (place >= 0) return place === 0 ? vscode.l10n.t('Waiting for a free slot…') : vscode.l10n.t('Waiting for a free slot ({0} ahead)…', place);
  const event = queue.progressOf(id);
  if (event) return describeProgress(event);
  switch (queue.get(id)?.state) {
    case 'resolving':
      return vscode.l10n.t('Resolving…');
    case 'submitted':
      return vscode.l10n.t('Submitted…');
    case 'running':
      return vscode.l10n.t('Running…');
    case 'downloading':
      return vscode.l10n.t('Downloading…');
    // Ended: nothing more is coming, so no ellipsis (the studio shows these beside the elapsed time).
    case 'done':
      return vscode.l10n.t('Done');
    case 'failed':
      return vscode.l10n.t('Failed');
    case 'cancelled':
      return vscode.l10n.t('Cancelled');
    default:
      return vscode.l10n.t('Starting…');
  }
}

/** How far the bar should be, when the phase knows it. */
function fraction(event: ProgressEvent): number | undefined {
  if (event.phase === 'running' && event.percent !== undefined) return Math.min(90, event.percent * 0.9);
  if (event.phase === 'downloading' && event.totalBytes) return 90 + (10 * event.receivedBytes) / event.totalBytes;
  return undefined;
}
