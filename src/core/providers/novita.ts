import { HfVideoError } from '../errors';
import {
  baseBody,
  bearer,
  dropUndefined,
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

interface TaskResult {
  task?: { task_id?: string; status?: string; reason?: string; progress_percent?: number };
  videos?: Array<{ video_url?: string }>;
}

/**
 * Novita's async task API. Novita has no endpoint to cancel a task, so a cancelled job only stops
 * being followed. Where the async route is gone, the older synchronous `/v3/hf/` route is used.
 */
export const novita: ProviderAdapter = {
  name: 'novita',
  directBaseUrl: 'https://api.novita.ai',
  authorization: bearer,

  async submit(call: ProviderCall, job: ProviderJob): Promise<ProviderHandle> {
    let taskId: unknown;
    try {
      const body = call.routed ? renameSteps(baseBody(job)) : nativeBody(job);
      ({ task_id: taskId } = await submitJob<{ task_id?: unknown }>(call, `${call.baseUrl}/v3/async/${job.providerId}`, body));
    } catch (error) {
      if (error instanceof HfVideoError && error.status === 404) return submitLegacy(call, job);
      throw error;
    }
    if (typeof taskId !== 'string') throw malformed(call.provider, 'no task_id');
    return { requestId: taskId, urls: { status: `${call.baseUrl}/v3/async/task-result?task_id=${encodeURIComponent(taskId)}` } };
  },

  async follow(call: ProviderCall, handle: ProviderHandle): Promise<ProviderOutput> {
    const videos = await followJob(call, handleUrl(call, handle, 'status'), taskStatus);
    return { videoUrl: requireVideoUrl(call, videos?.[0]?.video_url, 'the finished task') };
  },
};

/**
 * The body Novita's own host takes, as its JS SDK sends it (`WanT2vRequest`, filled as in the SDK's wan-t2v
 * example): `model_name` = the path's model id, `seed` -1 for random (also Novita's documented default) and
 * the clip length as `frames`. Its current docs list no length field; the SDK's type has `frames`, so the
 * length the user asked for goes there rather than being dropped (the emulator's (U) `novitaFrames` refuses it).
 * `width`/`height` go only when given: the docs default them (the emulator's (U) `novitaRequiresSize`).
 * The router takes HF's form instead (`num_frames`, no `model_name`).
 */
function nativeBody(job: ProviderJob): Record<string, unknown> {
  const { num_frames: frames, seed, ...rest } = renameSteps(baseBody(job));
  return dropUndefined({ model_name: job.providerId, ...rest, seed: seed ?? -1, frames });
}

function taskStatus(result: TaskResult): JobStatus<TaskResult['videos']> {
  const task = result.task ?? {};
  switch (task.status) {
    case 'TASK_STATUS_QUEUED':
      return { state: 'queued' };
    case 'TASK_STATUS_PROCESSING':
      return { state: 'running', percent: task.progress_percent };
    case 'TASK_STATUS_SUCCEED':
      return { state: 'done', result: result.videos };
    case 'TASK_STATUS_FAILED':
      return { state: 'failed', reason: task.reason };
    case 'TASK_STATUS_CANCELED':
      return { state: 'canceled' };
    default:
      return { state: 'unknown', status: task.status };
  }
}

/** The synchronous route the Python client still uses: one request that answers with the video URL. */
async function submitLegacy(call: ProviderCall, job: ProviderJob): Promise<ProviderHandle> {
  call.log('novita: the async task route is not available; using the synchronous /v3/hf/ route.');
  call.report({ phase: 'running', logs: [] });
  const body = await submitJob<{ video?: { video_url?: string } }>(call, `${call.baseUrl}/v3/hf/${job.providerId}`, baseBody(job));
  return { urls: {}, output: { videoUrl: requireVideoUrl(call, body.video?.video_url, 'the answer') } };
}
