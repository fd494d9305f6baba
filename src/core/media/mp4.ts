import type { FileHandle } from 'node:fs/promises';
import { createFile, MP4BoxBuffer, type Movie } from 'mp4box';
import { mp4AudioCodec, mp4VideoCodec } from './codecs';
import type { ContainerFacts } from './mediaFacts';

/** Bytes handed to the parser at a time; it says where to go next, so a `moov` after a large `mdat` costs two reads. */
const CHUNK_BYTES = 64 * 1024;

/** What an MP4's `moov` box says, read with mp4box.js wherever the box sits in the file. */
export async function readMp4(file: FileHandle, size: number): Promise<ContainerFacts> {
  const movie = await parseMovie(file, size);
  const video = movie.videoTracks[0];
  const audio = movie.audioTracks[0];
  const videoSeconds = video && video.duration / video.timescale;
  return {
    durationSeconds: movie.duration / movie.timescale || videoSeconds || undefined,
    width: video?.video?.width ?? video?.track_width,
    height: video?.video?.height ?? video?.track_height,
    frameRate: video && videoSeconds ? video.nb_samples / videoSeconds : undefined,
    frameCount: video?.nb_samples,
    video: video && mp4VideoCodec(video.codec),
    audio: audio && mp4AudioCodec(audio.codec),
  };
}

async function parseMovie(file: FileHandle, size: number): Promise<Movie> {
  const parser = createFile();
  let movie: Movie | undefined;
  let failure: string | undefined;
  parser.onReady = (info) => (movie = info);
  parser.onError = (module, message) => (failure = `${module}: ${message}`);
  let position = 0;
  while (!movie && !failure && position < size) {
    const length = Math.min(CHUNK_BYTES, size - position);
    const chunk = MP4BoxBuffer.fromArrayBuffer(new ArrayBuffer(length), position);
    const { bytesRead } = await file.read(new Uint8Array(chunk), 0, length, position);
    if (bytesRead < length) break;
    const next = parser.appendBuffer(chunk, position + length >= size);
    // The parser asks for the byte after what it has; past an `mdat` it names the box that follows.
    position = next > position ? next : position + length;
  }
  if (!movie) throw new Error(failure ?? 'the file has no readable moov box');
  return movie;
}
