import { BILLING_URL, HfVideoError, TOKEN_SETTINGS_URL, redactSecrets } from './errors';

const MAX_SERVER_MESSAGE = 300;

/**
 * The human part of an error body, whatever shape the router or a provider used:
 * `{"error": "…"}`, fal's `{"detail": "…"}` or `{"detail": [{loc, msg}]}`, Replicate's problem+json
 * with `invalid_fields`, `{"message": "…"}`, or plain text.
 */
export function serverMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return clean(body.startsWith('<') ? undefined : body);
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const invalid = record.invalid_fields;
  if (Array.isArray(invalid) && invalid.length > 0) {
    return clean(invalid.map((field) => describeField(field)).join('; '));
  }
  const detail = record.detail;
  if (Array.isArray(detail)) return clean(detail.map((item) => describeField(item)).join('; '));
  for (const key of ['error', 'detail', 'message', 'error_description'] as const) {
    const value = record[key];
    if (typeof value === 'string') return clean(value);
    if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') {
      return clean((value as { message: string }).message);
    }
  }
  return undefined;
}

function describeField(item: unknown): string {
  if (!item || typeof item !== 'object') return String(item);
  const { loc, msg, field, description } = item as Record<string, unknown>;
  const where = Array.isArray(loc) ? loc.filter((part) => part !== 'body').join('.') : typeof field === 'string' ? field : '';
  const what = typeof msg === 'string' ? msg : typeof description === 'string' ? description : JSON.stringify(item);
  return where ? `${where}: ${what}` : what;
}

function clean(text: string | undefined): string | undefined {
  const trimmed = text?.replace(/\s+/g, ' ').trim();
  if (!trimmed) return undefined;
  const safe = redactSecrets(trimmed);
  return capLength(safe);
}

/** What a server wrote, cut to a length a notification or log line can show. */
export function capLength(text: string): string {
  return text.length > MAX_SERVER_MESSAGE ? `${text.slice(0, MAX_SERVER_MESSAGE)}…` : text;
}

export interface ResponseContext {
  /** Who answered, for the message: "fal-ai", "the Hugging Face Hub". */
  service: string;
  status: number;
  body: unknown;
  requestId?: string;
  retryAfter?: number;
}

/** Maps an HTTP error status to the message and next step the user needs. */
export function errorFromResponse({ service, status, body, requestId, retryAfter }: ResponseContext): HfVideoError {
  const said = serverMessage(body);
  const suffix = said ? ` (${service} said: ${said})` : '';
  const details = { status, requestId, retryAfter, serverMessage: said };
  switch (status) {
    case 401:
      return new HfVideoError('auth', `Your Hugging Face access token was refused${suffix}.`, {
        ...details,
        nextStep: { action: 'setToken', label: 'Set Access Token' },
      });
    case 402:
      return new HfVideoError('credits', `Your Inference Providers credits are used up${suffix}.`, {
        ...details,
        nextStep: { action: 'openUrl', label: 'Open Billing', url: BILLING_URL },
      });
    case 403:
      return new HfVideoError(
        'permission',
        `Your token is not allowed to call Inference Providers${suffix}. Create a fine-grained token with the "Make calls to Inference Providers" permission.`,
        { ...details, nextStep: { action: 'openUrl', label: 'Create Token', url: TOKEN_SETTINGS_URL } },
      );
    case 404:
      return new HfVideoError('notFound', `${capitalize(service)} does not know this model or provider${suffix}.`, {
        ...details,
        nextStep: { action: 'openSettings', label: 'Choose Model', setting: 'hfVideo.model' },
      });
    case 429:
      return new HfVideoError('rateLimited', `${capitalize(service)} is rate limiting requests${suffix}. Try again in ${retryAfter ? `${Math.ceil(retryAfter)} seconds` : 'a minute'}.`, {
        ...details,
        nextStep: { action: 'retry', label: 'Try Again' },
      });
  }
  if (status >= 500) {
    return new HfVideoError('unavailable', `${capitalize(service)} is unavailable right now (HTTP ${status})${suffix}.`, {
      ...details,
      nextStep: { action: 'retry', label: 'Try Again' },
    });
  }
  return new HfVideoError('rejected', `${capitalize(service)} rejected the request (HTTP ${status})${said ? `: ${said}` : ''}.`, {
    ...details,
    nextStep: { action: 'showLog', label: 'Show Log' },
  });
}

/** Turns a failed connection (no HTTP status) into a plain sentence naming the host. */
export function errorFromNetwork(service: string, url: string, cause: unknown): HfVideoError {
  return new HfVideoError('network', `Could not reach ${service}: ${networkReason(url, cause)}. Check your network connection and proxy settings.`, {
    cause,
    nextStep: { action: 'retry', label: 'Try Again' },
  });
}

/** What went wrong with a connection, in a few words naming the host: "the connection to x was reset". */
export function networkReason(url: string, cause: unknown): string {
  const code = networkCode(cause);
  const host = safeHost(url);
  const reasons: Record<string, string> = {
    ECONNREFUSED: `nothing is listening at ${host}`,
    ENOTFOUND: `the host name ${host} could not be resolved`,
    EAI_AGAIN: `the host name ${host} could not be resolved`,
    ECONNRESET: `the connection to ${host} was reset`,
    UND_ERR_SOCKET: `the connection to ${host} was closed unexpectedly`,
    ETIMEDOUT: `${host} did not answer in time`,
    UND_ERR_CONNECT_TIMEOUT: `${host} did not answer in time`,
    UND_ERR_HEADERS_TIMEOUT: `${host} did not answer in time`,
    UND_ERR_BODY_TIMEOUT: `${host} stopped sending data`,
    UND_ERR_RES_CONTENT_LENGTH_MISMATCH: `${host} sent fewer bytes than it announced`,
    CERT_HAS_EXPIRED: `the TLS certificate of ${host} has expired`,
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: `the TLS certificate of ${host} could not be verified`,
    SELF_SIGNED_CERT_IN_CHAIN: `the TLS certificate of ${host} could not be verified`,
  };
  return (code && reasons[code]) ?? `the request to ${host} failed${code ? ` (${code})` : ''}`;
}

function networkCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `Retry-After` in seconds (delta or HTTP date), or undefined. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
