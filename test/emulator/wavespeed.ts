// WaveSpeedAI predictions API. Every body is wrapped in `{code, message, data}`.
import { hexId } from './ids';
import { iso, waitForJob, type Job } from './jobs';
import { jsonReply, type Reply } from './reply';
import { createJob, failureReason, publicBase, requireJob, requireSubmission, videoUrl, viewNow, type Route, type ProviderRequest, type StatusNames } from './provider';

// (U) WaveSpeed's canceled state is not evidenced; a canceled job reads as failed.
const STATUS: StatusNames = { queued: 'created', running: 'processing', succeeded: 'completed', failed: 'failed', canceled: 'failed' };

export const WAVESPEED_ROUTES: Route[] = [
  { method: 'GET', pattern: 'api/v3/predictions/:id', phase: 'status', handle: (request, params) => predictionReply(request, requireJob(request, params.id)) },
  // WaveSpeed's JS SDK polls `/result`; other clients reuse whatever path `urls.get` has.
  { method: 'GET', pattern: 'api/v3/predictions/:id/result', phase: 'status', handle: (request, params) => predictionReply(request, requireJob(request, params.id)) },
  { method: 'POST', pattern: 'api/v3/*pid', phase: 'submit', handle: (request, params) => submit(request, params.pid) },
];

/** With `enable_sync_mode: true` (WaveSpeed's synchronous mode) the submit is held until the job ends and answers it finished. */
async function submit(request: ProviderRequest, providerId: string): Promise<Reply> {
  const input = requireSubmission(request, providerId);
  const job = createJob(request, hexId(32), providerId, input);
  if (input.enable_sync_mode === true) await waitForJob(job, request.state.options.now, Infinity, request.signal);
  return predictionReply(request, job);
}

function predictionReply(request: ProviderRequest, job: Job): Reply {
  const view = viewNow(request, job);
  const inferenceMs = view.stage === 'succeeded' ? job.plan.runMs : 0;
  return jsonReply(200, {
    code: 200,
    message: 'success',
    data: {
      id: job.id,
      model: job.providerId,
      outputs: view.stage === 'succeeded' ? [videoUrl(request, job)] : [],
      urls: { get: `${publicBase(request)}/api/v3/predictions/${job.id}` },
      has_nsfw_contents: view.stage === 'succeeded' ? [false] : [],
      status: STATUS[view.stage],
      created_at: iso(job.createdAt),
      error: failureReason(view),
      executionTime: inferenceMs,
      // WaveSpeed reports timings in milliseconds.
      timings: { inference: inferenceMs },
    },
  });
}
