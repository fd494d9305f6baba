import {
  baseBody,
  bearer,
  followJob,
  handleUrl,
  malformed,
  renameSteps,
  requireVideoUrl,
  submitJob,
  type JobStatus,
  type ProviderAdapter,
  type ProviderCall,
  type ProviderHandle,
  type ProviderJob,
  type ProviderOutput,
} from './provider';

interface VideoJob {
  id?: string;
  status?: string;
  outputs?: { video_url?: string };
  error?: { message?: string } | null;
}

/** Together's `/v2/videos` jobs. Its API has no way to cancel a job. */
export const together: ProviderAdapter = {
  name: 'together',
  directBaseUrl: 'https://api.together.xyz',
  authorization: bearer,

  async submit(call: ProviderCall, job: ProviderJob): Promise<ProviderHandle> {
    const url = `${call.baseUrl}/v2/videos`;
    const created = await submitJob<VideoJob>(call, url, { ...sizeFields(renameSteps(baseBody(job))), model: job.providerId });
    if (typeof created.id !== 'string') throw malformed(call.provider, 'no job id');
    return { requestId: created.id, urls: { status: `${url}/${encodeURIComponent(created.id)}` } };
  },

  async follow(call: ProviderCall, handle: ProviderHandle): Promise<ProviderOutput> {
    const outputs = await followJob(call, handleUrl(call, handle, 'status'), jobStatus);
    return { videoUrl: requireVideoUrl(call, outputs?.video_url, 'the completed job') };
  },
};

function jobStatus(job: VideoJob): JobStatus<VideoJob['outputs']> {
  switch (job.status) {
    case undefined:
    case 'queued':
      return { state: 'queued' };
    case 'in_progress':
      return { state: 'running' };
    case 'completed':
      return { state: 'done', result: job.outputs };
    case 'failed':
      return { state: 'failed', reason: job.error?.message };
    default:
      return { state: 'unknown', status: job.status };
  }
}

/** Together takes `width` and `height` at the top level instead of HF's `target_size` object. */
function sizeFields(body: Record<string, unknown>): Record<string, unknown> {
  const { target_size: size, ...rest } = body;
  if (!size || typeof size !== 'object') return rest;
  const { width, height } = size as { width?: unknown; height?: unknown };
  return { ...rest, width, height };
}
