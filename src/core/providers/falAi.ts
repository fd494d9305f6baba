import { HfVideoError } from '../errors';
import {
  baseBody,
  cancelUpstreamOnAbort,
  malformed,
  followUpUrl,
  pollUntil,
  providerFailed,
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
  authorization: (key, routed) => (routed ? `Bearer ${key}` : `Key ${key}`),

  async run(call: ProviderCall, job: ProviderJob): Promise<ProviderOutput> {
    // The router needs `_subdomain=queue` to reach fal's queue host instead of the synchronous one.
    const query = call.routed ? '?_subdomain=queue' : '';
    const body = baseBody(job);
    if (job.lora) body.loras = [{ path: `https://huggingface.co/${job.hfModelId}/resolve/main/${job.lora.weightsPath}`, scale: 1 }];

    const submitted = await call.http.json<FalQueueStatus>({
      method: 'POST',
      url: `${call.baseUrl}/${job.providerId}${query}`,
      headers: call.headers,
      body,
      signal: call.signal,
      service: NAME,
    });
    const requestId = submitted.body.request_id;
    const jobBase = followUpUrl(call, submitted.body.response_url, NAME, 'response_url');
    call.report({ phase: 'submitted', provider: NAME, providerId: job.providerId, requestId });
    reportStatus(call, submitted.body, 0);

    const jobUrl = (suffix: string, extraQuery = '') => `${jobBase}${suffix}${joinQuery(query, extraQuery)}`;
    let logsSeen = 0;
    const cancel = (signal: AbortSignal) =>
      call.http.json({ method: 'PUT', url: jobUrl('/cancel'), headers: call.headers, signal, service: NAME });

    const completed = await cancelUpstreamOnAbort(call, cancel, () =>
      pollUntil(call, async () => {
        const { body: status } = await call.http.json<FalQueueStatus>({
          method: 'GET',
          url: jobUrl('/status', 'logs=1'),
          headers: call.headers,
          signal: call.signal,
          service: NAME,
          idempotent: true,
        });
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
    const { body } = await call.http.json<FalResult>({ method: 'GET', url, headers: call.headers, signal: call.signal, service: NAME, idempotent: true });
    return body;
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
