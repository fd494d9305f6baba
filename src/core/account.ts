import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HfVideoError } from './errors';
import type { HttpClient } from './http';
import { trimSlash } from './hub';

/** Who a Hugging Face token belongs to, as the Hub's `whoami-v2` says. */
export interface Account {
  name: string;
  /** The token's own name, when the Hub gives it. */
  tokenName?: string;
  /** False only when the token is fine-grained and clearly lacks "Make calls to Inference Providers". */
  canCallInference: boolean;
}

const INFERENCE_PERMISSION = 'inference.serverless.write';

/** Someone waits for the answer (Set Access Token, Show Sign-in Status), so a silent Hub must not hold them long. */
const WHOAMI_TIMEOUT_MS = 20_000;

/** Asks the Hub who the token belongs to; a refused token throws the `auth` error, an unreachable Hub a `network` one. */
export async function whoami(http: HttpClient, hubUrl: string, token: string, timeoutMs = WHOAMI_TIMEOUT_MS): Promise<Account> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new HfVideoError('network', `The Hugging Face Hub did not answer within ${Math.round(timeoutMs / 1000)} seconds.`)),
    timeoutMs,
  );
  try {
    const body = await http.json<WhoamiBody>({
      method: 'GET',
      url: `${trimSlash(hubUrl)}/api/whoami-v2`,
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
      service: 'the Hugging Face Hub',
      idempotent: true,
    });
    return parseAccount(body);
  } finally {
    clearTimeout(timer);
  }
}

/** The parts of a `whoami-v2` answer this extension uses. */
export function parseAccount(body: WhoamiBody | undefined): Account {
  const accessToken = body?.auth?.accessToken;
  return {
    name: typeof body?.name === 'string' ? body.name : 'an unnamed account',
    tokenName: typeof accessToken?.displayName === 'string' ? accessToken.displayName : undefined,
    canCallInference: !(accessToken?.role === 'fineGrained' && !grantsInference(accessToken.fineGrained)),
  };
}

export interface WhoamiBody {
  name?: unknown;
  auth?: { accessToken?: { displayName?: unknown; role?: unknown; fineGrained?: FineGrained } };
}

interface FineGrained {
  global?: unknown;
  scoped?: Array<{ permissions?: unknown }>;
}

/** The permission is user-wide (`global`); it may also sit in a scoped entry for the user. */
function grantsInference(fineGrained: FineGrained | undefined): boolean {
  const lists = [fineGrained?.global, ...(Array.isArray(fineGrained?.scoped) ? fineGrained.scoped.map((entry) => entry?.permissions) : [])];
  return lists.some((list) => Array.isArray(list) && list.includes(INFERENCE_PERMISSION));
}

/** Where a token the user already has outside VS Code could be imported from; nothing is read here. */
export type TokenSource = { kind: 'environment' } | { kind: 'file'; path: string };

/** `HF_TOKEN` first, then the Hugging Face CLI's token file (`HF_TOKEN_PATH`, else `$HF_HOME/token`, else `~/.cache/huggingface/token`). */
export function findTokenSource(env: NodeJS.ProcessEnv = process.env, home = homedir()): TokenSource | undefined {
  if (env.HF_TOKEN?.trim()) return { kind: 'environment' };
  const path = env.HF_TOKEN_PATH || join(env.HF_HOME || join(env.XDG_CACHE_HOME || join(home, '.cache'), 'huggingface'), 'token');
  return existsSync(path) ? { kind: 'file', path } : undefined;
}
