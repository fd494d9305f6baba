// When to ask a provider about a job next. Every provider's polling (and fal's, when its status stream is
// not served) follows this one schedule: polls close together where the job is expected to end, few
// while it waits in a queue of unknown length.

/** The shortest and longest wait between two status requests. */
export interface PollBounds {
  minMs: number;
  maxMs: number;
}

/** What is known when the next status request is planned. */
export interface PollMoment {
  /** Since the job began to be followed. */
  elapsedMs: number;
  /** The wait before the status just read; undefined before the first one. */
  lastDelayMs?: number;
  /** What that status said. */
  phase?: 'queued' | 'running';
  /** When the last job of the same model ended (estimatedEnd), counted the same way. */
  expectedMs?: number;
}

/** A queue of unknown length is asked about less and less often; a running job, a little less. */
const QUEUED_GROWTH = 1.5;
const RUNNING_GROWTH = 1.25;
/** Polls close together from this share of the expected time before it until as long after it. */
const WINDOW_SHARE = 0.05;

/** The bounds for a configured poll interval: a quarter of it near the end, five times it at most. */
export function pollBounds(intervalMs: number): PollBounds {
  return { minMs: intervalMs / 4, maxMs: intervalMs * 5 };
}

/**
 * How long to wait before the next status request. With an expected duration, the polls wait for the
 * window around it (at most `maxMs` at a time, so progress still shows) and are `minMs` apart inside it;
 * otherwise, and once a job runs late, each wait grows from `minMs` up to `maxMs`.
 */
export function nextPollDelay(moment: PollMoment, bounds: PollBounds): number {
  const { minMs, maxMs } = bounds;
  if (moment.expectedMs !== undefined) {
    const margin = Math.max(minMs, moment.expectedMs * WINDOW_SHARE);
    const untilWindow = moment.expectedMs - margin - moment.elapsedMs;
    if (untilWindow > 0) return clamp(untilWindow, minMs, maxMs);
    if (moment.elapsedMs < moment.expectedMs + margin) return minMs;
  }
  const growth = moment.phase === 'running' ? RUNNING_GROWTH : QUEUED_GROWTH;
  return moment.lastDelayMs === undefined ? minMs : clamp(moment.lastDelayMs * growth, minMs, maxMs);
}

/**
 * When a polled job most likely ended, from the follow's start: after the last status that showed it
 * unfinished, and about half the shortest wait before the one that showed it done. Remembering when it
 * was seen done instead would make every next job's polls start later.
 */
export function estimatedEnd(lastUnfinishedMs: number | undefined, seenDoneMs: number, bounds: PollBounds): number {
  return Math.max(lastUnfinishedMs ?? 0, seenDoneMs - bounds.minMs / 2);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * When polled jobs ended (estimatedEnd), by provider and model: what the next job of that model is
 * expected to take. Kept for the life of the client only; a model's latest job is the best guess.
 */
export class FollowDurations {
  private readonly byModel = new Map<string, number>();

  expected(model: string): number | undefined {
    return this.byModel.get(model);
  }

  remember(model: string, ms: number): void {
    this.byModel.set(model, ms);
  }
}
