import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HfVideoError, abortReason } from './errors';
import { headerValue, type HttpClient } from './http';
import { errorFromResponse, networkReason } from './httpErrors';
import { formatBytes } from './progressText';
import type { ProgressListener } from './types';
import { SNIFF_BYTES, sniffVideo, type VideoContainer } from './videoFormat';

export interface DownloadOptions {
  signal: AbortSignal;
  report: ProgressListener;
  /** Who serves the file, for messages: "the fal-ai CDN". */
  service: string;
  /** Minimum time between two progress reports. */
  progressIntervalMs?: number;
}

export interface DownloadedVideo {
  /** `${stem}.mp4` or `${stem}.webm`, after what the bytes turned out to be. */
  file: string;
  bytes: number;
  container: VideoContainer;
}

/**
 * Streams a video to `${stem}.mp4` (or `.webm`) through a temporary file in the same folder, then
 * renames it: the file appears only when every byte has arrived and the bytes really are a video.
 * Memory stays flat whatever the size. On any failure the temporary file is removed.
 */
export async function downloadVideo(http: HttpClient, url: string, stem: string, options: DownloadOptions): Promise<DownloadedVideo> {
  const { signal, report, service } = options;
  const response = await http.stream(url, signal, service);
  if (response.statusCode >= 400) {
    const body = await response.body.text().catch(() => '');
    const failure = errorFromResponse({ service, status: response.statusCode, body });
    throw new HfVideoError('badOutput', `The video could not be downloaded: ${failure.userMessage}`, { status: response.statusCode, nextStep: failure.nextStep });
  }
  const declared = Number(headerValue(response.headers['content-length']));
  const totalBytes = Number.isFinite(declared) && declared > 0 ? declared : undefined;

  const temporary = `${stem}.${randomBytes(6).toString('hex')}.part`;
  let received = 0;
  let head = Buffer.alloc(0);
  let container: VideoContainer | undefined;
  let lastReport = 0;
  const interval = options.progressIntervalMs ?? 200;
  report({ phase: 'downloading', receivedBytes: 0, totalBytes });

  const inspect = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (!container && head.length < SNIFF_BYTES) {
        head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
        // Decide as soon as there are enough bytes, so an error page is never downloaded whole.
        if (head.length >= 16) {
          const sniffed = sniffVideo(head);
          if ('notVideo' in sniffed) return done(notAVideo(service, sniffed.notVideo));
          container = sniffed.container;
        }
      }
      const now = Date.now();
      if (now - lastReport >= interval) {
        lastReport = now;
        report({ phase: 'downloading', receivedBytes: received, totalBytes });
      }
      done(null, chunk);
    },
  });

  const file = createWriteStream(temporary, { flags: 'wx' });
  try {
    await pipeline(response.body, inspect, file, { signal });
    if (!container) {
      const sniffed = sniffVideo(head);
      if ('notVideo' in sniffed) throw notAVideo(service, sniffed.notVideo);
      container = sniffed.container;
    }
    if (totalBytes !== undefined && received !== totalBytes) {
      throw new HfVideoError('network', `The video download from ${service} was cut off: ${formatBytes(received)} of ${formatBytes(totalBytes)} arrived.`, {
        nextStep: { action: 'retry', label: 'Try Again' },
      });
    }
    await rename(temporary, `${stem}.${container}`);
  } catch (error) {
    // The file may still be opening when the pipeline fails; removing it before it closes would leave it behind.
    if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
    await rm(temporary, { force: true });
    if (signal.aborted) throw abortReason(signal);
    if (error instanceof HfVideoError) throw error;
    throw new HfVideoError('network', `The video download from ${service} broke off after ${formatBytes(received)}: ${networkReason(url, error)}.`, {
      cause: error,
      nextStep: { action: 'retry', label: 'Try Again' },
    });
  }
  report({ phase: 'downloading', receivedBytes: received, totalBytes: totalBytes ?? received });
  return { file: `${stem}.${container}`, bytes: received, container };
}

function notAVideo(service: string, what: string): HfVideoError {
  return new HfVideoError('badOutput', `${service} sent ${what} instead of a video.`, { nextStep: { action: 'showLog', label: 'Show Log' } });
}
