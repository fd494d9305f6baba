// Everything alive for one running emulator.
import { FaultStore } from './faults';
import { JobStore } from './jobs';
import type { ResolvedOptions } from './options';
import type { RecordedRequest } from './types';
import { makeVideo, type Video } from './video';

export interface EmulatorState {
  options: ResolvedOptions;
  /** Filled in once the server listens. */
  url: string;
  jobs: JobStore;
  faults: FaultStore;
  requests: RecordedRequest[];
  video: Video;
  /** `options.echoAuthorization` until a test turns it on or off through `/__emulator/echo-authorization`. */
  echoAuthorization: boolean;
  /** Aborted when the emulator closes, so held requests stop waiting. */
  shutdown: AbortSignal;
}

export function createState(options: ResolvedOptions, shutdown: AbortSignal): EmulatorState {
  return {
    options,
    url: '',
    jobs: new JobStore(),
    faults: new FaultStore(),
    requests: [],
    video: makeVideo(options.audio, options.videoBytes),
    echoAuthorization: options.echoAuthorization,
    shutdown,
  };
}

export function resetState(state: EmulatorState): void {
  state.requests.length = 0;
  state.faults.clear();
  state.jobs.clear();
  state.echoAuthorization = state.options.echoAuthorization;
}
