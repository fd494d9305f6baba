// Public types of the emulator. Other test code programs against these names.

export type ProviderName = 'fal-ai' | 'replicate' | 'novita' | 'wavespeed' | 'together';
export const PROVIDERS: readonly ProviderName[] = ['fal-ai', 'replicate', 'novita', 'wavespeed', 'together'];

export interface EmulatorOptions {
  /** 0 = any free port (default). */
  port?: number;
  /** HF tokens accepted by the router and the Hub (default ['hf_emulator_token']). */
  tokens?: string[];
  /** HF tokens without the "Inference Providers" permission: the Hub accepts them, the router answers 403. */
  readOnlyTokens?: string[];
  /** Direct-mode keys accepted per provider (defaults: see DEFAULT_PROVIDER_KEYS). */
  providerKeys?: Partial<Record<ProviderName, string[]>>;
  /** Time a job spends queued (default 300). */
  queueMs?: number;
  /** Time a job spends running (default 600). */
  runMs?: number;
  /** Pad served videos to about this many bytes with a trailing MP4 `free` box; default: fixture size. */
  videoBytes?: number;
  /** Serve the H.264 + AAC fixture instead of the silent one. */
  audio?: boolean;
  /** Where the video URLs in provider answers point, e.g. 'ftp://files.example'; default: the emulator's own CDN. */
  videoUrlBase?: string;
  /** Request log, one line per request; never contains secrets. */
  log?: (line: string) => void;
  /**
   * The clock jobs move by (default Date.now). A test that steps one by hand sees every state of a job,
   * however slow the machine; holds such as `Prefer: wait` still last real time.
   */
  now?: () => number;
  /**
   * Careless servers: put the received Authorization header, as sent and URL-encoded, into injected
   * error bodies (`http-error`), failed jobs' reasons (`job-failed`) and job logs. For redaction tests.
   */
  echoAuthorization?: boolean;
  /** The CDN answers every GET with 200 and the whole file, Range or not (no `Accept-Ranges`). */
  cdnIgnoresRanges?: boolean;
  /** Longest hold for Replicate `Prefer: wait` (default 60000, the real limit). */
  replicateWaitMs?: number;
  /** Replicate reports `status: "processing"` with `output` already set for this long after the run ends (seen in recordings; default 0). */
  replicateOutputWhileProcessingMs?: number;

  // ---- (U) switches: no public source settles these; both behaviours are available. ----
  /** (U) The router rewrites provider URLs in bodies (fal response_url…, replicate urls.*, wavespeed urls.get) to router URLs. Default false. */
  routerRewritesUrls?: boolean;
  /** (U) Whether the router forwards provider cancel calls (fal `PUT …/cancel`, Replicate `POST …/cancel`). Default true; false answers 404. */
  routerForwardsCancel?: boolean;
  /** (U) Whether the router forwards fal's `GET …/requests/{id}/status/stream` (server-sent events). Default false: routed → 405; direct always served. */
  routerServesStatusStream?: boolean;
  /** (U) Body of router errors for 401/402/403/404/429. Default 'error-string' = `{"error":"…"}`. */
  routerErrorShape?: RouterErrorShape;
  /** (U) Shape of `inferenceProviderMapping` from `GET /api/models/{id}`. Default 'dict'. */
  hubMappingShape?: 'dict' | 'list';
  /** (U) Whether the router serves mappings in `staging` to ordinary users. Default true; false answers 400 "Model not supported". */
  routerServesStaging?: boolean;
  /** (U) How fal reports a failed or canceled job: COMPLETED + error (default) or a FAILED / CANCELED status. */
  falFailureStyle?: 'completed-with-error' | 'failed-status';
  /** (U) fal result GET before completion: 400 `{"detail":"Request is still in progress"}` (default) or 202 with the status body. */
  falResultWhilePending?: 'bad-request' | 'status';
  /** (U) Replicate `output` for video models: a URL string (default) or an array of one URL. */
  replicateOutputShape?: 'string' | 'array';
  /** (U) Replicate keys inside `input` that the model schema lacks: ignored (default) or 422. */
  replicateUnknownInputKeys?: 'ignore' | 'reject';
  /** (U) Novita legacy `POST /v3/hf/{pid}`: still answers synchronously (default) or 404. */
  novitaLegacyHf?: 'sync' | 'not-found';
  /**
   * (U) fal's status stream with `?logs=1`: each event carries only the log lines new since the previous event
   * ('delta', default: fal's JS client appends every event's logs) or all lines so far ('cumulative').
   */
  falStreamLogs?: 'delta' | 'cumulative';
  /** (U) Novita requires `width`/`height` in the body (true) or fills defaults (false, default). */
  novitaRequiresSize?: boolean;
  /**
   * (U) Novita's own host given `frames` (the clip length in its JS SDK's request type; its current docs list
   * no length field): accepted (default) or refused with a 400 naming the field.
   */
  novitaFrames?: 'accept' | 'reject';
  /**
   * (U) What Together reports for a job still waiting: 'in_progress' (default: the only non-final status in its
   * SDK's type and OpenAPI spec) or 'queued' (mentioned only in the Hugging Face clients' comments).
   */
  togetherQueuedStatus?: 'in_progress' | 'queued';
  /** (U) fal/novita/wavespeed/together given `negative_prompt` as an array: accept (default) or reject with their validation error. */
  negativePromptArrays?: 'accept' | 'reject';
}

export type RouterErrorShape = 'error-string' | 'error-object' | 'message';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; secrets replaced, e.g. "Bearer [redacted]". */
  headers: Record<string, string>;
  /** Parsed JSON, the raw text when not JSON, or undefined when empty. */
  body: unknown;
  time: number;
}

export type FaultTarget = ProviderName | 'hub' | 'cdn';
export type FaultPhase = 'hub' | 'whoami' | 'submit' | 'status' | 'result' | 'cancel' | 'download';
/** How many requests (or jobs) a fault applies to: a count, or forever as -1 / 'always'. */
export type FaultTimes = number | 'always';

interface FaultMatch {
  /** Which service answers: a provider (routed or direct, and its CDN files), 'hub', or 'cdn' (any CDN file). Omitted = any. */
  provider?: FaultTarget;
  /** Default 1. */
  times?: FaultTimes;
}

/** An HTTP error with the real body shape of whoever answers (router, provider, Hub, CDN). */
export interface HttpErrorFault extends FaultMatch {
  kind: 'http-error';
  phase: FaultPhase;
  status: number;
  message?: string;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Routed requests only: who produced the error. Default: 'router' for 401/402/403/404/429, else 'provider'. */
  origin?: 'router' | 'provider';
}

/** The next job created fails (or ends canceled) on the provider side, with the provider's own failure status. */
export interface JobFailedFault extends FaultMatch {
  kind: 'job-failed';
  phase?: 'submit';
  message?: string;
  /** Default 'failed'. 'canceled' uses the provider's canceled state where it has one. */
  outcome?: 'failed' | 'canceled';
  /** When the failure shows: 'running' (after the queue, default) or 'queued' (right away). */
  during?: 'queued' | 'running';
}

/** The next job never finishes: stuck queued at position 0 (default) or stuck running. */
export interface NeverFinishFault extends FaultMatch {
  kind: 'never-finish';
  phase?: 'submit';
  stage?: 'queued' | 'running';
}

/** The next job waits this much longer in the queue. */
export interface SlowQueueFault extends FaultMatch {
  kind: 'slow-queue';
  phase?: 'submit';
  extraQueueMs: number;
}

/** The answer waits this long before it starts. */
export interface DelayFault extends FaultMatch {
  kind: 'delay';
  phase: FaultPhase;
  ms: number;
}

/** Part of the body is sent, then the socket is reset (RST). */
export interface ConnectionResetFault extends FaultMatch {
  kind: 'connection-reset';
  phase: FaultPhase;
  /** Bytes of body sent before the reset; default half the body. */
  afterBytes?: number;
}

/** Content-Length announces the whole body, fewer bytes are sent, then the connection closes. */
export interface TruncatedBodyFault extends FaultMatch {
  kind: 'truncated-body';
  phase: FaultPhase;
  /** Bytes of body sent; default half the body. */
  afterBytes?: number;
}

/** An HTML page instead of the expected body (a portal or proxy page). */
export interface HtmlPageFault extends FaultMatch {
  kind: 'html-page';
  phase: FaultPhase;
  /** Default 200. */
  status?: number;
}

/** A redirect instead of the answer: the client must follow it (or refuse it). */
export interface RedirectFault extends FaultMatch {
  kind: 'redirect';
  phase: FaultPhase;
  /** The Location header: absolute, or relative to the request's URL. */
  to: string;
  /** 301, 302 (default), 303, 307 or 308. */
  status?: number;
}

/** A JSON error document served where the video should be. */
export interface JsonErrorPageFault extends FaultMatch {
  kind: 'json-error-page';
  phase?: 'download';
  /** Default 200. */
  status?: number;
  message?: string;
}

export type Fault =
  | HttpErrorFault
  | JobFailedFault
  | NeverFinishFault
  | SlowQueueFault
  | DelayFault
  | ConnectionResetFault
  | TruncatedBodyFault
  | HtmlPageFault
  | RedirectFault
  | JsonErrorPageFault;

export type FaultKind = Fault['kind'];

export interface Emulator {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Every request received (control endpoints excepted), secrets redacted. */
  requests: RecordedRequest[];
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** Clears requests, faults and jobs. */
  reset(): void;
  /** Closes the server and all open sockets promptly. */
  close(): Promise<void>;
}
