import { join } from 'node:path';
import { HfVideoError, abortReason } from '../errors';
import { readMediaFacts } from '../media/readMediaFacts';
import { secretsOf, sharedRedactor, type SecretRedactor } from '../secretRedactor';
import type { ProgressEvent } from '../types';
import type { ResolvedProvider } from '../hub';
import { validatePrompt } from '../prompt';
import type { ClientSettings, Credentials, PhaseContext, Submission, VideoClient } from '../videoClient';
import { isActive, type JobFailure, type JobRecord, type JobTimings } from './record';

/** What a job needs from its surroundings, read fresh each time a job starts or resumes. */
export interface JobEnvironment {
  settings: ClientSettings;
  credentials: Credentials;
  /** Where downloaded videos are kept until the user saves them. */
  videosDir: string;
  /** How long providers keep a finished job's result; older jobs are not followed. */
  resultRetentionHours: number;
}

export interface RunHooks {
  /** Stores a record; called on every state change, in order. */
  save(record: JobRecord): Promise<void>;
  onProgress(event: ProgressEvent): void;
  log(line: string): void;
}

/**
 * Takes a record from whatever state it was stored in to `done`, `failed` or `cancelled`: a queued job
 * is submitted, a submitted one is followed from its request id (never submitted again), a finished
 * one is downloaded. When the signal aborts with a `suspended` reason the record is left as it was
 * last stored, to be resumed by the next window.
 */
export class JobRunner {
  constructor(private readonly client: VideoClient) {}

  /**
   * Submits the job. The request runs on when the job is cancelled or times out meanwhile (only a closing
   * window stops it): the provider may already have taken the job, and only its answer says which job to
   * stop. The user does not wait for it: the job ends at once, and is stopped at the provider once answered.
   */
  private async submitUnlessStopped(record: JobRecord, resolved: ResolvedProvider, environment: JobEnvironment, windowSignal: AbortSignal, context: PhaseContext): Promise<Submission> {
    const { settings, credentials } = environment;
    // Cancelled before the request left: nothing to stop anywhere.
    if (context.signal.aborted) throw abortReason(context.signal);
    const submitting = this.client.submit(record.request, resolved, settings, credentials, { ...context, signal: suspensionOf(windowSignal) });
    const stopped = new Promise<never>((_, reject) => context.signal.addEventListener('abort', () => reject(abortReason(context.signal)), { once: true }));
    try {
      return await Promise.race([submitting, stopped]);
    } catch (error) {
      if (context.signal.aborted && abortReason(context.signal).kind !== 'suspended') {
        void submitting.then(
          (submission) => this.client.stop(resolved.provider, submission, settings, credentials, context.log),
          () => undefined,
        );
      }
      throw error;
    }
  }

  async advance(stored: JobRecord, environment: JobEnvironment, signal: AbortSignal, hooks: RunHooks): Promise<JobRecord> {
    if (!isActive(stored)) return stored;
    let record = stored;
    let saving = Promise.resolve();
    const update = (patch: Partial<Omit<JobRecord, 'timings'>> & { timings?: Partial<JobTimings> }): Promise<void> => {
      record = { ...record, ...patch, timings: { ...record.timings, ...patch.timings } };
      const snapshot = record;
      saving = saving.then(() => hooks.save(snapshot));
      return saving;
    };
    const { settings, credentials } = environment;
    // Servers may echo the credentials back: nothing they say leaves the run with a secret in it.
    const redactor = sharedRedactor.including(secretsOf(credentials));
    const log = (line: string) => hooks.log(redactor.redact(line));
    const jobSignal = withDeadline(signal, record, settings.timeoutMinutes);
    const context: PhaseContext = {
      signal: jobSignal.signal,
      log,
      onProgress: (event) => {
        if (event.phase === 'running' && record.state === 'submitted') void update({ state: 'running' });
        hooks.onProgress(event.phase === 'running' ? { ...event, logs: event.logs.map((line) => redactor.redact(line)) } : event);
      },
    };
    try {
      checkAge(record, environment.resultRetentionHours);
      if (record.state === 'queued' || record.state === 'resolving') {
        if (record.timings.submitStartedAt) throw interruptedSubmit();
        // Checked before the Hub is asked: a prompt that can never be sent needs no request at all.
        validatePrompt(record.request.prompt);
        await update({ state: 'resolving', timings: { startedAt: now() } });
        hooks.onProgress({ phase: 'resolving', model: record.request.model });
        const resolved = await this.client.resolve(record.request, settings, credentials, context.signal);
        if (resolved.warning) log(`Warning: ${resolved.warning}`);
        // Stored before the request leaves: a job interrupted from here on may exist at the provider.
        await update({ provider: resolved.provider, providerId: resolved.entry.providerId, warning: resolved.warning && redactor.redact(resolved.warning), timings: { submitStartedAt: now() } });
        const submission = await this.submitUnlessStopped(record, resolved, environment, signal, context);
        await update({ state: 'submitted', routed: submission.routed, handle: submission.handle, timings: { submittedAt: now() } });
      }
      if (record.state === 'submitted' || record.state === 'running') {
        const output = await this.client.follow(record.provider!, { routed: record.routed ?? true, handle: record.handle!, providerId: record.providerId }, settings, credentials, context);
        await update({ state: 'downloading', videoUrl: output.videoUrl, seed: output.seed ?? record.seed, timings: { generatedAt: now() } });
        log(`The provider finished after ${seconds(record.timings.startedAt, record.timings.generatedAt)}`);
      }
      const video = await this.client.download(record.videoUrl!, join(environment.videosDir, record.id), record.provider!, context, settings.maxDownloadBytes);
      // Facts for the player and the sidecar; a file they cannot be read from is still the user's video.
      const media = await readMediaFacts(video.file).catch((error: unknown) => void log(`Could not read what the video file holds: ${String(error)}`));
      await update({ state: 'done', file: video.file, bytes: video.bytes, media: media ?? undefined, failure: undefined, timings: { finishedAt: now() } });
      hooks.onProgress({ phase: 'done', file: video.file });
    } catch (caught) {
      const error = jobSignal.signal.aborted ? abortReason(jobSignal.signal) : caught;
      if (error instanceof HfVideoError && error.kind === 'suspended') return record;
      if (error instanceof HfVideoError && error.kind === 'cancelled') await update({ state: 'cancelled', timings: { finishedAt: now() } });
      else await update({ state: 'failed', failure: failureOf(error, record, redactor), timings: { finishedAt: now() } });
    } finally {
      jobSignal.dispose();
    }
    await saving;
    return record;
  }
}

/** A signal that follows `signal` only when it aborts because the window is closing. */
function suspensionOf(signal: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const follow = () => abortReason(signal).kind === 'suspended' && controller.abort(abortReason(signal));
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  return controller.signal;
}

function failureOf(error: unknown, record: JobRecord, redactor: SecretRedactor): JobFailure {
  const failure = error instanceof HfVideoError ? error : new HfVideoError('network', `Something went wrong: ${error instanceof Error ? error.message : String(error)}`);
  // Once the provider gave the video's URL the job is paid for: offer the download, never a new job.
  const canDownloadAgain = !!record.videoUrl && failure.kind !== 'expired';
  // Records are persisted: the message is the last place a secret echoed by a server could stay.
  const message = redactor.redact(failure.userMessage);
  return canDownloadAgain
    ? {
        kind: failure.kind,
        message: `${message} The video is ready at the provider: you can download it again without a new job.`,
        // A setting stood in the way (the size limit): change it first; the history still offers the download.
        nextStep: failure.nextStep?.action === 'openSettings' ? failure.nextStep : { action: 'downloadAgain', label: 'Download Again' },
        canDownloadAgain,
      }
    : { kind: failure.kind, message, nextStep: failure.nextStep, canDownloadAgain };
}

/** Providers keep results for a limited time; an older job would only poll a result that is gone. */
function checkAge(record: JobRecord, retentionHours: number): void {
  const since = record.timings.generatedAt ?? record.timings.submittedAt;
  if (record.state === 'queued' || !since) return;
  const ageHours = (Date.now() - Date.parse(since)) / 3_600_000;
  if (ageHours > retentionHours) {
    throw new HfVideoError('expired', `This generation was started ${Math.floor(ageHours)} hours ago; ${record.provider ?? 'the provider'} keeps results for about ${retentionHours} hours, so it can no longer be fetched.`, {
      nextStep: { action: 'retry', label: 'Generate Again' },
    });
  }
}

function interruptedSubmit(): HfVideoError {
  return new HfVideoError('interrupted', 'The window closed while the job was being submitted, so it is not known whether the provider started it. It was not sent again, so that you do not pay twice; check the provider if you need it.', {
    nextStep: { action: 'retry', label: 'Generate Again' },
  });
}

/** The job's time limit counts from its submit, across reloads; a download on its own gets the whole limit. */
function withDeadline(signal: AbortSignal, record: JobRecord, timeoutMinutes: number): { signal: AbortSignal; dispose(): void } {
  const deadline = new AbortController();
  const started = record.state === 'downloading' ? Date.now() : Date.parse(record.timings.submitStartedAt ?? record.timings.startedAt ?? now());
  const remainingMs = Math.max(0, started + timeoutMinutes * 60_000 - Date.now());
  const timer = setTimeout(
    () =>
      deadline.abort(
        new HfVideoError('timeout', `The generation did not finish within ${timeoutMinutes} minutes, so it was stopped.`, {
          nextStep: { action: 'openSettings', label: 'Change Timeout', setting: 'hfVideo.timeoutMinutes' },
        }),
      ),
    remainingMs,
  );
  return { signal: AbortSignal.any([signal, deadline.signal]), dispose: () => clearTimeout(timer) };
}

function now(): string {
  return new Date().toISOString();
}

function seconds(from: string | undefined, to: string | undefined): string {
  return from && to ? `${((Date.parse(to) - Date.parse(from)) / 1000).toFixed(1)} s` : 'an unknown time';
}
