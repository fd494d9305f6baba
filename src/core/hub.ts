import { HfVideoError } from './errors';
import type { HttpClient } from './http';
import { isProviderName, type ProviderChoice, type ProviderName } from './types';

export interface ProviderMappingEntry {
  provider: string;
  providerId: string;
  status: string;
  task: string;
  adapter?: string;
  adapterWeightsPath?: string;
}

export interface ResolvedProvider {
  provider: ProviderName;
  entry: ProviderMappingEntry;
  /** Set when the user named a provider whose mapping is not live. */
  warning?: string;
}

const TASK = 'text-to-video';
const HUB_SERVICE = 'the Hugging Face Hub';
/** Long enough to spare a Hub call per job, short enough to notice a provider going live or down. */
const MAPPING_TTL_MS = 5 * 60_000;

/** Reads which providers serve a model from the Hub, cached per model for a few minutes. */
export class HubClient {
  private readonly cache = new Map<string, { expires: number; entries: ProviderMappingEntry[] }>();

  constructor(private readonly http: HttpClient) {}

  async providerMapping(hubUrl: string, model: string, token: string | undefined, signal: AbortSignal): Promise<ProviderMappingEntry[]> {
    const now = Date.now();
    const key = `${hubUrl}\n${model}`;
    const cached = this.cache.get(key);
    if (cached && cached.expires > now) return cached.entries;

    const url = `${trimSlash(hubUrl)}/api/models/${model.split('/').map(encodeURIComponent).join('/')}?expand[]=inferenceProviderMapping`;
    const body = await this.http.json<unknown>({
      method: 'GET',
      url,
      // With the token the Hub orders providers by the user's own preference.
      headers: token?.startsWith('hf_') ? { authorization: `Bearer ${token}` } : {},
      signal,
      service: HUB_SERVICE,
      idempotent: true,
    });
    const entries = parseMapping(body, model);
    this.cache.set(key, { expires: now + MAPPING_TTL_MS, entries });
    return entries;
  }

  /** Asks the Hub for a few models that some provider serves for text-to-video, to suggest them. */
  async servedModels(hubUrl: string, signal: AbortSignal, limit = 5): Promise<string[]> {
    try {
      return (await this.textToVideoModels(hubUrl, signal, limit)).map((model) => model.id);
    } catch {
      return []; // Only a hint: the main error is already known.
    }
  }

  /** The text-to-video models some provider serves live, each with the providers that serve it and their state. */
  async textToVideoModels(hubUrl: string, signal: AbortSignal, limit = 100): Promise<ServedModel[]> {
    const body = await this.http.json<unknown>({
      method: 'GET',
      url: `${trimSlash(hubUrl)}/api/models?inference_provider=all&pipeline_tag=${TASK}&limit=${limit}`,
      signal,
      service: HUB_SERVICE,
      idempotent: true,
    });
    if (!Array.isArray(body)) return [];
    return body.flatMap((model: { id?: unknown }) => {
      if (typeof model?.id !== 'string') return [];
      const entries = model && typeof model === 'object' && 'inferenceProviderMapping' in model ? safeMapping(model, model.id) : [];
      return [{ id: model.id, providers: providerStates(entries) }];
    });
  }
}

/** A provider that serves a model for text-to-video, and whether it is live or only in staging (or failing). */
export interface ProviderState {
  provider: ProviderName;
  status: string;
}

export interface ServedModel {
  id: string;
  providers: ProviderState[];
}

/** The providers this extension can call that serve text-to-video in a mapping, in the Hub's order. */
export function providerStates(entries: readonly ProviderMappingEntry[]): ProviderState[] {
  return entries.filter((entry) => entry.task === TASK && isProviderName(entry.provider)).map((entry) => ({ provider: entry.provider as ProviderName, status: entry.status }));
}

function safeMapping(body: unknown, model: string): ProviderMappingEntry[] {
  try {
    return parseMapping(body, model);
  } catch {
    return [];
  }
}

/** Accepts both shapes the Hub uses: a dict keyed by provider, or a list with `provider` fields. */
export function parseMapping(body: unknown, model: string): ProviderMappingEntry[] {
  const raw = (body as { inferenceProviderMapping?: unknown } | undefined)?.inferenceProviderMapping;
  if (raw === undefined || raw === null || typeof raw !== 'object') {
    throw new HfVideoError('noProvider', `The Hugging Face Hub has no Inference Provider information for ${model}.`, {
      nextStep: { action: 'openSettings', label: 'Choose Model', setting: 'hfVideo.model' },
    });
  }
  const list = Array.isArray(raw) ? raw : Object.entries(raw).map(([provider, entry]) => ({ provider, ...(entry as object) }));
  return list.filter(isEntry);
}

function isEntry(value: unknown): value is ProviderMappingEntry {
  const entry = value as Partial<ProviderMappingEntry> | undefined;
  return typeof entry?.provider === 'string' && typeof entry.providerId === 'string' && typeof entry.task === 'string';
}

/**
 * `auto` takes the first live text-to-video entry in the Hub's order (the user's preference).
 * A named provider is used even in staging or error state, with a warning, because the user asked for it.
 */
export function chooseProvider(model: string, requested: ProviderChoice, entries: ProviderMappingEntry[], suggestions: string[] = []): ResolvedProvider {
  const usable = entries.filter((entry) => entry.task === TASK && isProviderName(entry.provider));
  if (requested === 'auto') {
    const live = usable.find((entry) => entry.status === 'live');
    if (live) return { provider: live.provider as ProviderName, entry: live };
    throw noProviderError(model, usable, suggestions);
  }
  const named = entries.find((entry) => entry.provider === requested);
  if (!named) throw noProviderError(model, usable, suggestions, requested);
  if (named.task !== TASK) {
    throw new HfVideoError('noProvider', `${requested} serves ${model} for ${named.task}, not for text-to-video.`, {
      nextStep: { action: 'openSettings', label: 'Choose Model', setting: 'hfVideo.model' },
    });
  }
  const warning =
    named.status === 'live'
      ? undefined
      : named.status === 'staging'
        ? `${model} is in staging on ${requested}: it is meant for tests and may only work for the provider's own members.`
        : `The latest health check of ${model} on ${requested} failed (status "${named.status}"): the generation may fail.`;
  return { provider: requested, entry: named, warning };
}

function noProviderError(model: string, usable: ProviderMappingEntry[], suggestions: string[], requested?: ProviderName): HfVideoError {
  const others = usable.filter((entry) => entry.provider !== requested);
  const live = others.filter((entry) => entry.status === 'live').map((entry) => entry.provider);
  const notLive = others.filter((entry) => entry.status !== 'live').map((entry) => `${entry.provider} (${entry.status})`);
  const first = requested
    ? `${requested} does not serve ${model} for text-to-video.`
    : `No Inference Provider serves ${model} for text-to-video right now.`;
  const hints: string[] = [];
  if (live.length) hints.push(`It is served by ${live.join(', ')}.`);
  if (notLive.length) hints.push(`Not live: ${notLive.join(', ')}.`);
  const models = suggestions.filter((id) => id !== model);
  if (!live.length && models.length) hints.push(`Models that are served: ${models.join(', ')}.`);
  return new HfVideoError('noProvider', [first, ...hints].join(' '), {
    nextStep: live.length
      ? { action: 'openSettings', label: 'Choose Provider', setting: 'hfVideo.provider' }
      : { action: 'openSettings', label: 'Choose Model', setting: 'hfVideo.model' },
  });
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
