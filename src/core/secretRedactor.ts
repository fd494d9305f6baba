/**
 * Hugging Face tokens and provider keys never reach a log, a message, a webview or a file. Stored
 * secrets are removed exactly (and in their URL-encoded form, as servers echo them in URLs and
 * bodies); text that only looks like a credential is caught by patterns.
 */

import type { Credentials } from './videoClient';

export const REDACTED = '[redacted]';

/** Shorter values would match ordinary text; the store refuses tokens this short anyway. */
const MIN_SECRET_LENGTH = 8;

export class SecretRedactor {
  private secrets: string[] = [];

  /** Replaces the known secrets; empty values are ignored. */
  setSecrets(values: Iterable<string | undefined>): void {
    this.secrets = formsOf(values);
  }

  /** A redactor that also knows `values`, e.g. a job's own credentials. */
  including(values: Iterable<string | undefined>): SecretRedactor {
    const combined = new SecretRedactor();
    combined.secrets = formsOf([...this.secrets, ...values]);
    return combined;
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    return redactCredentialPatterns(result);
  }
}

/** Each value and its URL-encoded form, longest first so a secret inside another is not half replaced. */
function formsOf(values: Iterable<string | undefined>): string[] {
  const forms = new Set<string>();
  for (const value of values) {
    if (!value || value.length < MIN_SECRET_LENGTH) continue;
    forms.add(value);
    forms.add(encodeURIComponent(value));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * Text shaped like a credential. `Bearer`/`Key` only count when followed by something token-like,
 * so sentences such as "Unknown key resolution" or "Bearer of bad news" stay as they are.
 */
export function redactCredentialPatterns(text: string): string {
  return text
    .replace(/\bhf_[A-Za-z0-9]{6,}\b/g, `hf_${REDACTED}`)
    .replace(/\br8_[A-Za-z0-9]{6,}\b/g, `r8_${REDACTED}`)
    .replace(/\b(Bearer)(\s+|%20)(?=[^\s"',}]*[\d_\-:.])[^\s"',}]{8,}/gi, `$1$2${REDACTED}`)
    .replace(/\b(Key)(\s+|%20)(?=[^\s"',}]*[\d_\-:])[^\s"',}]{16,}/gi, `$1$2${REDACTED}`);
}

const SHARED_REDACTOR = Symbol.for('hf-text-to-video.sharedRedactor');
/**
 * The one redactor of this process; the VS Code layer keeps it in step with the secret storage. Kept on the
 * global object because both bundles (dist/extension.js and the on-demand dist/onDemand.js) hold this module.
 */
export const sharedRedactor: SecretRedactor = ((globalThis as { [SHARED_REDACTOR]?: SecretRedactor })[SHARED_REDACTOR] ??= new SecretRedactor());

/** The secret values among a job's credentials. */
export function secretsOf(credentials: Credentials): Array<string | undefined> {
  return [credentials.hfToken, ...Object.values(credentials.providerKeys ?? {})];
}
