// Credential checks for the three kinds of caller: router (HF token), provider host (provider key), Hub (optional token).
import type { IncomingHttpHeaders } from 'node:http';
import type { ResolvedOptions } from './options';
import type { Provider } from './provider';

/** What a credential allows. 'read-only' HF tokens lack the Inference Providers permission. */
export type Caller = 'anonymous' | 'user' | 'read-only' | 'invalid';

/** The credential after `scheme`, or undefined when the header is missing or uses another scheme. */
export function credential(headers: IncomingHttpHeaders, scheme: 'Bearer' | 'Key'): string | undefined {
  const match = /^(\S+)\s+(\S+)\s*$/.exec(headers.authorization ?? '');
  return match && match[1].toLowerCase() === scheme.toLowerCase() ? match[2] : undefined;
}

export function hfCaller(headers: IncomingHttpHeaders, options: ResolvedOptions): Caller {
  if (headers.authorization === undefined) return 'anonymous';
  const token = credential(headers, 'Bearer');
  if (token === undefined) return 'invalid';
  if (options.tokens.includes(token)) return 'user';
  return options.readOnlyTokens.includes(token) ? 'read-only' : 'invalid';
}

export function isProviderKey(headers: IncomingHttpHeaders, options: ResolvedOptions, provider: Provider): boolean {
  const key = credential(headers, provider.authScheme) ?? (provider.acceptsBareKey ? bareCredential(headers) : undefined);
  return key !== undefined && options.providerKeys[provider.name].includes(key);
}

/** A key sent as the whole header, with no scheme. */
function bareCredential(headers: IncomingHttpHeaders): string | undefined {
  return /^\s*(\S+)\s*$/.exec(headers.authorization ?? '')?.[1];
}

/** What a careless server says back with `echoAuthorization`: the header as received and URL-encoded. */
export function authorizationEcho(headers: IncomingHttpHeaders): string {
  const received = headers.authorization ?? '';
  return `received Authorization: ${received} (${encodeURIComponent(received)})`;
}
