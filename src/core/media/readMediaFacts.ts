import { open } from 'node:fs/promises';
import { SNIFF_BYTES, sniffVideo } from '../videoFormat';
import type { MediaFacts } from './mediaFacts';
import { readMp4 } from './mp4';
import { readWebm } from './webm';

/** Reads the facts of an MP4 or WebM file; throws when the file is neither or its headers are unreadable. */
export async function readMediaFacts(path: string): Promise<MediaFacts> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const head = new Uint8Array(SNIFF_BYTES);
    await file.read(head, 0, SNIFF_BYTES, 0);
    const sniffed = sniffVideo(head);
    if ('notVideo' in sniffed) throw new Error(`the file is ${sniffed.notVideo}`);
    const facts = sniffed.container === 'mp4' ? await readMp4(file, size) : await readWebm(file, size);
    return { container: sniffed.container, ...facts, bytes: size, bitrate: facts.durationSeconds ? Math.round((size * 8) / facts.durationSeconds) : undefined };
  } finally {
    await file.close();
  }
}
