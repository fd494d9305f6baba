import { cancelledError, HfVideoError, redactSecrets, suspendedError } from '../errors';
import type { ProgressEvent } from '../types';
import { isActive, newJobRecord, prepareDownloadAgain, type JobRecord, type JobRequest } from './record';
import type { JobEnvironment, JobRunner } from './runner';
import type { FileJobStore } from './store';

export type JobEvent =
  | { type: 'changed'; record: JobRecord }
  | { type: 'progress'; id: string; event: ProgressEvent }
  | { type: 'removed'; id: string };

export interface QueueOptions {
  /** Read whenever a slot may open, so a changed limit applies to the next job at once. */
  maxConcurrent(): number;
  /** Settings, credentials and folders for a job about to run; read when it starts, not when it was queued. */
  environment(): Promise<JobEnvironment>;
  log(line: string): void;
}

export interface ResumeSummary {
  /** Jobs this window took over and runs again. */
  resumed: JobRecord[];
}

/**
 * The jobs of this window: first in, first out, at most `maxConcurrent` at a time, each cancellable on
 * its own. Every state change is stored, and listeners hear about it.
 */
export class JobQueue {
  private readonly records = new Map<string, JobRecord>();
  private readonly waiting: string[] = [];
  private readonly running = new Map<string, AbortController>();
  private readonly progress = new Map<string, ProgressEvent>();
  private readonly listeners = new Set<(event: JobEvent) => void>();
  private disposed = false;
  /** Enqueues in progress, in call order: storing a record takes time, and a later call must not overtake. */
  private lining: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: FileJobStore,
    /** Only `advance` is needed, so the runner (and the HTTP client behind it) can be loaded on first use. */
    private readonly runner: Pick<JobRunner, 'advance'>,
    private readonly options: QueueOptions,
  ) {}

  /** Reads the stored jobs and takes over those no living window works on. */
  async resume(): Promise<ResumeSummary> {
    const stored = await this.store.list();
    // A job queued while the store was being read is newer in memory than on disk.
    stored.filter((record) => !this.records.has(record.id)).forEach((record) => this.records.set(record.id, record));
    const resumed: JobRecord[] = [];
    const active = stored.filter(isActive).sort((a, b) => a.timings.createdAt.localeCompare(b.timings.createdAt));
    for (const record of active) {
      if (this.waiting.includes(record.id) || this.running.has(record.id)) continue;
      if (!(await this.store.claim(record.id))) continue;
      resumed.push(record);
      this.waiting.push(record.id);
    }
    this.pump();
    return { resumed };
  }

  /** Stores a new job and puts it in line; jobs queued together wait in the order they were queued. */
  enqueue(request: JobRequest): Promise<JobRecord> {
    const record = newJobRecord(request);
    const lined = this.lining.then(async () => {
      await this.store.save(record);
      await this.store.claim(record.id);
      this.set(record);
      this.waiting.push(record.id);
      this.pump();
      return record;
    });
    this.lining = lined.catch(() => undefined);
    return lined;
  }

  /** A queued job is dropped; a running one is stopped, at the provider too where its API allows. */
  async cancel(id: string): Promise<void> {
    const position = this.waiting.indexOf(id);
    if (position >= 0) {
      this.waiting.splice(position, 1);
      await this.remove(id);
      return;
    }
    this.running.get(id)?.abort(cancelledError());
  }

  /** Fetches a finished video again after its download failed; no new job, nothing paid twice. */
  async downloadAgain(id: string): Promise<JobRecord> {
    await this.queueDownloadAgain(id);
    return this.whenSettled(id);
  }

  /** Puts a job whose download failed back in line for the download alone; resolves once it is in line. */
  async queueDownloadAgain(id: string): Promise<void> {
    const record = prepareDownloadAgain(this.require(id));
    if (!(await this.store.claim(id))) throw new HfVideoError('invalidInput', 'Another VS Code window is working on this generation.');
    await this.store.save(record);
    this.set(record);
    this.waiting.push(id);
    this.pump();
  }

  /** Resolves with the record once the job is done, failed or cancelled (or removed: then undefined). */
  whenSettled(id: string): Promise<JobRecord> {
    const current = this.records.get(id);
    if (!current || !isActive(current) || !this.isOurs(id)) return Promise.resolve(current ?? this.require(id));
    return new Promise((resolve) => {
      const listener = (event: JobEvent) => {
        if (event.type === 'changed' && event.record.id === id && !isActive(event.record)) {
          this.listeners.delete(listener);
          resolve(event.record);
        } else if (event.type === 'removed' && event.id === id) {
          this.listeners.delete(listener);
          resolve({ ...current, state: 'cancelled' });
        }
      };
      this.listeners.add(listener);
    });
  }

  /** Changes a record outside a run (saved copies, a removed video). */
  async update(id: string, patch: Partial<Pick<JobRecord, 'savedFiles' | 'file' | 'bytes'>>): Promise<JobRecord> {
    const record = { ...this.require(id), ...patch };
    await this.store.save(record);
    this.set(record);
    return record;
  }

  /** Forgets a job (its files are the caller's business). A running job is cancelled first. */
  async remove(id: string): Promise<void> {
    if (this.running.has(id)) {
      await this.cancel(id);
      await this.whenSettled(id);
    }
    await this.store.delete(id);
    this.records.delete(id);
    this.progress.delete(id);
    this.emit({ type: 'removed', id });
  }

  get(id: string): JobRecord | undefined {
    return this.records.get(id);
  }

  /** Active jobs first (oldest first, as they run), then the rest newest first. */
  list(): JobRecord[] {
    const all = [...this.records.values()];
    const active = all.filter(isActive).sort((a, b) => a.timings.createdAt.localeCompare(b.timings.createdAt));
    const past = all.filter((record) => !isActive(record)).sort((a, b) => b.timings.createdAt.localeCompare(a.timings.createdAt));
    return [...active, ...past];
  }

  /** The latest progress of a running job (queue position, provider logs, bytes downloaded). */
  progressOf(id: string): ProgressEvent | undefined {
    return this.progress.get(id);
  }

  /** Jobs waiting for a slot, in order; a job's place in line is its index. */
  waitingIds(): readonly string[] {
    return this.waiting;
  }

  /** This window works on the job (it runs or waits here), as opposed to another window. */
  isOurs(id: string): boolean {
    return this.running.has(id) || this.waiting.includes(id);
  }

  /** The limit was raised: waiting jobs may start now. */
  limitChanged(): void {
    this.pump();
  }

  onDidChange(listener: (event: JobEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The window is closing: running jobs stop where they are, stored as they are, for the next window to resume. */
  dispose(): void {
    this.disposed = true;
    this.waiting.splice(0);
    for (const controller of this.running.values()) controller.abort(suspendedError());
    this.listeners.clear();
    this.store.retire();
  }

  private pump(): void {
    while (!this.disposed && this.running.size < this.options.maxConcurrent() && this.waiting.length) {
      const id = this.waiting.shift()!;
      const controller = new AbortController();
      this.running.set(id, controller);
      void this.run(id, controller).finally(() => {
        this.running.delete(id);
        this.pump();
      });
    }
  }

  private async run(id: string, controller: AbortController): Promise<void> {
    const hooks = {
      save: async (record: JobRecord) => {
        // After dispose the next window owns the job; a late write must not undo what it stores.
        if (this.disposed) return;
        await this.store.save(record);
        this.set(record);
      },
      onProgress: (event: ProgressEvent) => {
        this.progress.set(id, event);
        this.emit({ type: 'progress', id, event });
      },
      log: this.options.log,
    };
    try {
      const environment = await this.options.environment();
      await this.runner.advance(this.require(id), environment, controller.signal, hooks);
    } catch (error) {
      // The environment itself failed (no token, bad settings): the job fails with that message.
      const failure = error instanceof HfVideoError ? error : new HfVideoError('invalidInput', String(error));
      await hooks.save({ ...this.require(id), state: 'failed', failure: { kind: failure.kind, message: redactSecrets(failure.userMessage), nextStep: failure.nextStep, canDownloadAgain: false } });
    } finally {
      this.progress.delete(id);
      if (!this.disposed) await this.store.release(id);
    }
  }

  private set(record: JobRecord): void {
    this.records.set(record.id, record);
    this.emit({ type: 'changed', record });
  }

  private require(id: string): JobRecord {
    const record = this.records.get(id);
    if (!record) throw new HfVideoError('invalidInput', 'This generation is no longer in the history.');
    return record;
  }

  private emit(event: JobEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
