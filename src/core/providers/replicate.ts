import {
  baseBody,
  bearer,
  cancelUpstreamOnAbort,
  followJob,
  followUpUrl,
  handleUrl,
  malformed,
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

interface Prediction {
  id?: string;
  status?: string;
  output?: unknown;
  error?: unknown;
  logs?: string;
  urls?: { get?: string; cancel?: string };
}

/**
 * Replicate predictions. `Prefer: wait` lets short jobs finish in the first answer; longer ones
 * are followed through `urls.get` until they end, which the official clients never do.
 */
export const replicate: ProviderAdapter = {
  name: 'replicate',
  directBaseUrl: 'https://api.replicate.com',
  authorization: bearer,

  async submit(call: ProviderCall, job: ProviderJob): Promise<ProviderHandle> {
    // A pinned version (`owner/name:hash`) goes to the generic endpoint with `version` in the body.
    const [model, version] = job.providerId.split(':');
    const first = await submitJob<Prediction>(
      call,
      version ? `${call.baseUrl}/v1/predictions` : `${call.baseUrl}/v1/models/${model}/predictions`,
      version ? { input: baseBody(job), version } : { input: baseBody(job) },
      { prefer: 'wait' },
    );
    if (typeof first.id !== 'string') throw malformed(call.provider, 'no prediction id');
    const finishedWhileWaiting = settle(call, predictionStatus(first));
    return {
      requestId: first.id,
      urls: {
        status: followUpUrl(call, first.urls?.get ?? `${call.baseUrl}/v1/predictions/${first.id}`, 'urls.get'),
        cancel: followUpUrl(call, first.urls?.cancel ?? `${call.baseUrl}/v1/predictions/${first.id}/cancel`, 'urls.cancel'),
      },
      output: finishedWhileWaiting && { videoUrl: requireVideoUrl(call, finishedWhileWaiting.result, 'the prediction output') },
    };
  },

  async follow(call: ProviderCall, handle: ProviderHandle): Promise<ProviderOutput> {
    const stop = stopJob(call, 'POST', handleUrl(call, handle, 'cancel'));
    const output = await cancelUpstreamOnAbort(call, stop, () => followJob(call, handleUrl(call, handle, 'status'), predictionStatus));
    return { videoUrl: requireVideoUrl(call, output, 'the prediction output') };
  },
};

function predictionStatus(prediction: Prediction): JobStatus<unknown> {
  switch (prediction.status) {
    case 'starting':
      return { state: 'queued' };
    case 'processing':
      return { state: 'running', logs: lastLine(prediction.logs), percent: percentIn(prediction.logs) };
    case 'succeeded':
      return { state: 'done', result: prediction.output };
    case 'failed':
      return { state: 'failed', reason: prediction.error };
    case 'canceled':
    case 'aborted':
      return { state: 'canceled' };
    default:
      return { state: 'unknown', status: prediction.status };
  }
}

function lastLine(logs: string | undefined): string[] {
  const line = logs?.trim().split('\n').at(-1)?.trim();
  return line ? [line] : [];
}

/** Replicate models print progress bars such as " 45%|████▌ | 23/50"; the last one tells how far it is. */
function percentIn(logs: string | undefined): number | undefined {
  const matches = logs?.match(/(\d{1,3})%\|/g);
  const last = matches?.at(-1);
  return last ? Math.min(100, Number.parseInt(last, 10)) : undefined;
}
