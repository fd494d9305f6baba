import * as vscode from 'vscode';
import type { JobQueue } from '../core/jobs/queue';
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
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const onCancel = token.onCancellationRequested(() => void queue.cancel(id));
      const started = Date.now();
      let lastPercent = 0;
      const render = () => progress.report({ message: `${phaseText(queue, id)} (${formatElapsed(Date.now() - started)})` });
      const ticker = setInterval(render, 1000);
      const events = queue.onDidChange((event) => {
        if (event.type === 'changed' && event.record.id === id) render();
        if (event.type !== 'progress' || event.id !== id) return;
        const percent = fraction(event.event);
        if (percent !== undefined && percent > lastPercent) {
          progress.report({ increment: percent - lastPercent });
          lastPercent = percent;
        }
        render();
      });
      render();
      try {
        return await settled;
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
  if (place >= 0) return place === 0 ? 'Waiting for a free slot…' : `Waiting for a free slot (${place} ahead)…`;
  const event = queue.progressOf(id);
  if (event) return describeProgress(event);
  const state = queue.get(id)?.state;
  return state === 'downloading' ? 'Downloading…' : state === 'queued' ? 'Starting…' : state ? `${state[0].toUpperCase()}${state.slice(1)}…` : 'Starting…';
}

/** How far the bar should be, when the phase knows it. */
function fraction(event: ProgressEvent): number | undefined {
  if (event.phase === 'running' && event.percent !== undefined) return Math.min(90, event.percent * 0.9);
  if (event.phase === 'downloading' && event.totalBytes) return 90 + (10 * event.receivedBytes) / event.totalBytes;
  return undefined;
}

/**
 * Several jobs (the shots of a prompt file) in one cancellable notification: how many are done and
 * running, and the elapsed time. Cancel cancels them all. Resolves with every settled record, in order.
 */
export function followBatchProgress(queue: JobQueue, ids: readonly string[], title: string): Promise<JobRecord[]> {
  const settled = Promise.all(ids.map((id) => queue.whenSettled(id)));
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const onCancel = token.onCancellationRequested(() => ids.forEach((id) => void queue.cancel(id)));
      const started = Date.now();
      let reported = 0;
      const render = () => {
        const records = ids.map((id) => queue.get(id));
        const ended = records.filter((record) => !record || !isActive(record)).length;
        const waiting = ids.filter((id) => queue.waitingIds().includes(id)).length;
        const share = (100 * ended) / ids.length;
        progress.report({ message: `${ended} of ${ids.length} done, ${ids.length - ended - waiting} running, ${waiting} waiting (${formatElapsed(Date.now() - started)})`, increment: share - reported });
        reported = share;
      };
      const ticker = setInterval(render, 1000);
      const events = queue.onDidChange((event) => event.type === 'changed' && ids.includes(event.record.id) && render());
      render();
      try {
        return await settled;
      } finally {
        clearInterval(ticker);
        events.dispose();
        onCancel.dispose();
      }
    }),
  );
}
