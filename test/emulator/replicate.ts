// Replicate predictions API: create (optionally held by `Prefer: wait`), get, cancel.
import { ReplyError, replicateValidationBody, type ReplicateInvalidField } from './errors';
import { replicateId, stableHex } from './ids';
import { cancelJob, iso, jobLogs, jobView, waitForJob, type Job, type JobView } from './jobs';
import { findReplicateVersion, REPLICATE_DEFAULT_INPUTS, REPLICATE_INPUT_SCHEMAS } from './models';
import { jsonReply, problemJsonReply, withHeaders, type Reply } from './reply';
import { createJob, publicBase, requireJob, requireMapping, requireObject, seconds, videoUrl, type Route, type ProviderRequest, type StatusNames } from './provider';

const MODEL_ROUTE_KEYS = ['input', 'webhook', 'webhook_events_filter', 'stream'];
const VERSION_ROUTE_KEYS = [...MODEL_ROUTE_KEYS, 'version'];
const MAX_WAIT_SECONDS = 60;

const STATUS: StatusNames = { queued: 'starting', running: 'processing', succeeded: 'succeeded', failed: 'failed', canceled: 'canceled' };

export const REPLICATE_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: 'v1/models/:owner/:name/predictions',
    phase: 'submit',
    handle: (request, params) => createPrediction(request, `${params.owner}/${params.name}`, MODEL_ROUTE_KEYS),
  },
  { method: 'POST', pattern: 'v1/predictions', phase: 'submit', handle: (request) => createPrediction(request, undefined, VERSION_ROUTE_KEYS) },
  { method: 'GET', pattern: 'v1/predictions/:id', phase: 'status', handle: (request, params) => predictionReply(request, requireJob(request, params.id)) },
  { method: 'POST', pattern: 'v1/predictions/:id/cancel', phase: 'cancel', handle: (request, params) => cancel(request, requireJob(request, params.id)) },
];

async function createPrediction(request: ProviderRequest, modelName: string | undefined, allowedKeys: string[]): Promise<Reply> {
  const body = requireObject(request);
  // The router resolves the model before Replicate validates the body.
  const providerId = modelName ? requireMapping(request, modelName).providerId : requireVersion(request, body.version);
  checkFields(unknownKeys(body, allowedKeys, ''));
  const input = requireInput(request, body.input, providerId);
  const job = createJob(request, replicateId(), providerId, input);
  const waitSeconds = preferWaitSeconds(request.headers.prefer);
  if (waitSeconds === undefined) return predictionReply(request, job, 201);
  const holdMs = Math.min(waitSeconds * 1000, request.state.options.replicateWaitMs);
  await waitForJob(job, request.state.options.now, holdMs, request.signal);
  return withHeaders(predictionReply(request, job, 201), { 'preference-applied': `wait=${waitSeconds}` });
}

/** `Prefer: wait` or `Prefer: wait=N` (1–60 s); undefined when the client did not ask to wait. */
function preferWaitSeconds(header: string | string[] | undefined): number | undefined {
  const match = /(?:^|[\s,;])wait(?:=(\d+))?(?:$|[\s,;])/.exec(String(header ?? ''));
  if (!match) return undefined;
  return match[1] ? Math.min(MAX_WAIT_SECONDS, Math.max(1, Number(match[1]))) : MAX_WAIT_SECONDS;
}

function requireVersion(request: ProviderRequest, version: unknown): string {
  if (typeof version !== 'string' || version === '') checkFields([required('(root)', 'version')]);
  return requireMapping(request, String(version), (_provider, hash) => findReplicateVersion(hash)).providerId;
}

function requireInput(request: ProviderRequest, value: unknown, providerId: string): Record<string, unknown> {
  if (value === undefined) checkFields([required('(root)', 'input')]);
  const input = requireObject(request, value);
  if (typeof input.prompt !== 'string' || input.prompt === '') checkFields([required('input', 'prompt')]);
  // (U) Whether Replicate rejects keys its model schema lacks inside `input`.
  if (request.state.options.replicateUnknownInputKeys === 'reject') {
    const schema = REPLICATE_INPUT_SCHEMAS[modelOf(providerId)] ?? REPLICATE_DEFAULT_INPUTS;
    checkFields(unknownKeys(input, schema, 'input'));
  }
  return input;
}

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], field: string): ReplicateInvalidField[] {
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => ({ type: 'additional_property_not_allowed', field, description: `Additional property ${key} is not allowed` }));
}

function required(field: string, property: string): ReplicateInvalidField {
  return { type: 'required', field, description: `${property} is required` };
}

function checkFields(fields: ReplicateInvalidField[]): void {
  if (fields.length > 0) throw new ReplyError(problemJsonReply(422, replicateValidationBody(fields)));
}

function modelOf(providerId: string): string {
  return providerId.split(':')[0];
}

function cancel(request: ProviderRequest, job: Job): Reply {
  cancelJob(job, request.state.options.now());
  return predictionReply(request, job);
}

function predictionReply(request: ProviderRequest, job: Job, status = 200): Reply {
  return jsonReply(status, prediction(request, job, request.state.options.now()));
}

function prediction(request: ProviderRequest, job: Job, now: number): Record<string, unknown> {
  const view = jobView(job, now);
  const status = statusOf(request, view, now);
  const base = `${publicBase(request)}/v1/predictions/${job.id}`;
  return {
    id: job.id,
    model: modelOf(job.providerId),
    version: job.providerId.split(':')[1] ?? stableHex(job.providerId, 64),
    input: job.input,
    logs: jobLogs(job, view)
      .map((log) => log.message)
      .join('\n'),
    output: view.stage === 'succeeded' ? output(request, job) : null,
    data_removed: false,
    error: view.stage === 'failed' ? view.message : null,
    status,
    created_at: iso(job.createdAt),
    ...(view.startedAt === undefined ? {} : { started_at: iso(view.startedAt) }),
    ...(view.endedAt === undefined || status === STATUS.running ? {} : { completed_at: iso(view.endedAt) }),
    urls: { cancel: `${base}/cancel`, get: base, stream: `https://stream.replicate.com/v1/files/${stableHex(job.id, 40)}`, web: `https://replicate.com/p/${job.id}` },
    metrics: view.stage === 'succeeded' ? { predict_time: seconds(job.plan.runMs) } : {},
  };
}

/** Recordings show `output` set while the status still says "processing" for a moment. */
function statusOf(request: ProviderRequest, view: JobView, now: number): string {
  const lag = request.state.options.replicateOutputWhileProcessingMs;
  if (view.stage === 'succeeded' && view.endedAt !== undefined && now < view.endedAt + lag) return STATUS.running;
  return STATUS[view.stage];
}

/** (U) see `replicateOutputShape`. */
function output(request: ProviderRequest, job: Job): string | string[] {
  const url = videoUrl(request, job);
  return request.state.options.replicateOutputShape === 'array' ? [url] : url;
}
