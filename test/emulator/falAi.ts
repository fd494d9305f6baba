// fal.ai queue API: submit, status, result, cancel. Status and result live under
// the app id (`owner/app`), not the full endpoint path the job was submitted to.
import { uuid } from './ids';
import { cancelJob, isTerminal, jobLogs, waitForJob, type Job, type JobView } from './jobs';
import { jsonReply, withHeaders, type Reply, type ReplyBody } from './reply';
import { createJob, providerError, publicBase, requireJob, requireSubmission, seconds, videoUrl, viewNow, type Route, type ProviderRequest } from './provider';

const CANCELED_MESSAGE = 'Request was cancelled';

export const FAL_AI_ROUTES: Route[] = [
  // (U) routed only with `routerServesStatusStream` (gated in dispatch).
  { method: 'GET', pattern: ':owner/:app/requests/:id/status/stream', phase: 'status', statusStream: true, handle: (request, params) => statusStreamReply(request, requireAppJob(request, params)) },
  { method: 'GET', pattern: ':owner/:app/requests/:id/status', phase: 'status', handle: (request, params) => statusReply(request, requireAppJob(request, params)) },
  { method: 'GET', pattern: ':owner/:app/requests/:id', phase: 'result', handle: (request, params) => resultReply(request, requireAppJob(request, params)) },
  { method: 'PUT', pattern: ':owner/:app/requests/:id/cancel', phase: 'cancel', handle: (request, params) => cancelReply(request, requireAppJob(request, params)) },
  { method: 'POST', pattern: '*pid', phase: 'submit', handle: (request, params) => submit(request, params.pid) },
];

/** fal's synchronous host: its direct stand-in, or routed calls without `_subdomain=queue`. */
function isSynchronous(request: ProviderRequest): boolean {
  return request.syncHost || (request.mode === 'routed' && request.query._subdomain !== 'queue');
}

async function submit(request: ProviderRequest, providerId: string): Promise<Reply> {
  const job = createJob(request, uuid(), providerId, requireSubmission(request, providerId));
  if (isSynchronous(request)) return resultReply(request, job, await waitForJob(job, request.state.options.now, Infinity, request.signal));
  const view = viewNow(request, job);
  return jsonReply(200, { request_id: job.id, status: 'IN_QUEUE', queue_position: view.queuePosition, ...requestUrls(request, job) }, requestIdHeader(job));
}

/** fal names the job in a header of every answer about it; its JS client reads the id of a result from there. */
function requestIdHeader(job: Job): Record<string, string> {
  return { 'x-fal-request-id': job.id };
}

function requireAppJob(request: ProviderRequest, params: Record<string, string>): Job {
  // fal.run (no queue) has no /requests/ paths. (U) exact body; fal answers FastAPI's 404.
  if (isSynchronous(request)) throw providerError(request, 404, 'Not Found');
  const job = requireJob(request, params.id);
  if (appId(job.providerId) !== `${params.owner}/${params.app}`) throw providerError(request, 404, `Request ${params.id} not found`);
  return job;
}

/** fal drops endpoint sub-paths: `fal-ai/wan/v2.2-5b/text-to-video` → `fal-ai/wan`. */
function appId(providerId: string): string {
  return providerId.split('/').slice(0, 2).join('/');
}

function requestUrls(request: ProviderRequest, job: Job): Record<string, string> {
  // (U) A rewriting router would have to keep the queue marker for the URLs to work as given.
  const query = request.mode === 'routed' && request.state.options.routerRewritesUrls ? '?_subdomain=queue' : '';
  const base = `${publicBase(request)}/${appId(job.providerId)}/requests/${job.id}`;
  return { response_url: `${base}${query}`, status_url: `${base}/status${query}`, cancel_url: `${base}/cancel${query}` };
}

function statusReply(request: ProviderRequest, job: Job): Reply {
  return jsonReply(200, statusBody(request, job, viewNow(request, job)), requestIdHeader(job));
}

/**
 * fal's status stream: server-sent events, one `data: {status}` event now and on every change
 * (queue position, new logs, the end); the response ends after the final status. Logs only with `?logs=1`:
 * (U) only the lines new since the previous event, or all so far (`falStreamLogs`).
 */
function statusStreamReply(request: ProviderRequest, job: Job): Reply {
  const body: ReplyBody = { length: Infinity, chunks: () => statusEvents(request, job) };
  return { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...requestIdHeader(job) }, body };
}

async function* statusEvents(request: ProviderRequest, job: Job): AsyncIterable<Buffer> {
  const withLogs = request.query.logs === '1';
  const delta = request.state.options.falStreamLogs === 'delta';
  /** The status as a poll would answer it: a new event is due when this changes. */
  const snapshot = (view: JobView): Record<string, unknown> => {
    const body = statusBody(request, job, view);
    if (!withLogs) delete body.logs;
    return body;
  };
  let logsSent = 0;
  let view = viewNow(request, job);
  for (;;) {
    const body = snapshot(view);
    const sent = JSON.stringify(body);
    if (delta && Array.isArray(body.logs)) {
      const logs = body.logs;
      body.logs = logs.slice(logsSent);
      logsSent = logs.length;
    }
    yield Buffer.from(`data: ${JSON.stringify(body)}\n\n`, 'utf8');
    if (isTerminal(view.stage)) return;
    view = await waitForJob(job, request.state.options.now, Infinity, request.signal, (next) => JSON.stringify(snapshot(next)) !== sent);
    if (request.signal.aborted) return;
  }
}

function statusBody(request: ProviderRequest, job: Job, view: JobView): Record<string, unknown> {
  const common = { request_id: job.id, ...requestUrls(request, job) };
  const logs = jobLogs(job, view).map((log) => ({ ...log, level: 'INFO', source: 'user' }));
  switch (view.stage) {
    case 'queued':
      return { status: 'IN_QUEUE', queue_position: view.queuePosition, ...common };
    case 'running':
      return { status: 'IN_PROGRESS', logs, ...common };
    case 'succeeded':
      return { status: 'COMPLETED', logs, metrics: { inference_time: seconds(job.plan.runMs) }, ...common };
    default:
      return { ...failureStatus(request, view), logs, ...common };
  }
}

/** (U) fal's way of reporting a failed or canceled job is not settled: see `falFailureStyle`. */
function failureStatus(request: ProviderRequest, view: JobView): Record<string, unknown> {
  const error = failureMessage(view);
  if (request.state.options.falFailureStyle === 'completed-with-error') return { status: 'COMPLETED', error };
  return { status: view.stage === 'canceled' ? 'CANCELED' : 'FAILED', error };
}

function failureMessage(view: JobView): string {
  return view.message ?? CANCELED_MESSAGE;
}

function resultReply(request: ProviderRequest, job: Job, view = viewNow(request, job)): Reply {
  return withHeaders(resultAnswer(request, job, view), requestIdHeader(job));
}

function resultAnswer(request: ProviderRequest, job: Job, view: JobView): Reply {
  if (!isTerminal(view.stage)) return pendingResult(request, job, view);
  if (view.stage === 'failed') return providerError(request, 500, failureMessage(view)).reply;
  if (view.stage === 'canceled') return providerError(request, 400, failureMessage(view)).reply;
  return jsonReply(200, {
    video: { url: videoUrl(request, job), content_type: 'application/octet-stream', file_name: 'output.mp4', file_size: request.state.video.length },
    timings: { inference: seconds(job.plan.runMs) },
    seed: job.seed,
    prompt: job.prompt,
  });
}

/** (U) see `falResultWhilePending`. */
function pendingResult(request: ProviderRequest, job: Job, view: JobView): Reply {
  if (request.state.options.falResultWhilePending === 'status') return jsonReply(202, statusBody(request, job, view));
  return providerError(request, 400, 'Request is still in progress').reply;
}

function cancelReply(request: ProviderRequest, job: Job): Reply {
  if (cancelJob(job, request.state.options.now())) return jsonReply(202, { status: 'CANCELLATION_REQUESTED' });
  return jsonReply(400, { status: 'ALREADY_COMPLETED' });
}
