// Fault injection: validation, matching and consumption. What a fault does to a reply is in dispatch.ts.
import { PROVIDERS } from './types';
import type { Fault, FaultKind, FaultPhase, FaultTarget, FaultTimes } from './types';

const PHASES: readonly FaultPhase[] = ['hub', 'whoami', 'submit', 'status', 'result', 'cancel', 'download'];
const TARGETS: readonly FaultTarget[] = [...PROVIDERS, 'hub', 'cdn'];

/** Kinds whose phase is implied, and the only phase they accept. */
const FIXED_PHASE: Partial<Record<FaultKind, FaultPhase>> = {
  'job-failed': 'submit',
  'never-finish': 'submit',
  'slow-queue': 'submit',
  'json-error-page': 'download',
};
const KINDS: readonly FaultKind[] = [
  'http-error',
  'job-failed',
  'never-finish',
  'slow-queue',
  'delay',
  'connection-reset',
  'truncated-body',
  'html-page',
  'redirect',
  'json-error-page',
];

export type JobFault = Extract<Fault, { kind: 'job-failed' | 'never-finish' | 'slow-queue' }>;

export function isJobFault(fault: Fault): fault is JobFault {
  return fault.kind === 'job-failed' || fault.kind === 'never-finish' || fault.kind === 'slow-queue';
}

interface ActiveFault {
  fault: Fault;
  phase: FaultPhase;
  remaining: number;
}

/** Which services a request speaks for: a CDN file answers for 'cdn' and for its provider. */
export type RequestTargets = readonly FaultTarget[];

export class FaultStore {
  private active: ActiveFault[] = [];

  inject(input: unknown): void {
    const fault = validateFault(input);
    this.active.push({ fault, phase: phaseOf(fault), remaining: remainingOf(fault.times) });
  }

  clear(): void {
    this.active = [];
  }

  list(): Fault[] {
    return this.active.map((entry) => entry.fault);
  }

  /** The first fault (in injection order) for this request; its count goes down by one. */
  take(targets: RequestTargets, phase: FaultPhase): Fault | undefined {
    const entry = this.active.find((candidate) => candidate.phase === phase && matchesTarget(candidate.fault, targets));
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.active = this.active.filter((candidate) => candidate !== entry);
    return entry.fault;
  }
}

function matchesTarget(fault: Fault, targets: RequestTargets): boolean {
  return fault.provider === undefined || targets.includes(fault.provider);
}

function phaseOf(fault: Fault): FaultPhase {
  return fault.phase ?? FIXED_PHASE[fault.kind]!;
}

function remainingOf(times: FaultTimes | undefined): number {
  if (times === undefined) return 1;
  return times === 'always' || times === -1 || times === Infinity ? Infinity : times;
}

/** Checks a fault from code or from JSON, so a typo fails loudly instead of never firing. */
export function validateFault(input: unknown): Fault {
  if (typeof input !== 'object' || input === null) throw new Error('A fault must be a JSON object');
  const fault = input as Record<string, unknown>;
  const kind = fault.kind as FaultKind;
  if (!KINDS.includes(kind)) throw new Error(`Unknown fault kind ${JSON.stringify(fault.kind)}; one of ${KINDS.join(', ')}`);
  checkPhase(kind, fault.phase);
  if (fault.provider !== undefined && !TARGETS.includes(fault.provider as FaultTarget)) {
    throw new Error(`Unknown fault provider ${JSON.stringify(fault.provider)}; one of ${TARGETS.join(', ')}`);
  }
  checkTimes(fault.times);
  checkKindFields(kind, fault);
  return fault as unknown as Fault;
}

function checkPhase(kind: FaultKind, phase: unknown): void {
  const fixed = FIXED_PHASE[kind];
  if (fixed !== undefined) {
    if (phase !== undefined && phase !== fixed) throw new Error(`Fault kind ${kind} applies at phase '${fixed}' only`);
    return;
  }
  if (!PHASES.includes(phase as FaultPhase)) throw new Error(`Fault kind ${kind} needs a phase: one of ${PHASES.join(', ')}`);
}

function checkTimes(times: unknown): void {
  if (times === undefined || times === 'always' || times === -1 || times === Infinity) return;
  if (typeof times !== 'number' || !Number.isInteger(times) || times < 1) {
    throw new Error(`Fault times must be a positive integer, -1 or 'always', not ${JSON.stringify(times)}`);
  }
}

function checkKindFields(kind: FaultKind, fault: Record<string, unknown>): void {
  if (kind === 'http-error') checkNumber(fault, 'status', 400, 599, true);
  if (kind === 'html-page' || kind === 'json-error-page') checkNumber(fault, 'status', 200, 599, false);
  if (kind === 'slow-queue') checkNumber(fault, 'extraQueueMs', 0, Infinity, true);
  if (kind === 'delay') checkNumber(fault, 'ms', 0, Infinity, true);
  if (kind === 'connection-reset' || kind === 'truncated-body') checkNumber(fault, 'afterBytes', 0, Infinity, false);
  if (kind === 'http-error') checkNumber(fault, 'retryAfter', 0, Infinity, false);
  if (kind === 'redirect') {
    if (typeof fault.to !== 'string' || fault.to === '') throw new Error('Fault redirect needs to as a URL string');
    if (fault.status !== undefined && ![301, 302, 303, 307, 308].includes(fault.status as number)) throw new Error('Fault redirect status must be 301, 302, 303, 307 or 308');
  }
}

function checkNumber(fault: Record<string, unknown>, field: string, min: number, max: number, required: boolean): void {
  const value = fault[field];
  if (value === undefined && !required) return;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    throw new Error(`Fault ${String(fault.kind)} needs ${field} as a number from ${min} to ${max}`);
  }
}
