/**
 * A reader of the few WebM (Matroska/EBML) elements the player shows. The npm EBML decoders stream
 * every byte of the file through an event per element; this reads element headers through a window
 * of the file and skips frame data it does not need.
 */
import type { FileHandle } from 'node:fs/promises';
import { matroskaAudioCodec, matroskaVideoCodec } from './codecs';
import type { ContainerFacts } from './mediaFacts';

/** Element ids (Matroska specification, with their length markers). */
const ID = {
  segment: 0x18538067,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackNumber: 0xd7,
  trackType: 0x83,
  codecId: 0x86,
  defaultDuration: 0x23e383,
  video: 0xe0,
  pixelWidth: 0xb0,
  pixelHeight: 0xba,
  cluster: 0x1f43b675,
  blockGroup: 0xa0,
  block: 0xa1,
  simpleBlock: 0xa3,
} as const;

/** Elements whose children are read in place: their own size does not matter (and may be "unknown"). */
const DESCEND = new Set<number>([ID.segment, ID.cluster, ID.blockGroup]);
const TRACK_TYPE = { video: 1, audio: 2 };

interface Track {
  number?: number;
  type?: number;
  codecId?: string;
  defaultDurationNs?: number;
  width?: number;
  height?: number;
}

interface Element {
  id: number;
  /** Where the element's data starts. */
  start: number;
  /** Undefined for the "unknown size" of a live stream's segment or cluster. */
  size?: number;
}

/** Bytes read from the file a window at a time: the headers of consecutive small frames come from one read. */
const WINDOW_BYTES = 64 * 1024;

class FileWindow {
  private start = 0;
  private data = new Uint8Array();

  constructor(private readonly file: FileHandle) {}

  async bytes(position: number, length: number): Promise<Uint8Array> {
    const offset = position - this.start;
    if (offset < 0 || offset + length > this.data.length) {
      const buffer = new Uint8Array(Math.max(length, WINDOW_BYTES));
      const { bytesRead } = await this.file.read(buffer, 0, buffer.length, position);
      this.start = position;
      this.data = buffer.subarray(0, bytesRead);
      return this.data.subarray(0, length);
    }
    return this.data.subarray(offset, offset + length);
  }
}

export async function readWebm(file: FileHandle, size: number): Promise<ContainerFacts> {
  const reader = new FileWindow(file);
  const tracks: Track[] = [];
  let timecodeScale = 1_000_000;
  let duration: number | undefined;
  const blocksPerTrack = new Map<number, number>();
  let position = 0;
  while (position < size) {
    const element = await readElementHeader(reader, position);
    if (!element) break;
    const end = element.size === undefined ? size : element.start + element.size;
    if (DESCEND.has(element.id)) {
      position = element.start;
      continue;
    }
    if (element.id === ID.info) {
      const info = children(await reader.bytes(element.start, end - element.start));
      timecodeScale = unsigned(info.get(ID.timecodeScale)) ?? timecodeScale;
      duration = float(info.get(ID.duration));
    } else if (element.id === ID.tracks) {
      tracks.push(...readTracks(await reader.bytes(element.start, end - element.start)));
    } else if (element.id === ID.simpleBlock || element.id === ID.block) {
      const track = readVint(await reader.bytes(element.start, Math.min(8, end - element.start)), 0);
      if (track) blocksPerTrack.set(track.value, (blocksPerTrack.get(track.value) ?? 0) + 1);
    }
    position = end;
  }
  if (!tracks.length) throw new Error('the file has no WebM Tracks element');
  const video = tracks.find((track) => track.type === TRACK_TYPE.video);
  const audio = tracks.find((track) => track.type === TRACK_TYPE.audio);
  const frameCount = video?.number === undefined ? undefined : blocksPerTrack.get(video.number);
  const frameDurationNs = video?.defaultDurationNs;
  // A live recording (MediaRecorder, ffmpeg -live) has no Duration: its frames at their own rate tell it.
  const durationSeconds = duration !== undefined ? (duration * timecodeScale) / 1e9 : frameCount && frameDurationNs ? (frameCount * frameDurationNs) / 1e9 : undefined;
  const frameRate = frameDurationNs ? 1e9 / frameDurationNs : frameCount && durationSeconds ? frameCount / durationSeconds : undefined;
  return {
    durationSeconds,
    width: video?.width,
    height: video?.height,
    frameRate,
    frameCount,
    video: video?.codecId === undefined ? undefined : matroskaVideoCodec(video.codecId),
    audio: audio?.codecId === undefined ? undefined : matroskaAudioCodec(audio.codecId),
  };
}

function readTracks(data: Uint8Array): Track[] {
  return elementsOf(data)
    .filter((element) => element.id === ID.trackEntry)
    .map(({ data: entry }) => {
      const fields = children(entry);
      const picture = children(fields.get(ID.video) ?? new Uint8Array());
      return {
        number: unsigned(fields.get(ID.trackNumber)),
        type: unsigned(fields.get(ID.trackType)),
        codecId: fields.has(ID.codecId) ? new TextDecoder().decode(fields.get(ID.codecId)).replace(/\0+$/, '') : undefined,
        defaultDurationNs: unsigned(fields.get(ID.defaultDuration)),
        width: unsigned(picture.get(ID.pixelWidth)),
        height: unsigned(picture.get(ID.pixelHeight)),
      };
    });
}

/** The elements directly inside `data`, first of each id kept. */
function children(data: Uint8Array): Map<number, Uint8Array> {
  const map = new Map<number, Uint8Array>();
  for (const element of elementsOf(data)) if (!map.has(element.id)) map.set(element.id, element.data);
  return map;
}

function elementsOf(data: Uint8Array): Array<{ id: number; data: Uint8Array }> {
  const elements: Array<{ id: number; data: Uint8Array }> = [];
  let offset = 0;
  while (offset < data.length) {
    const element = parseElementHeader(data, offset);
    if (!element || element.size === undefined) break;
    elements.push({ id: element.id, data: data.subarray(element.start, element.start + element.size) });
    offset = element.start + element.size;
  }
  return elements;
}

async function readElementHeader(reader: FileWindow, position: number): Promise<Element | undefined> {
  // An id takes at most 4 bytes and a size at most 8.
  const header = await reader.bytes(position, 12);
  const element = parseElementHeader(header, 0);
  return element && { ...element, start: position + element.start };
}

function parseElementHeader(data: Uint8Array, offset: number): Element | undefined {
  const id = readVint(data, offset, true);
  const size = id && readVint(data, offset + id.length);
  if (!id || !size) return undefined;
  return { id: id.value, start: offset + id.length + size.length, size: size.unknown ? undefined : size.value };
}

/**
 * An EBML variable-length integer: the count of leading zero bits of the first byte gives its length.
 * Ids keep their length marker; sizes drop it, and all ones means "unknown".
 */
function readVint(data: Uint8Array, offset: number, keepMarker = false): { value: number; length: number; unknown: boolean } | undefined {
  const first = data[offset];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (offset + length > data.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let index = 1; index < length; index++) {
    value = value * 256 + data[offset + index]!;
    allOnes &&= data[offset + index] === 0xff;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function unsigned(data: Uint8Array | undefined): number | undefined {
  return data?.length ? data.reduce((value, byte) => value * 256 + byte, 0) : undefined;
}

function float(data: Uint8Array | undefined): number | undefined {
  if (!data || (data.length !== 4 && data.length !== 8)) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  return data.length === 4 ? view.getFloat32(0) : view.getFloat64(0);
}
