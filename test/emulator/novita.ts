// Novita async task API, plus the legacy synchronous `/v3/hf/` route the Python
// client still uses. Novita has no documented cancel endpoint, so none is served.
import { uuid } from './ids';
import { waitForJob, type Job, type JobView } from './jobs';
import { jsonReply, type Reply } from './reply';
import { createJob, failureReason, invalidInput, providerError, refuseRouterFields, requireJob, requireSubmission, videoUrl, viewNow, type Route, type ProviderRequest, type StatusNames } from './provider';

// (U) Novita's canceled state is not evidenced; a canceled job reads as failed.
const STATUS: StatusNames = {
  queued: 'TASK_STATUS_QUEUED',
  running: 'TASK_STATUS_PROCESSING',
  succeeded: 'TASK_STATUS_SUCCEED',
  failed: 'TASK_STATUS_FAILED',
  canceled: 'TASK_STATUS_FAILED',
};
const URL_TTL_SECONDS = '3600';

export const NOVITA_ROUTES: Route[] = [
  { method: 'GET', pattern: 'v3/async/task-result', phase: 'status', handle: taskResult },
  { method: 'POST', pattern: 'v3/async/*pid', phase: 'submit', handle: (request, params) => jsonReply(200, { task_id: asyncSubmit(request, params.pid).id }) },
  { method: 'POST', pattern: 'v3/hf/*pid', phase: 'submit', handle: (request, params) => legacySubmit(request, params.pid) },
];

/**
 * Novita's own names, as its JS SDK's `WanT2vRequest` has them (`model_name`, `width`, `height`, `seed`
 * with -1 for random, `frames`) and its docs (`steps`, `guidance_scale`, `negative_prompt`).
 */
const NATIVE_NAMES = { num_frames: 'frames', num_inference_steps: 'steps' };

/** The async task route: on Novita's own host it takes Novita's names (the `/v3/hf/` route is HF's own). */
function asyncSubmit(request: ProviderRequest, providerId: string): Job {
  const input = requireSubmission(request, providerId);
  refuseRouterFields(request, input, NATIVE_NAMES);
  // (U) The SDK's type has `frames`; the current docs list no length field at all.
  if (request.mode === 'direct' && input.frames !== undefined && request.state.options.novitaFrames === 'reject') {
    throw invalidInput(request, 'frames is not a parameter of this API', 'frames');
  }
  return submit(request, providerId, input);
}

function submit(request: ProviderRequest, providerId: string, input = requireSubmission(request, providerId)): Job {
  // (U) Whether the router/Novita fills width and height for HF calls.
  if (request.state.options.novitaRequiresSize) {
    for (const field of ['width', 'height']) {
      if (typeof input[field] !== 'number') throw invalidInput(request, `${field} is required`, field);
    }
  }
  return createJob(request, uuid(), providerId, input);
}

function taskResult(request: ProviderRequest): Reply {
  const taskId = request.query.task_id;
  if (!taskId) throw invalidInput(request, 'task_id is required', 'task_id');
  const job = requireJob(request, taskId);
  const view = viewNow(request, job);
  return jsonReply(200, {
    extra: { seed: String(job.seed) },
    task: {
      task_id: job.id,
      status: STATUS[view.stage],
      reason: failureReason(view),
      eta: etaSeconds(job, view, request.state.options.now()),
      progress_percent: Math.round(view.progress * 100),
    },
    images: [],
    videos: view.stage === 'succeeded' ? [videoEntry(request, job)] : [],
    audios: [],
  });
}

function videoEntry(request: ProviderRequest, job: Job): Record<string, string> {
  return { video_url: videoUrl(request, job), video_url_ttl: URL_TTL_SECONDS, video_type: 'mp4' };
}

function etaSeconds(job: Job, view: JobView, now: number): number {
  if (view.stage !== 'queued' && view.stage !== 'running') return 0;
  const end = job.createdAt + job.plan.queueMs + job.plan.runMs;
  return Math.max(0, Math.ceil((end - now) / 1000));
}

/** (U) `novitaLegacyHf`: the synchronous route may be gone. */
async function legacySubmit(request: ProviderRequest, providerId: string): Promise<Reply> {
  if (request.state.options.novitaLegacyHf === 'not-found') throw providerError(request, 404, 'Not Found');
  const job = submit(request, providerId);
  const view = await waitForJob(job, request.state.options.now, Infinity, request.signal);
  if (view.stage !== 'succeeded') throw providerError(request, 500, view.message ?? 'Task did not finish');
  return jsonReply(200, { video: videoEntry(request, job) });
}
