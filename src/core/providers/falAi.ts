import { HfVideoError } from '../errors';
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
  logs?: Array<{ message?: string }> | null;
  error?: string;
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
        result: `${jobBase}${query}`,
        cancel: `${jobBase}/cancel${query}`,
      },
    };
  },

  async follow(call: ProviderCall, handle: ProviderHandle): Promise<ProviderOutput> {
    const statusUrl = handleUrl(call, handle, 'status');
    await cancelUpstreamOnAbort(call, stopJob(call, 'PUT', handleUrl(call, handle, 'cancel')), () => followJob(call, statusUrl, queueStatus()));
    const result = await fetchResult(call, handleUrl(call, handle, 'result'));
    return { videoUrl: requireVideoUrl(call, result.video?.url, 'the result'), seed: typeof result.seed === 'number' ? result.seed : undefined };
  },
};

/** The router needs `_subdomain=queue` to reach fal's queue host instead of the synchronous one. */
function queueQuery(call: ProviderCall): string {
  return call.routed ? '?_subdomain=queue' : '';
}

/** Interprets fal's queue statuses; remembers how many log lines were already shown. */
function queueStatus(): (status: FalQueueStatus) => JobStatus<true> {
  let logsSeen = 0;
  return (status) => {
    switch (status.status) {
      case 'IN_QUEUE':
        return { state: 'queued', position: typeof status.queue_position === 'number' ? status.queue_position : undefined };
      case 'IN_PROGRESS': {
        const logs = (status.logs ?? []).map((entry) => entry.message).filter((message): message is string => typeof message === 'string');
        const fresh = logs.slice(logsSeen);
        logsSeen = Math.max(logsSeen, logs.length);
        return { state: 'running', logs: fresh };
      }
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
