/**
 * One error type for everything that can go wrong in a generation: it carries the sentence a user
 * reads and the one action that fixes it, so the VS Code layer never has to parse messages.
 */

import { sharedRedactor } from './secretRedactor';

export type ErrorKind =
  | 'invalidInput'
  | 'auth'
  | 'credits'
  | 'permission'
  | 'notFound'
  | 'rejected'
  | 'rateLimited'
  | 'unavailable'
  | 'providerFailed'
  | 'badOutput'
  | 'noProvider'
  | 'timeout'
  | 'network'
  | 'cancelled'
  /** The provider no longer keeps the result of a job this old. */
  | 'expired'
  /** The window closed while the job was being submitted: it may or may not exist at the provider. */
  | 'interrupted'
  /** The extension is shutting down; the job is left as stored, to be resumed. */
  | 'suspended';

export type NextStep =
  | { action: 'setToken'; label: string }
  | { action: 'setProviderKey'; label: string }
  | { action: 'openUrl'; label: string; url: string }
  | { action: 'openSettings'; label: string; setting: string }
  /** settings.json at the setting, for values the Settings editor cannot edit (presets, objects). */
  | { action: 'openSettingsJson'; label: string; setting: string }
  | { action: 'retry'; label: string }
  | { action: 'downloadAgain'; label: string }
  | { action: 'showLog'; label: string }
  | { action: 'showProblems'; label: string };

export interface ErrorDetails {
  status?: number;
  requestId?: string;
  /** Seconds the server asked us to wait (429). */
  retryAfter?: number;
  /** What the server itself said, already cleaned of secrets. */
  serverMessage?: string;
  nextStep?: NextStep;
  cause?: unknown;
}

/** Marks every HfVideoError, whichever copy of this module made it (see hasInstance). */
const HF_VIDEO_ERROR = Symbol.for('hf-text-to-video.HfVideoError');

export class HfVideoError extends Error {
  /** Both bundles (dist/extension.js and the on-demand dist/onDemand.js) hold a copy of this class: each recognises the other's errors. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && HF_VIDEO_ERROR in value;
  }

  readonly [HF_VIDEO_ERROR] = true;
  readonly status?: number;
  readonly requestId?: string;
  readonly retryAfter?: number;
  readonly serverMessage?: string;
  readonly nextStep?: NextStep;

  constructor(
    readonly kind: ErrorKind,
    /** A complete sentence for the user: no stack, no JSON, no secret. */
    readonly userMessage: string,
    details: ErrorDetails = {},
  ) {
    super(userMessage, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'HfVideoError';
    this.status = details.status;
    this.requestId = details.requestId;
    this.retryAfter = details.retryAfter;
    this.serverMessage = details.serverMessage;
    this.nextStep = details.nextStep;
  }
}

export const TOKEN_SETTINGS_URL =
  'https://huggingface.co/settings/tokens/new?ownUserPermissions=inference.serverless.write&tokenType=fineGrained';
export const BILLING_URL = 'https://huggingface.co/settings/billing';

export function cancelledError(): HfVideoError {
  return new HfVideoError('cancelled', 'The generation was cancelled.');
}

/** The extension host is going away: jobs stop where they are, neither cancelled nor failed, to be resumed. */
export function suspendedError(): HfVideoError {
  return new HfVideoError('suspended', 'The window closed; the generation will go on when it opens again.');
}

/** Why a signal aborted: our own reason (cancel, timeout) when we set one, otherwise a cancellation. */
export function abortReason(signal: AbortSignal): HfVideoError {
  return signal.reason instanceof HfVideoError ? signal.reason : cancelledError();
}

/** Removes the stored secrets and anything shaped like a credential from `text`. */
export function redactSecrets(text: string): string {
  return sharedRedactor.redact(text);
}
