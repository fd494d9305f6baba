// Identifier formats, each like the service that issues it.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export function uuid(): string {
  return randomUUID();
}

export function hexId(length: number): string {
  return randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Replicate prediction ids: 26 lower-case letters and digits. */
export function replicateId(): string {
  return Array.from(randomBytes(26), (byte) => LOWER_ALNUM[byte % LOWER_ALNUM.length]).join('');
}

/** The AWS trace id format the router's x-request-id has been seen with. */
export function traceId(): string {
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${hexId(24)}`;
}

/** Stable made-up hex digest, for ids that must not change between calls (Hub _id, versions). */
export function stableHex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

export function randomSeed(): number {
  return randomBytes(4).readUInt32BE(0) % 1_000_000;
}
