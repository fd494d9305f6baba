// Error bodies in the shape each service really uses. Shapes that no public source shows are
// marked (U) here and in the README.
import { STATUS_CODES } from 'node:http';
import { contentReply, jsonReply, problemJsonReply } from './reply';
import type { Reply } from './reply';
import type { ProviderName, RouterErrorShape } from './types';

/** Who produces an error: the HF router, the Hub, a provider's own API, or a file CDN. */
export type Answerer = 'router' | 'hub' | 'cdn' | ProviderName;

/** A reply thrown from deep inside a handler (validation, lookups) and sent as is. */
export class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

export const INVALID_CREDENTIALS = 'Invalid credentials in Authorization header';

/** Statuses the router answers itself; the body shape of these is (U). */
export const ROUTER_STATUSES: ReadonlySet<number> = new Set([401, 402, 403, 404, 429]);

const DEFAULT_MESSAGES: Record<number, string> = {
  401: INVALID_CREDENTIALS,
  402: 'You have exceeded your monthly included credits for Inference Providers. Subscribe to PRO to get 20x more monthly included credits.',
  403: 'This authentication method does not have sufficient permissions to call Inference Providers on behalf of user emulator-user',
  429: 'Rate limit reached. Please retry later.',
};

export function defaultMessage(status: number): string {
  return DEFAULT_MESSAGES[status] ?? STATUS_CODES[status] ?? `HTTP ${status}`;
}

export interface ErrorOptions {
  /** Default 'error-string'. */
  routerErrorShape?: RouterErrorShape;
  /** Seconds for `Retry-After`. */
  retryAfter?: number;
  /** Replicate 422: the field at fault, for `invalid_fields`. */
  field?: string;
}

export function errorReply(answerer: Answerer, status: number, message?: string, options: ErrorOptions = {}): Reply {
  const text = message ?? defaultMessage(status);
  const headers: Record<string, string> = options.retryAfter === undefined ? {} : { 'retry-after': String(options.retryAfter) };
  return ERROR_BUILDERS[answerer](status, text, headers, options);
}

type ErrorBuilder = (status: number, message: string, headers: Record<string, string>, options: ErrorOptions) => Reply;

const ERROR_BUILDERS: Record<Answerer, ErrorBuilder> = {
  router: (status, message, headers, options) => jsonReply(status, routerBody(status, message, options.routerErrorShape), headers),
  // The Hub also states the error in headers; huggingface_hub reads X-Error-Message first.
  hub: (status, message, headers) =>
    jsonReply(status, { error: message }, { ...headers, 'x-error-message': message, ...hubErrorCode(status) }),
  cdn: (status, message, headers) => contentReply(status, 'text/plain; charset=utf-8', message, headers),
  // fal: FastAPI style; 422 lists the invalid fields.
  'fal-ai': (status, message, headers, options) =>
    jsonReply(status, status === 422 ? { detail: [{ loc: ['body', options.field ?? 'prompt'], msg: message, type: 'value_error' }] } : { detail: message }, headers),
  replicate: (status, message, headers, options) => problemJsonReply(status, replicateProblem(status, message, options.field), headers),
  // (U) Novita, WaveSpeed and Together error bodies are in no recording or client; these follow their public docs.
  novita: (status, message, headers) => jsonReply(status, { code: status, reason: novitaReason(status), message, metadata: {} }, headers),
  wavespeed: (status, message, headers) => jsonReply(status, { code: status, message, data: null }, headers),
  together: (status, message, headers) =>
    jsonReply(status, { error: { message, type: togetherErrorType(status), param: null, code: null } }, headers),
};

function routerBody(status: number, message: string, shape: RouterErrorShape = 'error-string'): unknown {
  if (!ROUTER_STATUSES.has(status) || shape === 'error-string') return { error: message };
  if (shape === 'message') return { message };
  return { error: { message, code: status } };
}

function hubErrorCode(status: number): Record<string, string> {
  if (status === 404) return { 'x-error-code': 'RepoNotFound' };
  return {};
}

function replicateProblem(status: number, message: string, field: string | undefined): Record<string, unknown> {
  if (status !== 422) return { detail: message, status, title: STATUS_CODES[status] ?? 'Error' };
  return replicateValidationBody([{ type: 'invalid', field: field ?? '', description: message }]);
}

export interface ReplicateInvalidField {
  type: string;
  field: string;
  description: string;
}

/** Replicate's 422 body: one "- field: description" line per invalid field (as in recordings). */
export function replicateValidationBody(fields: ReplicateInvalidField[]): Record<string, unknown> {
  const detail = fields.map((item) => `- ${item.field ? `${item.field}: ` : ''}${item.description}\n`).join('');
  return { detail, status: 422, title: 'Input validation failed', invalid_fields: fields };
}

function novitaReason(status: number): string {
  if (status === 400 || status === 422) return 'INVALID_REQUEST_BODY';
  if (status === 401) return 'INVALID_API_KEY';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMIT_EXCEEDED';
  return 'INTERNAL_ERROR';
}

function togetherErrorType(status: number): string {
  if (status === 401) return 'invalid_authentication';
  if (status === 429) return 'rate_limit_exceeded';
  return status < 500 ? 'invalid_request_error' : 'server_error';
}

export function htmlPage(status: number): Reply {
  const title = status === 200 ? 'Sign in to continue' : `${status} ${STATUS_CODES[status] ?? ''}`.trim();
  const html = `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1><p>This page is not a video.</p></body></html>\n`;
  return contentReply(status, 'text/html; charset=utf-8', html);
}
