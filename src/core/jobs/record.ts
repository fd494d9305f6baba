/**
 * A generation as data: everything needed to show it, resume it after the window went away, save it
 * or make it again. Records are JSON, stored as they are, and never hold a token or a key.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { HfVideoError, type ErrorKind, type NextStep } from '../errors';
import type { MediaFacts } from '../media/mediaFacts';
import type { ProviderHandle } from '../providers/provider';
import type { GenerationRequest, ProviderName } from '../types';

export const JOB_SCHEMA_VERSION = 1;

export type JobState = 'queued' | 'resolving' | 'submitted' | 'running' | 'downloading' | 'done' | 'failed' | 'cancelled';

/** States in which a job still has work to do (and may be resumed after a reload). */
export const ACTIVE_STATES: readonly JobState[] = ['queued', 'resolving', 'submitted', 'running', 'downloading'];

export function isActive(record: Pick<JobRecord, 'state'>): boolean {
  return ACTIVE_STATES.includes(record.state);
}

/** Where the prompt came from, so the history can say it and a regeneration can keep it. */
export interface PromptSource {
  kind: 'selection' | 'file' | 'input' | 'regenerate' | 'sidecar' | 'tool';
  /** The document (or sidecar) the prompt was taken from, as a URI string. */
  uri?: string;
  /** The job this one was regenerated from. */
  jobId?: string;
}

export interface JobRequest extends GenerationRequest {
  source?: PromptSource;
  /** The preset the parameters came from, for file names and the history. */
  preset?: string;
  /** The shot of a prompt file this job makes: its heading and 1-based place, for file names. */
  shot?: { name?: string; index: number };
  /** Where saved videos go and how they are named, when a preset or prompt file says so. */
  outputFolder?: string;
  fileNameTemplate?: string;
  autoSave?: boolean;
  /** The jobs of one "Generate Variations" run share this id, so they can be found and compared together. */
  variationGroup?: string;
  /** What sets this variation apart from the others of its group ("seed 42", "provider replicate"). */
  variationLabel?: string;
}

export interface JobFailure {
  kind: ErrorKind;
  message: string;
  nextStep?: NextStep;
  /** The video exists at the provider: it can be downloaded without a new (paid) job. */
  canDownloadAgain: boolean;
}

export interface JobTimings {
  createdAt: string;
  /** When a queue slot took the job. */
  startedAt?: string;
  /** Set just before the submit request leaves: a job interrupted after this may exist at the provider. */
  submitStartedAt?: string;
  submittedAt?: string;
  /** When the provider reported the video ready. */
  generatedAt?: string;
  finishedAt?: string;
}

export interface JobRecord {
  schemaVersion: typeof JOB_SCHEMA_VERSION;
  id: string;
  request: JobRequest;
  state: JobState;
  /** The provider that took the job, once chosen (`auto` resolved). */
  provider?: ProviderName;
  /** The model id on the provider's side. */
  providerId?: string;
  /** Through the Hugging Face router (HF token) or straight to the provider (its own key). */
  routed?: boolean;
  /** A warning about the provider choice (staging, failed health check). */
  warning?: string;
  /** What the provider needs to follow the job again: request id and follow-up URLs. */
  handle?: ProviderHandle;
  videoUrl?: string;
  /** The downloaded video in the extension's storage. */
  file?: string;
  bytes?: number;
  /** What the downloaded file really is (codecs, size, frames), read from it once it is on disk. */
  media?: MediaFacts;
  /** The seed the video was made with. */
  seed?: number;
  /** Copies the user saved (absolute paths). */
  savedFiles: string[];
  timings: JobTimings;
  failure?: JobFailure;
}

/**
 * A queued job. Without a seed from the user one is picked here, so that every video can be made
 * again exactly (Regenerate) whichever provider made it.
 */
export function newJobRecord(request: JobRequest, now = new Date()): JobRecord {
  const seed = request.parameters.seed ?? randomSeed();
  return {
    schemaVersion: JOB_SCHEMA_VERSION,
    id: randomUUID(),
    request: { ...request, parameters: { ...request.parameters, seed } },
    state: 'queued',
    seed,
    savedFiles: [],
    timings: { createdAt: now.toISOString() },
  };
}

/** A seed every provider takes (they differ in their upper limits; 2^31 fits them all). */
export function randomSeed(): number {
  return randomInt(0, 2 ** 31 - 1);
}

/** Milliseconds between two of a record's ISO timestamps, when both are known. */
export function elapsedMs(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined;
  return Date.parse(to) - Date.parse(from);
}

/** A stored record read back: the shape is checked, since the file could be damaged or from another version. */
export function parseJobRecord(value: unknown): JobRecord | undefined {
  const record = value as Partial<JobRecord> | undefined;
  if (!record || typeof record !== 'object' || record.schemaVersion !== JOB_SCHEMA_VERSION) return undefined;
  if (typeof record.id !== 'string' || typeof record.state !== 'string' || !record.request || typeof record.request.prompt !== 'string') return undefined;
  if (!record.timings || typeof record.timings.createdAt !== 'string') return undefined;
  return { ...record, savedFiles: Array.isArray(record.savedFiles) ? record.savedFiles : [] } as JobRecord;
}

/** A finished job's video on disk: the copy in storage, else a saved copy; only files the record names. */
export function videoOnDisk(record: JobRecord): string | undefined {
  if (record.state !== 'done') return undefined;
  return [record.file, ...record.savedFiles].find((file): file is string => !!file && existsSync(file));
}

/** The first copy the user saved that is still there. */
export function savedCopyOnDisk(record: JobRecord): string | undefined {
  return record.savedFiles.find((file) => existsSync(file));
}

/** A record that failed after the provider finished can be downloaded again: this puts it back in line. */
export function prepareDownloadAgain(record: JobRecord): JobRecord {
  if (record.state !== 'failed' || !record.failure?.canDownloadAgain || !record.videoUrl) {
    throw new HfVideoError('invalidInput', 'This generation has no finished video left to download.');
  }
  return { ...record, state: 'downloading', failure: undefined, timings: { ...record.timings, finishedAt: undefined } };
}
