/**
 * What a video file really is, read from the file on disk: for the player's details, the job record
 * and the sidecar, and to tell the user before they wonder why a video is black or silent.
 */
import { open } from 'node:fs/promises';
import { SNIFF_BYTES, sniffVideo, type VideoContainer } from '../videoFormat';
import { audioPlaysInVsCode, videoPlaysInVsCode, type AudioCodec, type CodecName, type VideoCodec } from './codecs';
import { readMp4 } from './mp4';
import { readWebm } from './webm';

/** What a container's headers say; every field may be missing from a damaged or unusual file. */
export interface ContainerFacts {
  durationSeconds?: number;
  width?: number;
  height?: number;
  frameRate?: number;
  frameCount?: number;
  video?: CodecName<VideoCodec>;
  /** Undefined: the file has no audio track. */
  audio?: CodecName<AudioCodec>;
}

export interface MediaFacts extends ContainerFacts {
  container: VideoContainer;
  bytes: number;
  /** The whole file's bits per second. */
  bitrate?: number;
}

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

/** Whether VS Code can show the picture and play the sound of a file with these facts. */
export interface Playability {
  /** False: the picture stays black inside VS Code. */
  video: boolean;
  /** `silent`: the file has sound that VS Code cannot decode. */
  audio: 'plays' | 'silent' | 'none';
}

export function playabilityInVsCode(facts: Pick<ContainerFacts, 'video' | 'audio'>): Playability {
  return {
    video: facts.video ? videoPlaysInVsCode(facts.video.codec) : false,
    audio: !facts.audio ? 'none' : audioPlaysInVsCode(facts.audio.codec) ? 'plays' : 'silent',
  };
}
