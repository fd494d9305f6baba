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

/** Together's default `fps` (its SDK's `VideoCreateParams`). */
const TOGETHER_DEFAULT_FPS = 24;

interface VideoJob {
  id?: string;
  status?: string;
  outputs?: { video_url?: string };
  error?: { message?: string } | null;
}

/** Together's `/v2/videos` jobs. Its API has no way to cancel a job. */
export const together: ProviderAdapter = {
  name: 'together',
  // Where Together's OpenAPI spec and its own SDK (since 0.40.0) send /v2/videos; api.together.xyz is the older host.
  directBaseUrl: 'https://api.together.ai',
  authorization: bearer,

  async submit(call: ProviderCall, job: ProviderJob): Promise<ProviderHandle> {
    const url = `${call.baseUrl}/v2/videos`;
    const body = { ...sizeFields(renameSteps(baseBody(job))), model: job.providerId };
    const created = await submitJob<VideoJob>(call, url, call.routed ? body : lengthInSeconds(body));
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

/**
 * Together's own API has no frame count: a clip's length is `seconds` (a string) at `fps` (default 24), as
 * its SDK's `VideoCreateParams` types them. The frames asked for become the nearest whole number of seconds at
 * that rate (at least 1), so the length the user set is kept rather than dropped; `seconds` given as an extra
 * parameter wins. The router takes HF's `num_frames` instead.
 */
function lengthInSeconds(body: Record<string, unknown>): Record<string, unknown> {
  const { num_frames: frames, ...rest } = body;
  if (typeof frames !== 'number' || rest.seconds !== undefined) return rest;
  const fps = typeof rest.fps === 'number' && rest.fps > 0 ? rest.fps : TOGETHER_DEFAULT_FPS;
  return { ...rest, seconds: String(Math.max(1, Math.round(frames / fps))) };
}

/** Together takes `width` and `height` at the top level instead of HF's `target_size` object. */
function sizeFields(body: Record<string, unknown>): Record<string, unknown> {
  const { target_size: size, ...rest } = body;
  if (!size || typeof size !== 'object') return rest;
  const { width, height } = size as { width?: unknown; height?: unknown };
  return { ...rest, width, height };
}
