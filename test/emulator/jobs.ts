// One job state machine shared by every provider. The state is computed from the clock,
// never advanced by polls, so how often a client polls does not change what it sees.
import type { ProviderName } from './types';

export type JobStage = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';

/** What will happen to a job, fixed when it is created (options + faults). */
export interface JobPlan {
  queueMs: number;
  runMs: number;
  failure?: { message: string; outcome: 'failed' | 'canceled'; during: 'queued' | 'running' };
  stuck?: 'queued' | 'running';
}

export interface Job {
  id: string;
  provider: ProviderName;
  providerId: string;
  /** The request body (or Replicate `input`) as the provider received it. */
  input: Record<string, unknown>;
  prompt: string;
  seed: number;
  createdAt: number;
  plan: JobPlan;
  canceledAt?: number;
  /** With `echoAuthorization`: the line that repeats the submit's Authorization header. */
  authorizationEcho?: string;
}

export interface JobView {
  stage: JobStage;
  /** 0 when not queued. */
  queuePosition: number;
  /** 0..1 while running, 1 once succeeded. */
  progress: number;
  startedAt?: number;
  endedAt?: number;
  /** Failure reason. */
  message?: string;
}

export interface JobLog {
  message: string;
  timestamp: string;
}

/** A fresh job starts this far back in the queue and moves forward as the queue time passes. */
const FIRST_QUEUE_POSITION = 2;
const LOG_STEPS = 4;
/** A job stuck running never reports more progress than this. */
const STUCK_PROGRESS = 0.95;

export function jobView(job: Job, now: number): JobView {
  // cancelJob only sets canceledAt on a job that had not ended.
  if (job.canceledAt === undefined || job.canceledAt > now) return naturalView(job, now);
  const startedAt = naturalView(job, job.canceledAt).startedAt;
  return { stage: 'canceled', queuePosition: 0, progress: 0, startedAt, endedAt: job.canceledAt };
}

function naturalView(job: Job, now: number): JobView {
  const { plan, createdAt } = job;
  if (plan.failure?.during === 'queued') return failedView(job, createdAt, undefined);
  const queueEnd = plan.stuck === 'queued' ? Infinity : createdAt + plan.queueMs;
  if (now < queueEnd) return { stage: 'queued', queuePosition: queuePosition(job, now), progress: 0 };
  const runEnd = plan.stuck === 'running' ? Infinity : queueEnd + plan.runMs;
  if (now < runEnd) {
    const progress = Math.min(STUCK_PROGRESS, (now - queueEnd) / Math.max(1, plan.runMs));
    return { stage: 'running', queuePosition: 0, progress, startedAt: queueEnd };
  }
  if (plan.failure) return failedView(job, runEnd, queueEnd);
  return { stage: 'succeeded', queuePosition: 0, progress: 1, startedAt: queueEnd, endedAt: runEnd };
}

function failedView(job: Job, endedAt: number, startedAt: number | undefined): JobView {
  const failure = job.plan.failure!;
  return { stage: failure.outcome, queuePosition: 0, progress: 0, startedAt, endedAt, message: failure.message };
}

/** Counts down to 0 over the nominal queue time, then stays at 0 (a stuck job sits there forever). */
function queuePosition(job: Job, now: number): number {
  const remaining = job.createdAt + job.plan.queueMs - now;
  if (remaining <= 0) return 0;
  return Math.min(FIRST_QUEUE_POSITION, Math.floor((remaining / Math.max(1, job.plan.queueMs)) * (FIRST_QUEUE_POSITION + 1)));
}

export function isTerminal(stage: JobStage): boolean {
  return stage === 'succeeded' || stage === 'failed' || stage === 'canceled';
}

/** Progress logs accumulate while the job runs, like fal's and Replicate's. */
export function jobLogs(job: Job, view: JobView): JobLog[] {
  if (view.startedAt === undefined) return [];
  const steps = view.stage === 'running' ? Math.floor(view.progress * LOG_STEPS) : LOG_STEPS;
  const logs: JobLog[] = [{ message: `Generating video for: ${job.prompt.slice(0, 60)}`, timestamp: iso(view.startedAt) }];
  if (job.authorizationEcho) logs.push({ message: job.authorizationEcho, timestamp: iso(view.startedAt) });
  for (let step = 1; step <= steps; step += 1) {
    const at = view.startedAt + (step * job.plan.runMs) / LOG_STEPS;
    logs.push({ message: `Denoising step ${step}/${LOG_STEPS}`, timestamp: iso(at) });
  }
  return logs;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Marks a job canceled now; false when it had already ended. */
export function cancelJob(job: Job, now: number): boolean {
  if (isTerminal(jobView(job, now).stage)) return false;
  job.canceledAt = now;
  return true;
}

export class JobStore {
  private readonly jobs = new Map<string, Job>();

  add(job: Job): Job {
    this.jobs.set(job.id, job);
    return job;
  }

  get(provider: ProviderName, id: string): Job | undefined {
    const job = this.jobs.get(id);
    return job?.provider === provider ? job : undefined;
  }

  clear(): void {
    this.jobs.clear();
  }
}

/**
 * Resolves once the job has ended by the emulator's clock `now`, `maxMs` of real time have passed (a hold
 * on the connection), or `signal` aborts; returns the last view.
 */
export async function waitForJob(job: Job, now: () => number, maxMs: number, signal: AbortSignal, done = (view: JobView) => isTerminal(view.stage)): Promise<JobView> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const view = jobView(job, now());
    const left = deadline - Date.now();
    if (done(view) || left <= 0 || signal.aborted) return view;
    await sleep(Math.min(25, left), signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    }
    signal?.addEventListener('abort', finish, { once: true });
  });
}
