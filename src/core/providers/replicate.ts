import {
  baseBody,
  bearer,
  cancelUpstreamOnAbort,
  firstUrl,
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

const NAME = 'replicate';

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
  name: NAME,
  directBaseUrl: 'https://api.replicate.com',
  cancellable: true,
  authorization: bearer,

  async run(call: ProviderCall, job: ProviderJob): Promise<ProviderOutput> {
    // A pinned version (`owner/name:hash`) goes to the generic endpoint with `version` in the body.
    const [model, version] = job.providerId.split(':');
    const first = await submitJob<Prediction>(
      call,
      version ? `${call.baseUrl}/v1/predictions` : `${call.baseUrl}/v1/models/${model}/predictions`,
      version ? { input: baseBody(job), version } : { input: baseBody(job) },
      { prefer: 'wait' },
    );
    if (typeof first.id !== 'string') throw malformed(NAME, 'no prediction id');
    call.report({ phase: 'submitted', provider: NAME, providerId: job.providerId, requestId: first.id });

    const getUrl = followUpUrl(call, first.urls?.get ?? `${call.baseUrl}/v1/predictions/${first.id}`, NAME, 'urls.get');
    const cancelUrl = followUpUrl(call, first.urls?.cancel ?? `${call.baseUrl}/v1/predictions/${first.id}/cancel`, NAME, 'urls.cancel');
    const done =
      outcome(call, first) ??
      (await cancelUpstreamOnAbort(call, stopJob(call, 'POST', cancelUrl), () =>
        pollUntil(call, async () => outcome(call, await readJob<Prediction>(call, getUrl))),
      ));
    const videoUrl = firstUrl(done.output);
    if (!videoUrl) throw malformed(NAME, 'no video URL in the output');
    return { videoUrl, requestId: first.id };
  },
};

/** The finished prediction, or undefined while it runs; a failed one throws. */
function outcome(call: ProviderCall, prediction: Prediction): Prediction | undefined {
  switch (prediction.status) {
    case 'starting':
      call.report({ phase: 'queued' });
      return undefined;
    case 'processing':
      call.report({ phase: 'running', logs: lastLine(prediction.logs), percent: percentIn(prediction.logs) });
      return undefined;
    case 'succeeded':
      return prediction;
    case 'failed':
      throw providerFailed(NAME, typeof prediction.error === 'string' ? prediction.error : undefined);
    case 'canceled':
    case 'aborted':
      throw providerFailed(NAME, 'the prediction was cancelled at the provider');
    default:
      throw malformed(NAME, `unknown status "${String(prediction.status)}"`);
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
