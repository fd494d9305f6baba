import * as vscode from 'vscode';
import { cancelledError } from '../core/errors';
import { describeForLog, describeProgress, formatElapsed } from '../core/progressText';
import type { ProgressEvent, ProgressListener } from '../core/types';

/**
 * Runs a job under a cancellable progress notification. Cancel aborts the job's signal; the
 * message shows the current phase and the elapsed time, refreshed every second.
 */
export function runWithProgress<T>(
  title: string,
  log: { info(line: string): void },
  job: (signal: AbortSignal, onProgress: ProgressListener) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const onCancel = token.onCancellationRequested(() => controller.abort(cancelledError()));
    const started = Date.now();
    let phase = 'Starting…';
    let lastPercent = 0;
    const render = () => progress.report({ message: `${phase} (${formatElapsed(Date.now() - started)})` });
    const ticker = setInterval(render, 1000);
    const onProgress = (event: ProgressEvent) => {
      phase = describeProgress(event);
      const percent = fraction(event);
      if (percent !== undefined && percent > lastPercent) {
        progress.report({ increment: percent - lastPercent });
        lastPercent = percent;
      }
      render();
      const line = describeForLog(event);
      if (line && event.phase !== 'downloading') log.info(line);
    };
    try {
      return await job(controller.signal, onProgress);
    } finally {
      clearInterval(ticker);
      onCancel.dispose();
    }
  });
}

/** How far the bar should be, when the phase knows it. */
function fraction(event: ProgressEvent): number | undefined {
  if (event.phase === 'running' && event.percent !== undefined) return Math.min(90, event.percent * 0.9);
  if (event.phase === 'downloading' && event.totalBytes) return 90 + (10 * event.receivedBytes) / event.totalBytes;
  return undefined;
}
