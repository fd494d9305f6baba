import type { ProgressEvent } from './types';

/** One short line for the progress notification; the elapsed time is appended by the caller. */
export function describeProgress(event: ProgressEvent): string {
  switch (event.phase) {
    case 'resolving':
      return `Finding a provider for ${event.model}…`;
    case 'submitted':
      return `Submitted to ${event.provider}…`;
    case 'queued':
      return event.position === undefined ? 'Waiting in the provider queue…' : `Queued (position ${event.position + 1})…`;
    case 'running': {
      const last = event.logs.at(-1);
      const percent = event.percent === undefined ? '' : ` ${Math.round(event.percent)}%`;
      return `Generating${percent}…${last ? ` ${truncate(last, 60)}` : ''}`;
    }
    case 'downloading':
      return event.totalBytes
        ? `Downloading ${formatBytes(event.receivedBytes)} of ${formatBytes(event.totalBytes)}…`
        : `Downloading ${formatBytes(event.receivedBytes)}…`;
    case 'done':
      return 'Done.';
  }
}

/** A log line for the output channel (which adds its own timestamps). */
export function describeForLog(event: ProgressEvent): string | undefined {
  switch (event.phase) {
    case 'submitted':
      return `Submitted to ${event.provider} as ${event.providerId}${event.requestId ? `, request ${event.requestId}` : ''}`;
    case 'running':
      return event.logs.length ? event.logs.map((line) => `[provider] ${line}`).join('\n') : undefined;
    case 'done':
      return `Video ready: ${event.file}`;
    default:
      return describeProgress(event);
  }
}

export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A prompt for a title or a list: one line, cut with an ellipsis. */
export function oneLine(text: string, max: number): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), max);
}

/** Sizes as people read them: 512 B, 4.2 MB, 1.1 GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
