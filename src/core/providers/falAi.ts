import type { Dispatcher } from 'undici';
import { HfVideoError, abortReason } from '../errors';
import { MAX_JSON_BYTES, headerValue } from '../http';
import {
  baseBody,
  bearer,
  cancelUpstreamOnAbort,
  followJob,
  followUpUrl,
  handleUrl,
  providerFailed,
  readJob,
  requireVideoUrl,
  settle,
  stopJob,
  submitJob,
  type JobStatus,
  type ProviderAdapter,
  type ProviderCall,
  type ProviderHandle,
  type ProviderJob,
  type ProviderOutput,
} from './provider';

interface FalQueueStatus {
  status?: string;
  request_id?: string;
  queue_position?: number;
  response_url?: string;
  logs?: FalLogEntry[] | null;
  error?: string;
}

interface FalLogEntry {
  message?: string;
  timestamp?: string;
}

interface FalResult {
  video?: { url?: string };
  seed?: number;
}

/**
 * fal's queue API: submit, poll status, fetch the result, cancel.
 * Status and result live under `response_url` (fal drops the endpoint's sub-path), so they are
 * derived from it rather than from the submit URL.
 */
export const falAi: ProviderAdapter = {
  name: 'fal-ai',
  directBaseUrl: 'https://queue.fal.run',
  authorization: (key, routed) => (routed ? bearer(key) : `Key ${key}`),

  async submit(call: ProviderCall, job: ProviderJob): Promise<ProviderHandle> {
    const body = baseBody(job);
    if (job.lora) body.loras = [{ path: `https://huggingface.co/${job.hfModelId}/resolve/main/${job.lora.weightsPath}`, scale: 1 }];
    const query = queueQuery(call);
    const submitted = await submitJob<FalQueueStatus>(call, `${call.baseUrl}/${job.providerId}${query}`, body);
    const jobBase = followUpUrl(call, submitted.response_url, 'response_url');
    return {
      requestId: submitted.request_id,
      urls: {
        status: `${jobBase}/status${joinQuery(query, 'logs=1')}`,
        statusStream: `${jobBase}/status/stream${joinQuery(query, 'logs=1')}`,
        result: `${jobBase}${query}`,
        cancel: `${jobBase}/cancel${query}`,
      },
    };
  },

  async follow(call: ProviderCall, handle: ProviderHandle): Promise<ProviderOutput> {
    const statusUrl = handleUrl(call, handle, 'status');
    // A handle stored before the stream was used has no stream URL: that job is just polled.
    const streamUrl = handle.urls.statusStream ? handleUrl(call, handle, 'statusStream') : undefined;
    await cancelUpstreamOnAbort(call, stopJob(call, 'PUT', handleUrl(call, handle, 'cancel')), async () => {
      const interpret = queueStatus();
      if (streamUrl && (await followStream(call, streamUrl, interpret))) return;
      await followJob(call, statusUrl, interpret);
    });
    const result = await fetchResult(call, handleUrl(call, handle, 'result'));
    return { videoUrl: requireVideoUrl(call, result.video?.url, 'the result'), seed: typeof result.seed === 'number' ? result.seed : undefined };
  },
};

/** The router needs `_subdomain=queue` to reach fal's queue host instead of the synchronous one. */
function queueQuery(call: ProviderCall): string {
  return call.routed ? '?_subdomain=queue' : '';
}

/** Interprets fal's queue statuses, polled or streamed; reports each log line once. */
function queueStatus(): (status: FalQueueStatus) => JobStatus<true> {
  const freshLogs = newLogLines();
  return (status) => {
    switch (status.status) {
      case 'IN_QUEUE':
        return { state: 'queued', position: typeof status.queue_position === 'number' ? status.queue_position : undefined };
      case 'IN_PROGRESS':
        return { state: 'running', logs: freshLogs(status.logs ?? []) };
      case 'COMPLETED':
        // fal marks a failed generation as COMPLETED with an error.
        return status.error ? { state: 'failed', reason: status.error } : { state: 'done', result: true };
      // Not in fal's own client, but seen in third-party schemas: fail instead of polling forever.
      case 'FAILED':
        return { state: 'failed', reason: status.error };
      case 'CANCELED':
      case 'CANCELLED':
        return { state: 'canceled' };
      default:
        return { state: 'unknown', status: status.status };
    }
  };
}

/**
 * The log lines of a status not reported before. A polled status carries every line so far; a stream event
 * carries only the lines new since the previous event, as fal's JS client reads the stream (it appends each
 * event's logs), or perhaps all so far: that is not settled, and the stream may give way to polling midway.
 * So a status that starts with exactly the lines already seen repeats them, and any other carries only new
 * lines. Lines are told apart by timestamp as well as text, so a message that recurs still counts as new.
 */
function newLogLines(): (entries: FalLogEntry[]) => string[] {
  const seen: string[] = [];
  return (entries) => {
    const lines = entries.filter((entry) => typeof entry?.message === 'string');
    const keys = lines.map((entry) => `${entry.timestamp ?? ''} ${entry.message}`);
    const repeatsSeen = keys.length >= seen.length && seen.every((key, index) => keys[index] === key);
    const start = repeatsSeen ? seen.length : 0;
    seen.push(...keys.slice(start));
    return lines.slice(start).map((entry) => entry.message as string);
  };
}

/**
 * Follows the job through fal's status stream (server-sent events, one status per change), so its
 * completion is seen at once. True once the job is done; false when the stream is not served
 * (the router may not forward it) or ends early: the caller then polls. Failures the job itself
 * reports are thrown, as when polling.
 */
async function followStream(call: ProviderCall, url: string, interpret: (status: FalQueueStatus) => JobStatus<true>): Promise<boolean> {
  let response: Dispatcher.ResponseData;
  try {
    response = await call.http.openStream({ url, headers: { ...call.headers, accept: 'text/event-stream' }, signal: call.signal, service: call.provider });
  } catch (error) {
    if (call.signal.aborted) throw abortReason(call.signal);
    call.log(`${call.provider}: no status stream (${error instanceof Error ? error.message : String(error)}); polling the status instead.`);
    return false;
  }
  try {
    if (!/text\/event-stream/i.test(headerValue(response.headers['content-type']) ?? '')) {
      call.log(`${call.provider}: the status stream is not an event stream; polling the status instead.`);
      return false;
    }
    const events = sseData(response.body);
    for (;;) {
      let next: IteratorResult<string>;
      try {
        next = await events.next();
      } catch (error) {
        if (call.signal.aborted) throw abortReason(call.signal);
        call.log(`${call.provider}: the status stream broke off (${error instanceof Error ? error.message : String(error)}); polling the status instead.`);
        return false;
      }
      if (next.done) {
        call.log(`${call.provider}: the status stream ended before the job did; polling the status instead.`);
        return false;
      }
      let status: FalQueueStatus;
      try {
        status = JSON.parse(next.value) as FalQueueStatus;
      } catch {
        continue; // Not a status (a comment or keep-alive someone sent as data).
      }
      if (status && typeof status === 'object' && settle(call, interpret(status))) return true;
    }
  } finally {
    response.body.destroy();
  }
}

/** The `data:` payloads of a server-sent event stream, one string per event; an event may not outgrow MAX_JSON_BYTES. */
async function* sseData(body: AsyncIterable<unknown>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  let data: string[] = [];
  for await (const chunk of body) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
    if (pending.length > MAX_JSON_BYTES) throw new Error('a status event was too large');
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      if (line === '') {
        if (data.length > 0) yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
    }
  }
  if (data.length > 0) yield data.join('\n');
}

async function fetchResult(call: ProviderCall, url: string): Promise<FalResult> {
  try {
    return await readJob<FalResult>(call, url);
  } catch (error) {
    // A finished job whose result is an error response means the generation itself failed.
    if (error instanceof HfVideoError && (error.kind === 'rejected' || error.kind === 'unavailable')) {
      throw providerFailed(call.provider, error.serverMessage ?? `HTTP ${error.status}`);
    }
    throw error;
  }
}

function joinQuery(base: string, extra: string): string {
  if (!extra) return base;
  return base ? `${base}&${extra}` : `?${extra}`;
}
