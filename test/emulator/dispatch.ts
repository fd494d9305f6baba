// Request handling shared by every service: record, authenticate, route, apply faults, reply.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorizationEcho, hfCaller, isProviderKey } from './auth';
import { cdnReply, CDN_FILE_NAME } from './cdn';
import { controlReply } from './control';
import { defaultMessage, errorReply, htmlPage, ReplyError, ROUTER_STATUSES, type Answerer } from './errors';
import { isJobFault, type JobFault } from './faults';
import { HUB_ROUTES } from './hub';
import { traceId } from './ids';
import { sleep } from './jobs';
import type { Mode, Provider, ProviderRequest } from './provider';
import { invalidInput } from './provider';
import { FAL_SYNC_HOST, findProvider } from './providers';
import { queryString, recordRequest, redactQuery } from './recorder';
import { bufferBody, jsonReply, sendReply, type Delivery, type Reply } from './reply';
import { matchRoute, splitPath } from './routes';
import type { EmulatorState } from './state';
import type { Fault, FaultPhase, FaultTarget } from './types';

const CONTROL_PREFIX = '__emulator';

/** A reply and how to deliver it. */
interface Outcome {
  reply: Reply;
  delivery?: Delivery;
  fault?: Fault;
}

type ErrorAnswerer = (status: number, origin?: 'router' | 'provider') => Answerer;

/** What a request needs besides its service-specific parts. */
interface Incoming {
  method: string;
  segments: string[];
  url: URL;
  query: Record<string, string>;
  req: IncomingMessage;
  rawBody: Buffer;
  signal: AbortSignal;
}

export async function handleRequest(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  res.setHeader('x-request-id', traceId());
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const incoming: Incoming = {
    method: req.method ?? 'GET',
    segments: splitPath(url.pathname),
    url,
    query: Object.fromEntries(url.searchParams),
    req,
    rawBody: await readBody(req),
    signal: requestSignal(res, state.shutdown),
  };
  const outcome = await outcomeFor(state, incoming);
  res.once('close', () => logRequest(state, incoming, res, started, outcome.fault));
  await sendReply(res, outcome.reply, outcome.delivery);
}

async function outcomeFor(state: EmulatorState, incoming: Incoming): Promise<Outcome> {
  const { segments, method } = incoming;
  if (segments[0] === CONTROL_PREFIX) return { reply: controlReply(state, method, segments.slice(1).join('/'), incoming.rawBody) };
  const { req, url, rawBody, query } = incoming;
  state.requests.push(recordRequest(method, url.pathname, query, req.headers, rawBody));
  try {
    if (segments[0] === 'api') return await hubOutcome(state, incoming);
    if (segments[0] === 'cdn') return await cdnOutcome(state, incoming);
    if (segments[0] === 'direct') return await providerOutcome(state, incoming, 'direct', segments.slice(1));
    return await providerOutcome(state, incoming, 'routed', segments);
  } catch (error) {
    if (error instanceof ReplyError) return { reply: error.reply };
    return { reply: jsonReply(500, { error: `Emulator error: ${(error as Error).message}` }) };
  }
}

async function hubOutcome(state: EmulatorState, incoming: Incoming): Promise<Outcome> {
  const caller = hfCaller(incoming.req.headers, state.options);
  if (caller === 'invalid') return { reply: errorReply('hub', 401) };
  const match = matchRoute(HUB_ROUTES, incoming.method, incoming.segments);
  if (match === undefined || match === 'methodMismatch') return { reply: errorReply('hub', 404, 'Not Found') };
  const request = { options: state.options, caller, searchParams: incoming.url.searchParams };
  return withFault(state, incoming, ['hub'], match.route.phase, () => 'hub', async () => match.route.handle(request, match.params));
}

async function cdnOutcome(state: EmulatorState, incoming: Incoming): Promise<Outcome> {
  const [, providerName, jobId, fileName] = incoming.segments;
  const provider = findProvider(providerName ?? '');
  const isFile = provider && jobId && fileName === CDN_FILE_NAME && incoming.segments.length === 4;
  if (!provider || !isFile || !['GET', 'HEAD'].includes(incoming.method)) return { reply: errorReply('cdn', 404, 'Not Found') };
  const range = incoming.req.headers.range;
  return withFault(state, incoming, ['cdn', provider.name], 'download', () => 'cdn', async () => cdnReply(state, provider, jobId, incoming.method, range));
}

async function providerOutcome(state: EmulatorState, incoming: Incoming, mode: Mode, segments: string[]): Promise<Outcome> {
  const syncHost = mode === 'direct' && segments[0] === FAL_SYNC_HOST;
  const provider = findProvider(syncHost ? 'fal-ai' : (segments[0] ?? ''));
  if (!provider) return { reply: routerError(state, 404, 'Not Found') };
  const request: ProviderRequest = { state, provider, mode, syncHost, query: incoming.query, headers: incoming.req.headers, body: undefined, signal: incoming.signal };
  const denied = authFailure(request);
  if (denied) return { reply: denied };
  const match = matchRoute(provider.routes, incoming.method, segments.slice(1));
  if (match === undefined || match === 'methodMismatch') {
    return { reply: errorReply(provider.name, match ? 405 : 404, match ? 'Method Not Allowed' : 'Not Found') };
  }
  if (mode === 'routed' && match.route.statusStream && !state.options.routerServesStatusStream) {
    return { reply: errorReply(provider.name, 405, 'Method Not Allowed') };
  }
  if (mode === 'routed' && match.route.phase === 'cancel' && !state.options.routerForwardsCancel) {
    return { reply: routerError(state, 404, 'Not Found') };
  }
  return withFault(state, incoming, [provider.name], match.route.phase, injectedErrorAnswerer(mode, provider), async (jobFault) => {
    request.body = parseBody(request, incoming.rawBody);
    request.jobFault = jobFault;
    return match.route.handle(request, match.params);
  });
}

/** Who answers an injected HTTP error: on routed calls the router itself for its own statuses, unless told otherwise. */
function injectedErrorAnswerer(mode: Mode, provider: Provider): ErrorAnswerer {
  return (status, origin) => {
    if (mode === 'direct') return provider.name;
    const fromRouter = origin ? origin === 'router' : ROUTER_STATUSES.has(status);
    return fromRouter ? 'router' : provider.name;
  };
}

/** The router wants an HF token with inference rights; a provider's own host wants its key. */
function authFailure(request: ProviderRequest): Reply | undefined {
  const { headers, state, provider } = request;
  if (request.mode === 'direct') {
    return isProviderKey(headers, state.options, provider) ? undefined : errorReply(provider.name, 401, directAuthMessage(provider));
  }
  const caller = hfCaller(headers, state.options);
  if (caller === 'user') return undefined;
  return routerError(state, caller === 'read-only' ? 403 : 401);
}

function routerError(state: EmulatorState, status: number, message?: string): Reply {
  return errorReply('router', status, message, { routerErrorShape: state.options.routerErrorShape });
}

function directAuthMessage(provider: Provider): string {
  return provider.authScheme === 'Key' ? 'Unauthorized: pass your key as "Authorization: Key <key>"' : 'Invalid or missing API token';
}

function parseBody(request: ProviderRequest, rawBody: Buffer): unknown {
  if (rawBody.length === 0) return undefined;
  try {
    return JSON.parse(rawBody.toString('utf8')) as unknown;
  } catch {
    throw invalidInput(request, 'Invalid JSON in request body', 'body');
  }
}

/**
 * Takes the fault for this request, if any, and applies it around `produce`. `answerer` names who
 * produces an injected HTTP error (for routed calls it depends on the status).
 */
async function withFault(
  state: EmulatorState,
  incoming: Incoming,
  targets: FaultTarget[],
  phase: FaultPhase,
  answerer: ErrorAnswerer,
  produce: (jobFault?: JobFault) => Promise<Reply>,
): Promise<Outcome> {
  const fault = state.faults.take(targets, phase);
  const safeProduce = (jobFault?: JobFault): Promise<Reply> => produce(jobFault).catch(replyFromError);
  if (!fault) return { reply: await safeProduce() };
  if (isJobFault(fault)) return { reply: await safeProduce(fault), fault };
  switch (fault.kind) {
    case 'http-error': {
      const options = { routerErrorShape: state.options.routerErrorShape, retryAfter: fault.retryAfter };
      const message = state.echoAuthorization ? `${fault.message ?? defaultMessage(fault.status)}; ${authorizationEcho(incoming.req.headers)}` : fault.message;
      return { reply: errorReply(answerer(fault.status, fault.origin), fault.status, message, options), fault };
    }
    case 'html-page':
      return { reply: htmlPage(fault.status ?? 200), fault };
    case 'redirect':
      return { reply: { status: fault.status ?? 302, headers: { location: fault.to }, body: bufferBody('') }, fault };
    case 'json-error-page':
      return { reply: jsonReply(fault.status ?? 200, { error: fault.message ?? 'The requested file does not exist' }), fault };
    case 'delay':
      await sleep(fault.ms, incoming.signal);
      return { reply: await safeProduce(), fault };
    case 'connection-reset':
    case 'truncated-body': {
      const reply = await safeProduce();
      const afterBytes = fault.afterBytes ?? Math.floor(reply.body.length / 2);
      return { reply, delivery: { kind: fault.kind === 'connection-reset' ? 'reset' : 'truncate', afterBytes }, fault };
    }
  }
}

function replyFromError(error: unknown): Reply {
  if (error instanceof ReplyError) return error.reply;
  throw error;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Aborts when the response is over (client gone or answered) or the emulator shuts down. */
function requestSignal(res: ServerResponse, shutdown: AbortSignal): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return AbortSignal.any([controller.signal, shutdown]);
}

function logRequest(state: EmulatorState, incoming: Incoming, res: ServerResponse, started: number, fault: Fault | undefined): void {
  if (!state.options.log) return;
  const target = `${incoming.url.pathname}${queryString(redactQuery(incoming.query))}`;
  const notes = [fault ? `fault ${fault.kind}` : '', res.writableFinished ? '' : 'connection cut'].filter(Boolean);
  const suffix = notes.length > 0 ? ` [${notes.join(', ')}]` : '';
  state.options.log(`${incoming.method} ${target} -> ${res.statusCode} ${Date.now() - started}ms${suffix}`);
}
