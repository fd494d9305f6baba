// Recording of received requests with every secret removed, so tests and logs can show them.
import type { IncomingHttpHeaders } from 'node:http';
import type { RecordedRequest } from './types';

const REDACTED = '[redacted]';
const SECRET_NAME = /authorization|api[-_]?key|token|secret|password|cookie|^x-.*-key$|^key$/i;

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    result[name.toLowerCase()] = SECRET_NAME.test(name) ? redactSecret(text) : text;
  }
  return result;
}

/** Keeps the auth scheme ("Bearer", "Key") so tests can still check which one was used. */
function redactSecret(value: string): string {
  const scheme = /^(\w+)\s+\S/.exec(value);
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
}

export function redactQuery(query: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) result[name] = SECRET_NAME.test(name) ? REDACTED : value;
  return result;
}

export function queryString(query: Record<string, string>): string {
  const text = new URLSearchParams(query).toString();
  return text ? `?${text}` : '';
}

export function parseRecordedBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function recordRequest(
  method: string,
  path: string,
  query: Record<string, string>,
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
): RecordedRequest {
  return {
    method,
    path,
    query: redactQuery(query),
    headers: redactHeaders(headers),
    body: parseRecordedBody(rawBody),
    time: Date.now(),
  };
}
