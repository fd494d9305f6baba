// Together video jobs API: the model id travels in the body, not the path.
import { uuid } from './ids';
import { type Job } from './jobs';
import { jsonReply, type Reply } from './reply';
import { createJob, failureReason, invalidInput, refuseRouterFields, requireJob, requireObject, requireSubmission, videoUrl, viewNow, type Route, type ProviderRequest, type StatusNames } from './provider';

// (U) Together's canceled state is not evidenced; a canceled job reads as failed. (U) `togetherQueuedStatus` names a waiting job.
const STATUS: Omit<StatusNames, 'queued'> = { running: 'in_progress', succeeded: 'completed', failed: 'failed', canceled: 'failed' };
/** Together's own names (its SDK's `VideoCreateParams`): the clip length is `seconds` (a string) at `fps`. */
const NATIVE_NAMES = { num_frames: 'seconds', num_inference_steps: 'steps' };
const COST_USD = 0.2;

export const TOGETHER_ROUTES: Route[] = [
  { method: 'POST', pattern: 'v2/videos', phase: 'submit', handle: submit },
  { method: 'GET', pattern: 'v2/videos/:id', phase: 'status', handle: (request, params) => jobReply(request, requireJob(request, params.id)) },
];

function submit(request: ProviderRequest): Reply {
  const input = requireObject(request);
  if (typeof input.model !== 'string' || input.model === '') throw invalidInput(request, 'model is required', 'model');
  refuseRouterFields(request, input, NATIVE_NAMES);
  if (input.seconds !== undefined && typeof input.seconds !== 'string') throw invalidInput(request, 'seconds must be a string', 'seconds');
  return jobReply(request, createJob(request, uuid(), input.model, requireSubmission(request, input.model, input)));
}

function jobReply(request: ProviderRequest, job: Job): Reply {
  const view = viewNow(request, job);
  const failed = view.stage === 'failed' || view.stage === 'canceled';
  return jsonReply(200, {
    id: job.id,
    object: 'video',
    model: job.providerId,
    status: view.stage === 'queued' ? request.state.options.togetherQueuedStatus : STATUS[view.stage],
    created_at: unixSeconds(job.createdAt),
    ...(view.endedAt === undefined ? {} : { completed_at: unixSeconds(view.endedAt) }),
    size: `${Number(job.input.width ?? 832)}x${Number(job.input.height ?? 480)}`,
    seconds: String(job.input.seconds ?? 5),
    ...(failed ? { error: { message: failureReason(view), code: 'generation_failed' } } : {}),
    ...(view.stage === 'succeeded' ? { outputs: { video_url: videoUrl(request, job), cost: COST_USD } } : {}),
  });
}

function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
