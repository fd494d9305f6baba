/**
 * What a video file really is, read from the file on disk: for the player's details, the job record
 * and the sidecar, and to tell the user before they wonder why a video is black or silent. The reader
 * (readMediaFacts.ts, with mp4box) loads on demand; these types and verdicts are light.
 */
import type { VideoContainer } from '../videoFormat';
import { audioPlaysInVsCode, videoPlaysInVsCode, type AudioCodec, type CodecName, type VideoCodec } from './codecs';

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
