import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { HfVideoError, abortReason, type NextStep } from './errors';
import type { Dispatcher } from 'undici';
import { headerValue, type HttpClient } from './http';
import { capitalize, networkReason, parseRetryAfter } from './httpErrors';
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
  /** The largest video accepted (hfVideo.maxDownloadMB). */
  maxBytes?: number;
  /** Carried from one attempt to the next, so a broken download resumes with a Range request. */
  partial?: PartialDownload;
}

/** What a broken attempt left on disk, when the CDN said it serves byte ranges. */
export interface PartialDownload {
  kept?: { temporary: string; received: number; totalBytes: number; head: Buffer; container?: VideoContainer };
  /** A resume went wrong once: from then on every attempt starts from the first byte. */
  startedOver?: boolean;
}

/** Removes what a broken attempt kept (after the last attempt failed). */
export async function discardPartial(partial: PartialDownload): Promise<void> {
  const kept = partial.kept;
  partial.kept = undefined;
  if (kept) await rm(kept.temporary, { force: true });
}

export const DEFAULT_MAX_DOWNLOAD_BYTES = 2048 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
/** Answers that say "not now" rather than "never": the download is tried again like a broken connection. */
export const RETRYABLE_DOWNLOAD_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** The video is paid for: a failed download is fetched again, never generated again. */
const DOWNLOAD_AGAIN: NextStep = { action: 'downloadAgain', label: 'Download Again' };
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
/**
 * Chunks are gathered into writes of at least this size. Every write is a round trip to Node's thread
 * pool; the disk (its page cache) takes a 64 KB socket chunk faster than the next one arrives, so a
 * write stream, whatever its buffer, made one round trip per chunk (8000 for 500 MB) and reached about
 * 0.6x curl on loopback. 1 MB batches make 500 and reach about curl's speed; only one batch is written
 * while the next gathers, so they hold about 2 MB. 256 KB measured slower, 4 MB no faster (`npm run bench`).
 */
const WRITE_BATCH_BYTES = 1024 * 1024;

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
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  const partial = options.partial;
  let kept = partial?.startedOver ? undefined : partial?.kept;
  const response = await openVideo(http, url, signal, service, kept ? { range: `bytes=${kept.received}-` } : undefined);
  if (kept && partial) {
    const resumes = response.statusCode === 206 && contentRangeMatches(headerValue(response.headers['content-range']), kept.received, kept.totalBytes);
    if ((response.statusCode === 206 && !resumes) || response.statusCode === 416) {
      // A range answer that does not fit what is on disk (or 416): start over, once.
      await response.body.dump().catch(() => undefined);
      await discardPartial(partial);
      partial.startedOver = true;
      return downloadVideo(http, url, stem, options);
    }
    if (response.statusCode === 200) {
      // 200: the range was ignored and the whole file comes again.
      await discardPartial(partial);
      kept = undefined;
    }
  }
  if (response.statusCode >= 400) {
    // The body of a CDN error says nothing the status does not; it is not read.
    await response.body.dump().catch(() => undefined);
    throw cdnStatusError(service, response);
  }
  const declared = Number(headerValue(response.headers['content-length']));
  const totalBytes = kept ? kept.totalBytes : Number.isFinite(declared) && declared > 0 ? declared : undefined;
  if (totalBytes !== undefined && totalBytes > maxBytes) {
    await response.body.dump().catch(() => undefined);
    if (partial) await discardPartial(partial);
    throw tooLarge(service, maxBytes);
  }
  // Only a known length can be checked after a resume; only a CDN that says so is sent a Range.
  const resumable = totalBytes !== undefined && (kept !== undefined || /\bbytes\b/i.test(headerValue(response.headers['accept-ranges']) ?? ''));

  const temporary = kept?.temporary ?? `${stem}.${randomBytes(6).toString('hex')}.part`;
  let received = kept?.received ?? 0;
  let head = kept?.head ?? Buffer.alloc(0);
  let container: VideoContainer | undefined = kept?.container;
  let lastReport = 0;
  const interval = options.progressIntervalMs ?? 200;
  report({ phase: 'downloading', receivedBytes: received, totalBytes });

  /** Counts, limits and sniffs each chunk on its way to the disk; throws to refuse the download. */
  const inspect = (chunk: Buffer): void => {
    received += chunk.length;
    // Content-Length may be missing or wrong: the limit holds while the bytes arrive too.
    if (received > maxBytes) throw tooLarge(service, maxBytes);
    if (kept && totalBytes !== undefined && received > totalBytes) throw new LengthMismatch();
    if (!container && head.length < SNIFF_BYTES) {
      head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
      // Decide as soon as there are enough bytes, so an error page is never downloaded whole.
      if (head.length >= 16) {
        const sniffed = sniffVideo(head);
        if ('notVideo' in sniffed) throw notAVideo(service, sniffed.notVideo);
        container = sniffed.container;
      }
    }
    const now = Date.now();
    if (now - lastReport >= interval) {
      lastReport = now;
      report({ phase: 'downloading', receivedBytes: received, totalBytes });
    }
  };
  try {
    const brokenOff = await writeInBatches(temporary, kept ? 'a' : 'wx', response.body, inspect, signal);
    if (brokenOff) throw brokenOff;
    if (!container) {
      const sniffed = sniffVideo(head);
      if ('notVideo' in sniffed) throw notAVideo(service, sniffed.notVideo);
      container = sniffed.container;
    }
    if (totalBytes !== undefined && received !== totalBytes) {
      throw new HfVideoError('network', `The video download from ${service} was cut off: ${formatBytes(received)} of ${formatBytes(totalBytes)} arrived.`, {
        nextStep: DOWNLOAD_AGAIN,
      });
    }
    await rename(temporary, `${stem}.${container}`);
  } catch (error) {
    // A file that could not be opened left the body unread; a refused chunk left the rest of it.
    response.body.destroy();
    const brokeOff = !(error instanceof HfVideoError) || error.kind === 'network';
    // Bytes that passed through may not all have reached the disk before the stream was torn down: the file size counts.
    const onDisk = partial && resumable && brokeOff && !signal.aborted && !partial.startedOver ? await stat(temporary).then((info) => info.size, () => 0) : 0;
    if (partial && onDisk > 0 && onDisk <= received && onDisk < totalBytes!) {
      // Kept for the next attempt, which asks only for the rest.
      partial.kept = { temporary, received: onDisk, totalBytes: totalBytes!, head, container };
    } else {
      if (partial) partial.kept = undefined;
      await rm(temporary, { force: true });
    }
    if (signal.aborted) throw abortReason(signal);
    if (error instanceof LengthMismatch && partial && !partial.startedOver) {
      // More bytes than the file has: what is on disk cannot be trusted. Start over, once.
      partial.startedOver = true;
      return downloadVideo(http, url, stem, options);
    }
    if (error instanceof HfVideoError) throw error;
    throw new HfVideoError('network', `The video download from ${service} broke off after ${formatBytes(received)}: ${networkReason(url, error)}.`, {
      cause: error,
      nextStep: DOWNLOAD_AGAIN,
    });
  }
  if (partial) partial.kept = undefined;
  report({ phase: 'downloading', receivedBytes: received, totalBytes: totalBytes ?? received });
  return { file: `${stem}.${container}`, bytes: received, container };
}

/**
 * A video URL must be https (http only on this machine, as with the emulator): anything else could read
 * local files or leave the machine unencrypted.
 */
export function checkVideoUrl(url: string, service: string, allowLoopbackHttp = true): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const loopbackHttp = allowLoopbackHttp && parsed?.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
  if (parsed && (parsed.protocol === 'https:' || loopbackHttp)) return parsed;
  // Only scheme and host are shown: a signed address carries secrets in its query.
  const shown = parsed ? `${parsed.protocol}//${parsed.host}` : 'an address that is not a URL';
  throw new HfVideoError('badOutput', `${capitalize(service)} gave a video address that is not https, so it was not fetched: ${shown}`, {
    nextStep: { action: 'showLog', label: 'Show Log' },
  });
}

/**
 * GETs the video, following up to MAX_REDIRECTS redirects itself (undici does not), each checked like the
 * video URL. No hop carries an Authorization header: the download sends none.
 */
async function openVideo(http: HttpClient, videoUrl: string, signal: AbortSignal, service: string, headers?: Record<string, string>): Promise<Dispatcher.ResponseData> {
  let url = checkVideoUrl(videoUrl, service);
  // An https video never leads to plain http, not even on this machine.
  const loopbackVideo = url.protocol === 'http:';
  for (let hops = 0; ; hops++) {
    const response = await http.stream(url.href, signal, service, headers);
    const location = headerValue(response.headers.location);
    if (!REDIRECT_STATUS.has(response.statusCode) || !location) return response;
    await response.body.dump().catch(() => undefined);
    if (hops >= MAX_REDIRECTS) {
      throw new HfVideoError('badOutput', `${capitalize(service)} redirected the video more than ${MAX_REDIRECTS} times, so the download was stopped.`, {
        nextStep: { action: 'showLog', label: 'Show Log' },
      });
    }
    url = checkVideoUrl(new URL(location, url).href, service, loopbackVideo);
  }
}

/**
 * Writes the body to `path` (flags `wx`: a new file, `a`: appended) a batch at a time, receiving the next
 * batch while the last one is written; `inspect` sees each chunk first and throws to refuse it. The file is
 * closed, with every batch handed over written, before this returns or throws.
 *
 * A body that breaks off (anything but cancelling) ends the writing like a finished one, so every byte
 * received reaches the disk and the next attempt can ask for exactly the rest; its error is returned.
 */
async function writeInBatches(path: string, flags: 'wx' | 'a', body: AsyncIterable<Buffer>, inspect: (chunk: Buffer) => void, signal: AbortSignal): Promise<unknown> {
  const file = await open(path, flags);
  // Iterated by hand, so only the body's own failures count as breaking off, not refusals or disk errors.
  const chunks = body[Symbol.asyncIterator]();
  let writing: Promise<void> | undefined;
  try {
    let batch: Buffer[] = [];
    let batchBytes = 0;
    let brokenOff: unknown;
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (error) {
        if (signal.aborted) throw error;
        brokenOff = error;
        break;
      }
      if (next.done) break;
      inspect(next.value);
      batch.push(next.value);
      batchBytes += next.value.length;
      if (batchBytes < WRITE_BATCH_BYTES) continue;
      await writing;
      writing = writeAll(file, batch);
      // Its failure is thrown where it is awaited; meanwhile it must not count as unhandled.
      writing.catch(() => undefined);
      batch = [];
      batchBytes = 0;
    }
    await writing;
    await writeAll(file, batch);
    return brokenOff;
  } finally {
    // When receiving failed, the batch under way still lands, so the file holds every byte handed over.
    await writing?.catch(() => undefined);
    await file.close();
  }
}

/** writev may write less than asked (a disk filling up): the rest is written until it is all down or fails. */
async function writeAll(file: FileHandle, buffers: Buffer[]): Promise<void> {
  let left = buffers;
  while (left.length > 0) {
    let { bytesWritten } = await file.writev(left);
    while (left.length > 0 && bytesWritten >= left[0].length) {
      bytesWritten -= left[0].length;
      left = left.slice(1);
    }
    if (bytesWritten > 0) left = [left[0].subarray(bytesWritten), ...left.slice(1)];
  }
}

/** A resumed download got more bytes than the file has. */
class LengthMismatch extends Error {
  constructor() {
    super('more bytes arrived than the file has');
  }
}

/** `bytes <start>-<end>/<total>` starting where the kept file ends, for the same total. */
function contentRangeMatches(header: string | undefined, start: number, total: number): boolean {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header?.trim() ?? '');
  return match !== null && Number(match[1]) === start && Number(match[2]) === total - 1 && Number(match[3]) === total;
}

function cdnStatusError(service: string, response: Dispatcher.ResponseData): HfVideoError {
  const status = response.statusCode;
  const why = RETRYABLE_DOWNLOAD_STATUS.has(status)
    ? 'it is busy or unavailable right now'
    : status === 401 || status === 403 || status === 404 || status === 410
      ? 'the link may have expired'
      : 'the file could not be served';
  // Never a token step: the download carries no token.
  return new HfVideoError(RETRYABLE_DOWNLOAD_STATUS.has(status) ? 'unavailable' : 'badOutput', `${capitalize(service)} answered HTTP ${status} for the video: ${why}.`, {
    status,
    retryAfter: parseRetryAfter(response.headers['retry-after']),
    nextStep: DOWNLOAD_AGAIN,
  });
}

function tooLarge(service: string, maxBytes: number): HfVideoError {
  return new HfVideoError('badOutput', `The video from ${service} is larger than ${formatBytes(maxBytes)}, the limit set by hfVideo.maxDownloadMB.`, {
    nextStep: { action: 'openSettings', label: 'Change Limit', setting: 'hfVideo.maxDownloadMB' },
  });
}

function notAVideo(service: string, what: string): HfVideoError {
  return new HfVideoError('badOutput', `${service} sent ${what} instead of a video.`, { nextStep: { action: 'showLog', label: 'Show Log' } });
}
