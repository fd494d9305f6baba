import { HfVideoError } from '../errors';
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

const NAME = 'novita';

interface TaskResult {
  task?: { task_id?: string; status?: string; reason?: string; progress_percent?: number };
  videos?: Array<{ video_url?: string }>;
}

/**
 * Novita's async task API. Novita has no endpoint to cancel a task, so a cancelled job only stops
 * being followed. Where the async route is gone, the older synchronous `/v3/hf/` route is used.
 */
export const novita: ProviderAdapter = {
  name: NAME,
  directBaseUrl: 'https://api.novita.ai',
  cancellable: false,
  authorization: bearer,

  async run(call: ProviderCall, job: ProviderJob): Promise<ProviderOutput> {
    let taskId: unknown;
    try {
      ({ task_id: taskId } = await submitJob<{ task_id?: unknown }>(call, `${call.baseUrl}/v3/async/${job.providerId}`, renameSteps(baseBody(job))));
    } catch (error) {
      if (error instanceof HfVideoError && error.status === 404) return runLegacy(call, job);
      throw error;
    }
    if (typeof taskId !== 'string') throw malformed(NAME, 'no task_id');
    call.report({ phase: 'submitted', provider: NAME, providerId: job.providerId, requestId: taskId });

    const resultUrl = `${call.baseUrl}/v3/async/task-result?task_id=${encodeURIComponent(taskId)}`;
    const videoUrl = await pollUntil(call, async () => {
      const result = await readJob<TaskResult>(call, resultUrl);
      const task = result.task ?? {};
      switch (task.status) {
        case 'TASK_STATUS_QUEUED':
          call.report({ phase: 'queued' });
          return undefined;
        case 'TASK_STATUS_PROCESSING':
          call.report({ phase: 'running', logs: [], percent: task.progress_percent });
          return undefined;
        case 'TASK_STATUS_SUCCEED': {
          const url = result.videos?.[0]?.video_url;
          if (typeof url !== 'string') throw malformed(NAME, 'no video_url in the finished task');
          return url;
        }
        case 'TASK_STATUS_FAILED':
          throw providerFailed(NAME, task.reason);
        case 'TASK_STATUS_CANCELED':
          throw providerFailed(NAME, 'the task was cancelled at the provider');
        default:
          throw malformed(NAME, `unknown task status "${String(task.status)}"`);
      }
    });
    return { videoUrl, requestId: taskId };
  },
};

/** The synchronous route the Python client still uses: one request that answers with the video URL. */
async function runLegacy(call: ProviderCall, job: ProviderJob): Promise<ProviderOutput> {
  call.log('novita: the async task route is not available; using the synchronous /v3/hf/ route.');
  call.report({ phase: 'submitted', provider: NAME, providerId: job.providerId });
  call.report({ phase: 'running', logs: [] });
  const body = await submitJob<{ video?: { video_url?: string } }>(call, `${call.baseUrl}/v3/hf/${job.providerId}`, baseBody(job));
  const videoUrl = body.video?.video_url;
  if (typeof videoUrl !== 'string') throw malformed(NAME, 'no video.video_url');
  return { videoUrl };
}
