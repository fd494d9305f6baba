import {
  baseBody,
  bearer,
  malformed,
  pollUntil,
  providerFailed,
  readJob,
  renameSteps,
  submitJob,
  type ProviderAdapter,
  type ProviderCall,
  type ProviderJob,
  type ProviderOutput,
} from './provider';

const NAME = 'together';
/** Together's own client polls every 2 s; faster polling only costs requests. */
const TOGETHER_POLL_MS = 2000;

interface VideoJob {
  id?: string;
  status?: string;
  outputs?: { video_url?: string };
  error?: { message?: string } | null;
}

/** Together's `/v2/videos` jobs. Its API has no way to cancel a job. */
export const together: ProviderAdapter = {
  name: NAME,
  directBaseUrl: 'https://api.together.xyz',
  cancellable: false,
  authorization: bearer,

  async run(call: ProviderCall, job: ProviderJob): Promise<ProviderOutput> {
    const url = `${call.baseUrl}/v2/videos`;
    const created = await submitJob<VideoJob>(call, url, { ...sizeFields(renameSteps(baseBody(job))), model: job.providerId });
    const id = created.id;
    if (typeof id !== 'string') throw malformed(NAME, 'no job id');
    call.report({ phase: 'submitted', provider: NAME, providerId: job.providerId, requestId: id });

    const videoUrl = await pollUntil(
      call,
      async () => {
        const state = await readJob<VideoJob>(call, `${url}/${encodeURIComponent(id)}`);
        switch (state.status) {
          case undefined:
          case 'queued':
            call.report({ phase: 'queued' });
            return undefined;
          case 'in_progress':
            call.report({ phase: 'running', logs: [] });
            return undefined;
          case 'completed':
            if (typeof state.outputs?.video_url !== 'string') throw malformed(NAME, 'no outputs.video_url in the completed job');
            return state.outputs.video_url;
          case 'failed':
            throw providerFailed(NAME, state.error?.message);
          default:
            throw malformed(NAME, `unknown job status "${state.status}"`);
        }
      },
      Math.min(call.pollIntervalMs * 2, TOGETHER_POLL_MS),
    );
    return { videoUrl, requestId: id };
  },
};

/** Together takes `width` and `height` at the top level instead of HF's `target_size` object. */
function sizeFields(body: Record<string, unknown>): Record<string, unknown> {
  const { target_size: size, ...rest } = body;
  if (!size || typeof size !== 'object') return rest;
  const { width, height } = size as { width?: unknown; height?: unknown };
  return { ...rest, width, height };
}
