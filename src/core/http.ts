import { request, type Dispatcher } from 'undici';
import { HfVideoError, abortReason } from './errors';
import { capitalize, errorFromNetwork, errorFromResponse, parseRetryAfter } from './httpErrors';
import { formatBytes } from './progressText';
import { sleep } from './sleep';

export type Headers = Record<string, string>;

export interface HttpClientOptions {
  /** Sent on every request so providers can tell who calls them. */
  userAgent: string;
  dispatcher?: Dispatcher;
  /** Retries for 429 and 5xx answers (and network failures of idempotent requests). */
  maxRetries?: number;
  /** First backoff delay; doubles on every retry. */
  retryDelayMs?: number;
  /** Longest `Retry-After` we honour before giving up with the 429 message. */
  maxRetryAfterSeconds?: number;
  log?: (line: string) => void;
}

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Headers;
  body?: unknown;
  signal: AbortSignal;
  /** Who answers, for messages and logs: "fal-ai", "the Hugging Face Hub". */
  service: string;
  /** A network failure may be retried only where repeating cannot start a second paid job. */
  idempotent?: boolean;
}

/** Answers are a few kilobytes; this leaves room for long logs. */
export const MAX_JSON_BYTES = 4 * 1024 * 1024;
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
/** A submit is repeated only when the server said it did not take the job: a 502 or 504 may hide a started one. */
const RETRYABLE_SUBMIT_STATUS = new Set([429, 503]);

export class HttpClient {
  private readonly maxRetries: number;
  private readonly retryDelayMs: number;
  /** Longest `Retry-After` honoured; a longer wait is reported instead. */
  readonly maxRetryAfterSeconds: number;
  private dispatcher: Dispatcher | undefined;

  constructor(private readonly options: HttpClientOptions) {
    this.dispatcher = options.dispatcher;
    this.maxRetries = options.maxRetries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 60;
  }

  /** Switches to another proxy set-up (VS Code's `http.proxy` changed); requests under way keep theirs. */
  setDispatcher(dispatcher: Dispatcher | undefined): void {
    this.dispatcher = dispatcher;
  }

  /** Sends a request and returns its parsed JSON body; retries what can be retried, maps every failure to HfVideoError. */
  async json<T>(req: JsonRequest): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let response: Dispatcher.ResponseData;
      let body: unknown;
      try {
        response = await this.send(req);
        // A body that breaks off while being read is a network failure like a refused connection.
        body = await readBody(response, req);
      } catch (error) {
        const mapped = this.failure(req, error);
        if (mapped.kind === 'network' && req.idempotent && attempt < this.maxRetries) {
          await this.backoff(req, attempt, mapped.userMessage);
          continue;
        }
        throw mapped;
      }
      if (response.statusCode < 400) return body as T;

      const retryAfter = parseRetryAfter(response.headers['retry-after']);
      const error = errorFromResponse({
        service: req.service,
        status: response.statusCode,
        body,
        requestId: headerValue(response.headers['x-request-id']),
        retryAfter,
      });
      const waitTooLong = retryAfter !== undefined && retryAfter > this.maxRetryAfterSeconds;
      const retryable = (req.idempotent ? RETRYABLE_STATUS : RETRYABLE_SUBMIT_STATUS).has(response.statusCode);
      if (!retryable || attempt >= this.maxRetries || waitTooLong) throw error;
      await this.backoff(req, attempt, `HTTP ${response.statusCode}`, retryAfter);
    }
  }

  /** Opens a plain GET whose body the caller streams (video downloads: never any auth header). */
  async stream(url: string, signal: AbortSignal, service: string, headers?: Headers): Promise<Dispatcher.ResponseData> {
    const req: JsonRequest = { method: 'GET', url, signal, service, headers };
    try {
      return await this.send(req);
    } catch (error) {
      throw this.failure(req, error);
    }
  }

  /**
   * Opens a GET with the caller's headers and returns the response, whose body the caller reads as it
   * arrives (fal's status stream). An error status is thrown as json() would, never retried.
   */
  async openStream(req: Omit<JsonRequest, 'method' | 'body'>): Promise<Dispatcher.ResponseData> {
    const full: JsonRequest = { ...req, method: 'GET' };
    let response: Dispatcher.ResponseData;
    let body: unknown;
    try {
      response = await this.send(full);
      if (response.statusCode < 400) return response;
      body = await readBody(response, full);
    } catch (error) {
      throw this.failure(full, error);
    }
    throw errorFromResponse({
      service: req.service,
      status: response.statusCode,
      body,
      requestId: headerValue(response.headers['x-request-id']),
      retryAfter: parseRetryAfter(response.headers['retry-after']),
    });
  }

  private send(req: JsonRequest): Promise<Dispatcher.ResponseData> {
    const headers: Headers = { 'user-agent': this.options.userAgent, ...req.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    return request(req.url, {
      method: req.method,
      headers,
      body,
      signal: req.signal,
      dispatcher: this.dispatcher,
    });
  }

  private failure(req: JsonRequest, error: unknown): HfVideoError {
    if (req.signal.aborted) return abortReason(req.signal);
    if (error instanceof HfVideoError) return error;
    return errorFromNetwork(req.service, req.url, error);
  }

  private async backoff(req: JsonRequest, attempt: number, why: string, retryAfter?: number): Promise<void> {
    const exponential = this.retryDelayMs * 2 ** attempt;
    // Jitter keeps many clients from retrying in lockstep after an outage.
    const delay = retryAfter !== undefined ? retryAfter * 1000 : exponential / 2 + Math.random() * (exponential / 2);
    this.options.log?.(`${req.service}: ${why}; retrying ${req.method} in ${Math.round(delay)} ms (attempt ${attempt + 2} of ${this.maxRetries + 1})`);
    await sleep(delay, req.signal);
  }
}

async function readBody(response: Dispatcher.ResponseData, req: JsonRequest): Promise<unknown> {
  let text: string;
  try {
    text = await readCapped(response, req.service);
  } catch (error) {
    if (req.signal.aborted) throw abortReason(req.signal);
    throw error;
  }
  const type = headerValue(response.headers['content-type']) ?? '';
  if (/json/i.test(type) || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** Reads a body as text, stopping once it passes MAX_JSON_BYTES: an endless answer must not fill memory. */
async function readCapped(response: Dispatcher.ResponseData, service: string): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response.body) {
    length += (chunk as Buffer).length;
    if (length > MAX_JSON_BYTES) {
      response.body.destroy();
      throw new HfVideoError('badOutput', `${capitalize(service)} sent an answer larger than ${formatBytes(MAX_JSON_BYTES)}, so it was not read.`, {
        nextStep: { action: 'showLog', label: 'Show Log' },
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
