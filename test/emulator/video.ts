// The served video: a real H.264 fixture, optionally padded with a trailing MP4 `free` box so
// the file keeps playing whatever its size. Bytes are produced on demand, never held in full.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ReplyBody } from './reply';

const BOX_HEADER_BYTES = 8;
const MAX_BOX_BYTES = 0xffff_ffff;
const CHUNK_BYTES = 64 * 1024;
const ZEROS = Buffer.alloc(CHUNK_BYTES);

export interface Video {
  length: number;
  /** Bytes `start`..`end` inclusive, in chunks. */
  range(start: number, end: number): ReplyBody;
}

const fixtureCache = new Map<string, Buffer>();

/** The fixtures live in test/emulator/videos; the compiled emulator runs from out/test/emulator. */
export function fixturePath(name: string): string {
  const candidates = [join(__dirname, 'videos', name), resolve(__dirname, '../../../test/emulator/videos', name)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`Video fixture ${name} not found in ${candidates.join(' or ')}`);
  return found;
}

function loadFixture(name: string): Buffer {
  let data = fixtureCache.get(name);
  if (!data) {
    data = readFileSync(fixturePath(name));
    fixtureCache.set(name, data);
  }
  return data;
}

export function makeVideo(audio: boolean, targetBytes: number | undefined): Video {
  const fixture = loadFixture(audio ? 'sample-h264-aac.mp4' : 'sample-h264.mp4');
  const padding = paddingBytes(fixture.length, targetBytes);
  const header = padding > 0 ? freeBoxHeader(padding) : Buffer.alloc(0);
  const parts: Part[] = [
    { length: fixture.length, slice: (from, to) => [fixture.subarray(from, to)] },
    { length: header.length, slice: (from, to) => [header.subarray(from, to)] },
    { length: Math.max(0, padding - header.length), slice: zeroChunks },
  ];
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  return { length, range: (start, end) => ({ length: end - start + 1, chunks: () => readParts(parts, start, end + 1) }) };
}

/** A box needs at least its 8-byte header, so tiny paddings grow to that. */
function paddingBytes(fixtureBytes: number, targetBytes: number | undefined): number {
  if (targetBytes === undefined || targetBytes <= fixtureBytes) return 0;
  return Math.min(MAX_BOX_BYTES, Math.max(BOX_HEADER_BYTES, targetBytes - fixtureBytes));
}

function freeBoxHeader(boxBytes: number): Buffer {
  const header = Buffer.alloc(BOX_HEADER_BYTES);
  header.writeUInt32BE(boxBytes, 0);
  header.write('free', 4, 'latin1');
  return header;
}

interface Part {
  length: number;
  slice(from: number, to: number): Iterable<Buffer>;
}

function* zeroChunks(from: number, to: number): Iterable<Buffer> {
  for (let at = from; at < to; at += CHUNK_BYTES) yield ZEROS.subarray(0, Math.min(CHUNK_BYTES, to - at));
}

function* readParts(parts: Part[], start: number, end: number): Iterable<Buffer> {
  let offset = 0;
  for (const part of parts) {
    const from = Math.max(start, offset) - offset;
    const to = Math.min(end, offset + part.length) - offset;
    if (from < to) yield* part.slice(from, to);
    offset += part.length;
  }
}
