// Replies are values: handlers build them, and one sender writes them, so faults that
// tamper with delivery (reset, truncation) work the same for JSON and for video streams.
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

const RESET_AFTER_FLUSH_MS = 30;

export interface ReplyBody {
  /** Infinity for a body streamed until it ends (server-sent events): sent without content-length. */
  length: number;
  chunks(): AsyncIterable<Buffer> | Iterable<Buffer>;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: ReplyBody;
  /** HEAD replies announce the body but do not send it. */
  omitBody?: boolean;
}

/** How the body actually leaves: whole, or cut after some bytes. */
export type Delivery =
  | { kind: 'whole' }
  | { kind: 'reset'; afterBytes: number }
  | { kind: 'truncate'; afterBytes: number };

export function bufferBody(data: Buffer | string): ReplyBody {
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return { length: buffer.length, chunks: () => [buffer] };
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return contentReply(status, 'application/json', JSON.stringify(value), headers);
}

/** RFC 7807 body, as Replicate sends for errors. */
export function problemJsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return contentReply(status, 'application/problem+json', JSON.stringify(value), headers);
}

export function contentReply(status: number, contentType: string, text: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': contentType, ...headers }, body: bufferBody(text) };
}

export function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

export async function sendReply(res: ServerResponse, reply: Reply, delivery: Delivery = { kind: 'whole' }): Promise<void> {
  // Held now: Node detaches the socket from the response once it finishes.
  const socket = res.socket;
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  if (Number.isFinite(reply.body.length)) res.setHeader('content-length', String(reply.body.length));
  // A truncated body ends the response early; closing the connection then is what a dying upstream does.
  if (delivery.kind === 'truncate') res.setHeader('connection', 'close');
  if (reply.omitBody) {
    res.end();
    return;
  }
  await writeUpTo(res, reply.body, delivery.kind === 'whole' ? Infinity : delivery.afterBytes);
  if (delivery.kind !== 'reset') {
    res.end();
    return;
  }
  await flushed(res);
  // Let the partial body reach the reader first: a reset racing the data can surface as a plain end of stream.
  await delay(RESET_AFTER_FLUSH_MS);
  socket?.resetAndDestroy();
}

async function writeUpTo(res: ServerResponse, body: ReplyBody, limit: number): Promise<void> {
  let sent = 0;
  for await (const chunk of body.chunks()) {
    if (res.destroyed) break;
    const part = sent + chunk.length > limit ? chunk.subarray(0, limit - sent) : chunk;
    if (part.length > 0 && !res.write(part)) await drained(res);
    sent += part.length;
    if (sent >= limit) break;
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Waits until what was written has gone to the socket, so the reset comes after the partial body. */
function flushed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.write('', () => resolve());
  });
}
