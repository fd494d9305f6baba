import { HfVideoError } from '../errors';
import {
  baseBody,
  bearer,
  cancelUpstreamOnAbort,
  followUpUrl,
  malformed,
  pollUntil,
  providerFailed,
  readJob,
  stopJob,
  submitJob,
  type ProviderAdapter,
  type ProviderCall,
  type ProviderJob,
  type ProviderOutput,
} from './provider';

const NAME = 'fal-ai';

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
  name: NAME,
  directBaseUrl: 'https://queue.fal.run',
  cancellable: true,
  authorization: (key, routed) => (routed ? bearer(key) : `Key ${key}`),

  async run(call: ProviderCall, job: ProviderJob): Promise<ProviderOutput> {
    // The router needs `_subdomain=queue` to reach fal's queue host instead of the synchronous one.
    const query = call.routed ? '?_subdomain=queue' : '';
    const body = baseBody(job);
    if (job.lora) body.loras = [{ path: `https://huggingface.co/${job.hfModelId}/resolve/main/${job.lora.weightsPath}`, scale: 1 }];

    const submitted = await submitJob<FalQueueStatus>(call, `${call.baseUrl}/${job.providerId}${query}`, body);
    const requestId = submitted.request_id;
    const jobBase = followUpUrl(call, submitted.response_url, NAME, 'response_url');
    const jobUrl = (suffix: string, extraQuery = '') => `${jobBase}${suffix}${joinQuery(query, extraQuery)}`;
    call.report({ phase: 'submitted', provider: NAME, providerId: job.providerId, requestId });
    let logsSeen = reportStatus(call, submitted, 0);

    const completed = await cancelUpstreamOnAbort(call, stopJob(call, 'PUT', jobUrl('/cancel')), () =>
      pollUntil(call, async () => {
        const status = await readJob<FalQueueStatus>(call, jobUrl('/status', 'logs=1'));
        logsSeen = reportStatus(call, status, logsSeen);
        return status.status === 'COMPLETED' ? status : undefined;
      }),
    );
    if (completed.error) throw providerFailed(NAME, completed.error);

    const result = await fetchResult(call, jobUrl(''));
    const videoUrl = result.video?.url;
    if (typeof videoUrl !== 'string' || !/^https?:\/\//.test(videoUrl)) throw malformed(NAME, 'no video.url in the result');
    return { videoUrl, requestId, seed: typeof result.seed === 'number' ? result.seed : undefined };
  },
};

/** Reports queue position or new log lines; returns how many log lines have been seen. */
function reportStatus(call: ProviderCall, status: FalQueueStatus, logsSeen: number): number {
  switch (status.status) {
    case 'IN_QUEUE':
      call.report({ phase: 'queued', position: typeof status.queue_position === 'number' ? status.queue_position : undefined });
      return logsSeen;
    case 'IN_PROGRESS':
    case 'COMPLETED': {
      const logs = (status.logs ?? []).map((entry) => entry.message).filter((message): message is string => typeof message === 'string');
      if (status.status === 'IN_PROGRESS' || logs.length > logsSeen) call.report({ phase: 'running', logs: logs.slice(logsSeen) });
      return Math.max(logsSeen, logs.length);
    }
    // Not documented by fal's client, but seen in third-party schemas: fail instead of polling forever.
    case 'FAILED':
      throw providerFailed(NAME, status.error);
    case 'CANCELED':
    case 'CANCELLED':
      throw providerFailed(NAME, 'the job was cancelled at the provider');
    default:
      throw malformed(NAME, `unknown status "${String(status.status)}"`);
  }
}

async function fetchResult(call: ProviderCall, url: string): Promise<FalResult> {
  try {
    return await readJob<FalResult>(call, url);
  } catch (error) {
    // A finished job whose result is an error response means the generation itself failed.
    if (error instanceof HfVideoError && (error.kind === 'rejected' || error.kind === 'unavailable')) {
      throw providerFailed(NAME, error.serverMessage ?? `HTTP ${error.status}`);
    }
    throw error;
  }
}

function joinQuery(base: string, extra: string): string {
  if (!extra) return base;
  return base ? `${base}&${extra}` : `?${extra}`;
}
