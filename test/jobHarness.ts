// Runs generations the way the extension does — a job record advanced by the real JobRunner and
// stored by a real FileJobStore in a temporary folder — against the emulator. Shared by the unit
// tests and the bench; it only uses the emulator and src/core, never VS Code.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from '../src/core/http';
import { JobQueue } from '../src/core/jobs/queue';
import { newJobRecord, prepareDownloadAgain, type JobRecord, type JobRequest } from '../src/core/jobs/record';
import { JobRunner, type JobEnvironment, type RunHooks } from '../src/core/jobs/runner';
import { FileJobStore } from '../src/core/jobs/store';
import type { ProgressEvent, ProviderName } from '../src/core/types';
import { VideoClient, type ClientSettings, type Credentials } from '../src/core/videoClient';
import type { Emulator } from './emulator/types';

export const TOKEN = 'hf_emulator_token';
/** The emulator's default direct-mode keys. */
export const PROVIDER_KEYS: Record<ProviderName, string> = {
  'fal-ai': 'fal_emulator_key',
  replicate: 'r8_emulator_key',
  novita: 'novita_emulator_key',
  wavespeed: 'wavespeed_emulator_key',
  together: 'together_emulator_key',
};
export const WAN21 = 'Wan-AI/Wan2.1-T2V-14B';
/** A model each provider serves in the emulator's Hub mapping. */
export const PROVIDER_MODELS: Record<ProviderName, string> = {
  'fal-ai': WAN21,
  replicate: WAN21,
  novita: WAN21,
  wavespeed: WAN21,
  together: 'Wan-AI/Wan2.2-T2V-A14B',
};

const DEFAULT_REQUEST: JobRequest = { prompt: 'a red fox in the snow', model: WAN21, provider: 'fal-ai', parameters: {}, extra: {} };

export interface JobOptions {
  settings?: Partial<ClientSettings>;
  credentials?: Credentials;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  resultRetentionHours?: number;
}

/** A FileJobStore that also keeps every version it saved, so tests can read the whole history of a job. */
class RecordingStore extends FileJobStore {
  constructor(
    dir: string,
    private readonly saved: JobRecord[],
  ) {
    super(dir);
  }

  override save(record: JobRecord): Promise<void> {
    this.saved.push(structuredClone(record));
    return super.save(record);
  }
}

/** A JobRunner that knows which of its runs are still going, so a closed window can be waited for. */
class TrackedRunner extends JobRunner {
  private readonly runs = new Set<Promise<JobRecord>>();

  override advance(...args: Parameters<JobRunner['advance']>): Promise<JobRecord> {
    const run = super.advance(...args);
    this.runs.add(run);
    void run.finally(() => this.runs.delete(run));
    return run;
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.runs]);
  }
}

/** What a VS Code window holds: its own client (empty Hub cache), store owner, runner and queue. */
export interface JobWindow {
  queue: JobQueue;
  /** Disposes the queue (suspends its jobs) and waits until its runs have stopped, as a window that closed. */
  close(): Promise<void>;
  /**
   * Closes the window the moment a stored change matches (within the change event, so the job
   * cannot move on first) and resolves with that record once the window's runs have stopped.
   */
  closeWhen(matches: (record: JobRecord) => boolean): Promise<JobRecord>;
  /** Changes how many jobs may run at once, as the setting does. */
  setLimit(limit: number): void;
}

/** One test's jobs: a temporary folder for the records and videos, and every record version stored. */
export class JobHarness {
  /** Progress of the jobs run with `run` and `downloadAgain`, in order. */
  readonly events: ProgressEvent[] = [];
  /** Log lines of the jobs run with `run` and `downloadAgain`, in order. */
  readonly logs: string[] = [];
  /** Every record version any store of this harness saved, in order. */
  readonly saved: JobRecord[] = [];
  /** This test's own store (its owner is never a window's). */
  readonly store: FileJobStore;
  private readonly runner: JobRunner;
  private readonly windows: JobWindow[] = [];

  private constructor(
    private readonly emulator: Pick<Emulator, 'url'>,
    private readonly folder: string,
  ) {
    this.store = this.newStore();
    this.runner = new JobRunner(newClient());
  }

  static async create(emulator: Pick<Emulator, 'url'>): Promise<JobHarness> {
    return new JobHarness(emulator, await mkdtemp(join(tmpdir(), 'hfv-jobs-')));
  }

  get storeDir(): string {
    return join(this.folder, 'jobs');
  }

  get videosDir(): string {
    return join(this.folder, 'videos');
  }

  private settings(overrides: Partial<ClientSettings> = {}): ClientSettings {
    const directBaseUrls = Object.fromEntries(Object.keys(PROVIDER_KEYS).map((provider) => [provider, `${this.emulator.url}/direct/${provider}`]));
    return { routerUrl: this.emulator.url, hubUrl: this.emulator.url, timeoutMinutes: 1, pollIntervalMs: 25, directBaseUrls, ...overrides };
  }

  private environment(options: JobOptions = {}): JobEnvironment {
    return {
      settings: this.settings(options.settings),
      credentials: options.credentials ?? { hfToken: TOKEN },
      videosDir: this.videosDir,
      resultRetentionHours: options.resultRetentionHours ?? 24,
    };
  }

  /** A job for `request` (a red fox on fal-ai unless told otherwise), stored and run to its end. */
  async run(request: Partial<JobRequest> = {}, options: JobOptions = {}): Promise<JobRecord> {
    const record = newJobRecord({ ...DEFAULT_REQUEST, ...request });
    await this.store.save(record);
    return this.advance(record, options);
  }

  /** Takes a stored record on from its state, as the runner does for a resumed job. */
  private advance(record: JobRecord, options: JobOptions = {}): Promise<JobRecord> {
    const hooks: RunHooks = {
      save: (version) => this.store.save(version),
      onProgress: (event) => {
        this.events.push(event);
        options.onProgress?.(event);
      },
      log: (line) => this.logs.push(line),
    };
    return this.runner.advance(record, this.environment(options), options.signal ?? new AbortController().signal, hooks);
  }

  /** Fetches the video of a job whose download failed, without a new job. */
  downloadAgain(record: JobRecord, options: JobOptions = {}): Promise<JobRecord> {
    return this.advance(prepareDownloadAgain(record), options);
  }

  /** A new window on the same folder: after `close()` of another, it is a window reload. */
  openWindow(options: JobOptions & { maxConcurrent?: number } = {}): JobWindow {
    const runner = new TrackedRunner(newClient());
    let limit = options.maxConcurrent ?? 1;
    const queue = new JobQueue(this.newStore(), runner, {
      maxConcurrent: () => limit,
      environment: async () => this.environment(options),
      log: () => undefined,
    });
    const close = async () => {
      queue.dispose();
      await runner.idle();
    };
    const closeWhen = (matches: (record: JobRecord) => boolean) =>
      new Promise<JobRecord>((resolve) => {
        // No need to unsubscribe: dispose drops every listener.
        queue.onDidChange((event) => {
          if (event.type === 'changed' && matches(event.record)) resolve(close().then(() => event.record));
        });
      });
    const setLimit = (value: number) => {
      limit = value;
      queue.limitChanged();
    };
    const window: JobWindow = { queue, close, closeWhen, setLimit };
    this.windows.push(window);
    return window;
  }

  /** The files in the videos folder: a finished video, never a partial one. */
  async videoFiles(): Promise<string[]> {
    return readdir(this.videosDir).catch(() => []);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.windows.map((window) => window.close()));
    this.store.retire();
    await rm(this.folder, { recursive: true, force: true });
  }

  /** A store with an owner of its own, as each window has. */
  private newStore(): RecordingStore {
    return new RecordingStore(this.storeDir, this.saved);
  }
}

/** A new client, as a new window has: its Hub mapping cache starts empty. */
function newClient(): VideoClient {
  return new VideoClient(new HttpClient({ userAgent: 'hf-text-to-video-tests/1.0', retryDelayMs: 20 }), { downloadRetryDelayMs: 20 });
}

/** Options for a job that the user cancels as soon as the provider reports it running. */
export function cancelOnceRunning(): Pick<JobOptions, 'signal' | 'onProgress'> {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    onProgress: (event) => {
      if (event.phase === 'running') controller.abort();
    },
  };
}

/** Resolves once `condition` holds; for states only visible from outside (requests the emulator received). */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let checks = 0; !condition(); checks++) {
    if (checks > 6000) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves with the first record of the queue's changes that `matches`. */
export function nextChange(queue: JobQueue, matches: (record: JobRecord) => boolean): Promise<JobRecord> {
  return new Promise((resolve) => {
    const subscription = queue.onDidChange((event) => {
      if (event.type === 'changed' && matches(event.record)) {
        subscription.dispose();
        resolve(event.record);
      }
    });
  });
}
