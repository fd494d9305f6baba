export type VideoContainer = 'mp4' | 'webm';

/**
 * Recognises a video by its first bytes: an MP4/QuickTime `ftyp` box, or WebM's EBML header.
 * Returns what the bytes are otherwise, so an error page can be named as such.
 */
export function sniffVideo(head: Uint8Array): { container: VideoContainer } | { notVideo: string } {
  if (head.length >= 8 && ascii(head, 4, 8) === 'ftyp') return { container: 'mp4' };
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return { container: 'webm' };
  const text = ascii(head, 0, Math.min(head.length, 64)).trimStart().toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html') || text.startsWith('<')) return { notVideo: 'an HTML page' };
  if (text.startsWith('{') || text.startsWith('[')) return { notVideo: 'a JSON document' };
  if (head.length === 0) return { notVideo: 'an empty file' };
  return { notVideo: 'data that is not an MP4 or WebM video' };
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

export const SNIFF_BYTES = 64;
