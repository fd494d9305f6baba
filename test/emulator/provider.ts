// What every provider shares: the request it gets, its routes, and the helpers for
// validation, model lookup, job creation and URLs, so no provider repeats them.
import type { IncomingHttpHeaders } from 'node:http';
import { authorizationEcho } from './auth';
import { errorReply, ReplyError } from './errors';
import type { JobFault } from './faults';
import { randomSeed } from './ids';
import { jobView, type Job, type JobPlan, type JobStage, type JobView } from './jobs';
import { findMapping, type MappingEntry } from './models';
import type { ResolvedOptions } from './options';
import type { EmulatorState } from './state';
import type { Reply } from './reply';
import type { FaultPhase, ProviderName } from './types';

export type Mode = 'routed' | 'direct';

export interface ProviderRequest {
  state: EmulatorState;
  provider: Provider;
  mode: Mode;
  /** fal's synchronous host (`/direct/fal-ai-sync/…` for fal.run): the submit answers the result. */
  syncHost: boolean;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when there was none. */
  body: unknown;
  /** Set when a job fault was taken for this submit. */
  jobFault?: JobFault;
  /** Aborted when the client goes away or the emulator closes. */
  signal: AbortSignal;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT';
  /** Segments after the provider prefix; `:name` takes one segment, `*name` the rest. */
  pattern: string;
  phase: FaultPhase;
  /** fal's status stream: routed only with the (U) switch `routerServesStatusStream`. */
  statusStream?: boolean;
  handle(request: ProviderRequest, params: Record<string, string>): Reply | Promise<Reply>;
}

export interface Provider {
  name: ProviderName;
  /** The provider's own API host, as its response bodies name it. */
  apiHost: string;
  /** Direct-mode `Authorization` scheme. */
  authScheme: 'Key' | 'Bearer';
  /** Also takes the key alone as the header (`Authorization: <key>`), as Novita's own JS SDK sends it. */
  acceptsBareKey?: boolean;
  /** Content-Type its CDN gives .mp4 files. */
  videoContentType: string;
  /** Status of its input-validation errors. */
  validationStatus: number;
  routes: Route[];
}

export function providerError(request: ProviderRequest, status: number, message?: string, field?: string): ReplyError {
  return new ReplyError(errorReply(request.provider.name, status, message, { field }));
}

export function invalidInput(request: ProviderRequest, message: string, field?: string): ReplyError {
  return providerError(request, request.provider.validationStatus, message, field);
}

export function requireObject(request: ProviderRequest, value: unknown = request.body): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw invalidInput(request, 'The request body must be a JSON object');
}

/**
 * The checks every text-to-video submit shares: a known model, a JSON object body, a prompt, and
 * (U) `negative_prompt` arrays (the HF type) where the provider's schema takes a string.
 */
export function requireSubmission(request: ProviderRequest, providerId: string, input = requireObject(request)): Record<string, unknown> {
  requireMapping(request, providerId);
  if (typeof input.prompt !== 'string' || input.prompt.trim() === '') throw invalidInput(request, 'field required', 'prompt');
  if (Array.isArray(input.negative_prompt) && request.state.options.negativePromptArrays === 'reject') {
    throw invalidInput(request, 'str type expected', 'negative_prompt');
  }
  return input;
}

/**
 * A provider's own host takes its own field names, not the router's (HF's): a body in the router's form
 * is refused with a validation error that names the provider's field. (U) Whether the provider would
 * ignore the names instead is not known; refusing catches a client that sends the wrong form.
 */
export function refuseRouterFields(request: ProviderRequest, input: Record<string, unknown>, nativeNames: Record<string, string>): void {
  if (request.mode !== 'direct') return;
  const field = Object.keys(nativeNames).find((name) => input[name] !== undefined);
  if (field) throw invalidInput(request, `${field} is not a parameter of this API; use ${nativeNames[field]}`, field);
}

/** The router only forwards provider ids it has a mapping for; the provider knows its own models. */
export function requireMapping(request: ProviderRequest, providerId: string, find = findMapping): MappingEntry {
  const mapping = find(request.provider.name, providerId);
  if (request.mode === 'direct') {
    if (mapping) return mapping;
    throw providerError(request, 404, `Model ${providerId} not found`);
  }
  if (mapping && (mapping.status !== 'staging' || request.state.options.routerServesStaging)) return mapping;
  throw routerModelNotSupported(request);
}

export function routerModelNotSupported(request: ProviderRequest): ReplyError {
  return new ReplyError(
    errorReply('router', 400, `Model not supported by provider ${request.provider.name}`, {
      routerErrorShape: request.state.options.routerErrorShape,
    }),
  );
}

export function createJob(request: ProviderRequest, id: string, providerId: string, input: Record<string, unknown>): Job {
  const echo = request.state.echoAuthorization ? authorizationEcho(request.headers) : undefined;
  const job: Job = {
    id,
    provider: request.provider.name,
    providerId,
    input,
    prompt: String(input.prompt ?? ''),
    // A negative seed is Novita's "random" (its default, -1): the job then picks one, as with none.
    seed: typeof input.seed === 'number' && input.seed >= 0 ? input.seed : randomSeed(),
    createdAt: request.state.options.now(),
    plan: planJob(request.state.options, request.jobFault, echo),
    authorizationEcho: echo,
  };
  return request.state.jobs.add(job);
}

function planJob(options: ResolvedOptions, fault: JobFault | undefined, echo: string | undefined): JobPlan {
  const plan: JobPlan = { queueMs: options.queueMs, runMs: options.runMs };
  if (fault?.kind === 'slow-queue') plan.queueMs += fault.extraQueueMs;
  if (fault?.kind === 'never-finish') plan.stuck = fault.stage ?? 'queued';
  if (fault?.kind === 'job-failed') {
    plan.failure = {
      message: [fault.message ?? 'The model failed to generate a video', echo].filter(Boolean).join('; '),
      outcome: fault.outcome ?? 'failed',
      during: fault.during ?? 'running',
    };
  }
  return plan;
}

export function requireJob(request: ProviderRequest, id: string | undefined): Job {
  const job = id ? request.state.jobs.get(request.provider.name, id) : undefined;
  if (job) return job;
  throw providerError(request, 404, `Request ${id ?? ''} not found`);
}

export function viewNow(request: ProviderRequest, job: Job): JobView {
  return jobView(job, request.state.options.now());
}

/** Where the provider says its own API lives: its real host, the router (U switch) or, in direct mode, this emulator. */
export function publicBase(request: ProviderRequest): string {
  const { url, options } = request.state;
  if (request.mode === 'direct') return `${url}/direct/${request.provider.name}`;
  return options.routerRewritesUrls ? `${url}/${request.provider.name}` : request.provider.apiHost;
}

export function videoUrl(request: ProviderRequest, job: Job): string {
  return `${request.state.options.videoUrlBase ?? request.state.url}/cdn/${job.provider}/${job.id}/output.mp4`;
}

/** Why a job ended badly, or '' while it has not. */
export function failureReason(view: JobView): string {
  return view.message ?? (view.stage === 'canceled' ? 'canceled' : '');
}

export type StatusNames = Record<JobStage, string>;

export function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}
