import { HfVideoError, abortReason } from '../errors';
import type { Headers, HttpClient } from '../http';
import { capLength } from '../httpErrors';
import { estimatedEnd, nextPollDelay, type PollBounds } from '../pollSchedule';
import { sleep } from '../sleep';
import type { ProgressListener, ProviderName, VideoParameters } from '../types';

/** Everything a provider adapter needs for one job; it never sees settings or VS Code. */
export interface ProviderCall {
  provider: ProviderName;
  http: HttpClient;
  /** Where the provider's own paths start: `${routerUrl}/fal-ai` when routed, its own host when direct. */
  baseUrl: string;
  routed: boolean;
  /** Authorization and Hugging Face headers, re-sent on every status request. */
  headers: Headers;
  signal: AbortSignal;
  report: ProgressListener;
  log: (line: string) => void;
  poll: PollBounds;
  /** When the last job of this model ended, from its follow's start, when one was polled (see pollSchedule). */
  expectedMs?: number;
  /** Told when a polled job is seen done: about when it ended, from the follow's start. */
  onEnded?: (elapsedMs: number) => void;
}

export interface ProviderJob {
  /** The model id on the provider side, from the Hub mapping. */
  providerId: string;
  hfModelId: string;
  prompt: string;
  parameters: VideoParameters;
  extra: Record<string, unknown>;
  lora?: { weightsPath: string };
}

export interface ProviderOutput {
  videoUrl: string;
  seed?: number;
}

/**
 * A submitted job, as JSON: enough to follow it again after a window reload without submitting it
 * twice. The URLs are absolute, on the host the job was sent to.
 */
export interface ProviderHandle {
  requestId?: string;
  /** Follow-up URLs by purpose: status, result, cancel. */
  urls: Record<string, string>;
  /** The submit's answer already held the finished video (Replicate's `Prefer: wait`, Novita's synchronous route). */
  output?: ProviderOutput;
}

export interface ProviderAdapter {
  readonly name: ProviderName;
  /** The provider's own API host, used with the provider's own key. */
  readonly directBaseUrl: string;
  /** The Authorization header value for a key (the provider's own scheme in direct mode). */
  authorization(key: string, routed: boolean): string;
  /** Starts the job. Once this returns the job is paid for, so the caller stores the handle first. */
  submit(call: ProviderCall, job: ProviderJob): Promise<ProviderHandle>;
  /** Follows a submitted job until its video is ready; may run again from a stored handle. */
  follow(call: ProviderCall, handle: ProviderHandle): Promise<ProviderOutput>;
}

/** The Authorization value most providers take for their own key, and the router for an HF token. */
export function bearer(key: string): string {
  return `Bearer ${key}`;
}

/**
 * Where to send follow-up requests for a URL the provider returned (status, result, cancel).
 * A URL on our own base's host (the router rewrote it, or we talk to the provider directly) is used
 * as it is; a provider host seen through the router keeps only its path, below our base.
 * Either way requests, and the key they carry, only ever go to the host the user configured.
 */
export function followUpUrl(call: ProviderCall, url: unknown, field: string): string {
  let parsed: URL | undefined;
  try {
    // A bare path counts as a provider path, like the path of a provider's own URL.
    parsed = typeof url === 'string' ? new URL(url, 'relative:/') : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || !parsed.pathname.startsWith('/')) throw malformed(call.provider, `no valid ${field}`);
  const base = new URL(call.baseUrl);
  return parsed.origin === base.origin ? `${base.origin}${parsed.pathname}` : `${call.baseUrl}${parsed.pathname}`;
}

/**
 * A follow-up URL of a stored handle. A job resumed after the settings changed would otherwise send
 * the key to a host it was never meant for, so a URL outside the current base is refused.
 */
export function handleUrl(call: ProviderCall, handle: ProviderHandle, purpose: string): string {
  const url = handle.urls[purpose];
  if (!url) throw malformed(call.provider, `no ${purpose} URL for the job`);
  const base = new URL(call.baseUrl);
  if (new URL(url).origin !== base.origin) {
    throw new HfVideoError('invalidInput', `This job was started through ${new URL(url).host}, but the settings now send ${call.provider} requests to ${base.host}; it cannot be followed from here.`, {
      nextStep: { action: 'showLog', label: 'Show Log' },
    });
  }
  return url;
}

export function malformed(provider: string, what: string): HfVideoError {
  return new HfVideoError('badOutput', `${provider} sent an answer this extension does not understand (${what}).`, {
    nextStep: { action: 'showLog', label: 'Show Log' },
  });
}

export function providerFailed(provider: string, reason?: unknown): HfVideoError {
  const text = typeof reason === 'string' && reason.trim() ? capLength(reason.trim()) : 'no reason given';
  return new HfVideoError('providerFailed', `${provider} could not generate the video: ${text}`, {
    nextStep: { action: 'retry', label: 'Try Again' },
  });
}

/** Starts a job. A submit is never repeated after a network failure, so one click never starts two paid jobs. */
export async function submitJob<T>(call: ProviderCall, url: string, body: unknown, extraHeaders: Headers = {}): Promise<T> {
  return call.http.json<T>({ method: 'POST', url, headers: { ...call.headers, ...extraHeaders }, body, signal: call.signal, service: call.provider });
}

/** Reads a job's state or result, with the submit's headers; safe to repeat. */
export async function readJob<T>(call: ProviderCall, url: string): Promise<T> {
  return call.http.json<T>({ method: 'GET', url, headers: call.headers, signal: call.signal, service: call.provider, idempotent: true });
}

/** A request that stops the job at the provider, run under its own deadline once the job's signal has aborted. */
export function stopJob(call: ProviderCall, method: 'PUT' | 'POST', url: string): (signal: AbortSignal) => Promise<unknown> {
  return (signal) => call.http.json({ method, url, headers: call.headers, signal, service: call.provider });
}

/** What a provider's status answer means, in the vocabulary every provider shares. */
export type JobStatus<R> =
  | { state: 'queued'; position?: number }
  | { state: 'running'; logs?: string[]; percent?: number }
  | { state: 'done'; result: R }
  | { state: 'failed'; reason?: unknown }
  | { state: 'canceled' }
  | { state: 'unknown'; status: unknown };

/**
 * Reports a status to the user; once the job is done returns its result (boxed, since a finished
 * job may carry no result at all) and throws when it failed.
 */
export function settle<R>(call: ProviderCall, status: JobStatus<R>): { result: R } | undefined {
  switch (status.state) {
    case 'queued':
      call.report({ phase: 'queued', position: status.position });
      return undefined;
    case 'running':
      call.report({ phase: 'running', logs: (status.logs ?? []).map(capLength), percent: status.percent });
      return undefined;
    case 'done':
      return { result: status.result };
    case 'failed':
      throw providerFailed(call.provider, status.reason);
    case 'canceled':
      throw providerFailed(call.provider, 'the job was cancelled at the provider');
    case 'unknown':
      // An unknown state is an error, not a reason to poll forever.
      throw malformed(call.provider, `unknown status "${String(status.status)}"`);
  }
}

/** Polls `url` on the shared schedule until `interpret` says the job is done; every answer is reported on the way. */
export async function followJob<T, R>(call: ProviderCall, url: string, interpret: (body: T) => JobStatus<R>): Promise<R> {
  const started = Date.now();
  let lastDelayMs: number | undefined;
  let phase: 'queued' | 'running' | undefined;
  let unfinishedAt: number | undefined;
  for (;;) {
    lastDelayMs = nextPollDelay({ elapsedMs: Date.now() - started, lastDelayMs, phase, expectedMs: call.expectedMs }, call.poll);
    await sleep(lastDelayMs, call.signal);
    const askedAt = Date.now() - started;
    const status = interpret(await readJob<T>(call, url));
    const done = settle(call, status);
    if (done) {
      call.onEnded?.(estimatedEnd(unfinishedAt, askedAt, call.poll));
      return done.result;
    }
    if (status.state === 'queued' || status.state === 'running') phase = status.state;
    unfinishedAt = askedAt;
  }
}

/** The video URL in a finished job (a string, or the first of a list), or a clear error. */
export function requireVideoUrl(call: ProviderCall, value: unknown, where: string): string {
  const url = firstUrl(value);
  if (!url) throw malformed(call.provider, `no video URL in ${where}`);
  return url;
}

/**
 * Runs `work`; when the user cancels (or the deadline passes) it also stops the job at the provider,
 * so nobody pays for a video that will never be downloaded.
 */
export async function cancelUpstreamOnAbort<T>(call: ProviderCall, cancel: (signal: AbortSignal) => Promise<unknown>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!call.signal.aborted) throw error;
    // A window that closes suspends the job, to be followed again: it must go on at the provider.
    if (abortReason(call.signal).kind === 'suspended') throw abortReason(call.signal);
    try {
      await cancel(AbortSignal.timeout(10_000));
      call.log('Asked the provider to cancel the job.');
    } catch (cancelError) {
      call.log(`Could not cancel the job at the provider: ${cancelError instanceof Error ? cancelError.message : String(cancelError)}`);
    }
    throw abortReason(call.signal);
  }
}

/**
 * The body fields every provider shares: provider-specific extras first, then the HF parameters, then
 * the prompt. A list of negative prompts goes as one string: the providers' own schemas take a string.
 */
export function baseBody(job: ProviderJob): Record<string, unknown> {
  const { negative_prompt: negative, ...parameters } = job.parameters;
  return dropUndefined({ ...job.extra, ...parameters, negative_prompt: Array.isArray(negative) ? negative.join(', ') : negative, prompt: job.prompt });
}

export function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** Novita and Together call the step count `steps`. */
export function renameSteps(body: Record<string, unknown>): Record<string, unknown> {
  const { num_inference_steps: steps, ...rest } = body;
  return steps === undefined ? rest : { ...rest, steps };
}

/** The first string in a value that may be a string or a list of them (Replicate outputs). */
export function firstUrl(value: unknown): string | undefined {
  const candidate = Array.isArray(value) ? value.find((item) => typeof item === 'string') : value;
  return typeof candidate === 'string' && /^https?:\/\//.test(candidate) ? candidate : undefined;
}
