import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadVideo, type DownloadOptions, type DownloadedVideo } from './download';
import { HfVideoError, abortReason } from './errors';
import type { Headers, HttpClient } from './http';
import { HubClient, chooseProvider, trimSlash, type ResolvedProvider } from './hub';
import { PROVIDER_ADAPTERS } from './providers';
import { sleep } from './sleep';
import type { ProviderAdapter, ProviderCall } from './providers/provider';
import type { GenerationRequest, ProgressListener, ProviderName, VideoParameters } from './types';

/** Where requests go and how they behave; read from settings by the VS Code layer. */
export interface ClientSettings {
  routerUrl: string;
  hubUrl: string;
  /** Organisation or resource group billed for routed requests. */
  billTo?: string;
  useCache?: boolean;
  waitForModel?: boolean;
  /** The whole job, from submit to the last byte of the video. */
  timeoutMinutes: number;
  pollIntervalMs?: number;
  /** Provider hosts for direct mode; defaults to each provider's real API. */
  directBaseUrls?: Partial<Record<ProviderName, string>>;
}

export interface Credentials {
  /** A Hugging Face token: requests go through the router. */
  hfToken?: string;
  /** A provider's own key: requests for that provider go straight to it. */
  providerKeys?: Partial<Record<ProviderName, string>>;
}

export interface RunOptions {
  signal: AbortSignal;
  onProgress: ProgressListener;
  /** Folder the finished video is written to. */
  outputDir: string;
  log?: (line: string) => void;
}

export interface GenerationResult {
  file: string;
  bytes: number;
  prompt: string;
  model: string;
  provider: ProviderName;
  providerId: string;
  routed: boolean;
  parameters: VideoParameters;
  extra: Record<string, unknown>;
  requestId?: string;
  seed?: number;
  warning?: string;
  timings: { startedAt: string; generateMs: number; downloadMs: number; totalMs: number };
}

/**
 * The video was made (and paid for) but could not be downloaded: `downloadAgain` fetches it again
 * from the provider's CDN without starting a new job.
 */
export class DownloadFailedError extends HfVideoError {
  constructor(
    failure: HfVideoError,
    readonly downloadAgain: (run: Pick<RunOptions, 'signal' | 'onProgress'>) => Promise<GenerationResult>,
  ) {
    super(failure.kind, `${failure.userMessage} The video is ready at the provider: you can download it again without a new job.`, {
      cause: failure,
      nextStep: { action: 'downloadAgain', label: 'Download Again' },
    });
  }
}

export const MAX_PROMPT_LENGTH = 10_000;
const DOWNLOAD_RETRIES = 2;

/** Runs a whole generation: pick the provider, submit, follow the job, download the video. */
export class VideoClient {
  private readonly hub: HubClient;

  constructor(
    private readonly http: HttpClient,
    private readonly options: { downloadRetryDelayMs?: number } = {},
  ) {
    this.hub = new HubClient(http);
  }

  async generate(request: GenerationRequest, settings: ClientSettings, credentials: Credentials, options: RunOptions): Promise<GenerationResult> {
    const prompt = validatePrompt(request.prompt);
    const log = options.log ?? (() => undefined);
    const started = Date.now();
    const deadline = new AbortController();
    const timeoutMs = settings.timeoutMinutes * 60_000;
    const timer = setTimeout(
      () => deadline.abort(new HfVideoError('timeout', `The generation did not finish within ${settings.timeoutMinutes} minutes, so it was stopped.`, {
        nextStep: { action: 'openSettings', label: 'Change Timeout', setting: 'hfVideo.timeoutMinutes' },
      })),
      timeoutMs,
    );
    const signal = AbortSignal.any([options.signal, deadline.signal]);
    try {
      options.onProgress({ phase: 'resolving', model: request.model });
      const resolved = await this.resolve(request, settings, credentials, signal);
      if (resolved.warning) log(`Warning: ${resolved.warning}`);
      const adapter = PROVIDER_ADAPTERS[resolved.provider];
      const call = this.callFor(adapter, settings, credentials, { signal, report: options.onProgress, log });
      log(`Submitting to ${resolved.provider} (${resolved.entry.providerId}) ${call.routed ? 'through the router' : 'directly'} at ${new URL(call.baseUrl).host}`);

      const output = await adapter.run(call, {
        providerId: resolved.entry.providerId,
        hfModelId: request.model,
        prompt,
        parameters: request.parameters,
        extra: request.extra,
        lora: resolved.entry.adapter === 'lora' && resolved.entry.adapterWeightsPath ? { weightsPath: resolved.entry.adapterWeightsPath } : undefined,
      });
      const generated = Date.now();
      log(`The provider finished after ${((generated - started) / 1000).toFixed(1)} s; downloading from ${new URL(output.videoUrl).host}`);

      // Everything after this point can be repeated without paying again: the video exists at the provider.
      const fetchVideo = async (run: Pick<RunOptions, 'signal' | 'onProgress'>): Promise<GenerationResult> => {
        const downloadStarted = Date.now();
        await mkdir(options.outputDir, { recursive: true });
        const stem = join(options.outputDir, `${fileStamp(new Date(started))}-${randomBytes(3).toString('hex')}`);
        const video = await this.download(output.videoUrl, stem, { signal: run.signal, report: run.onProgress, service: `the ${resolved.provider} CDN` }, log);
        const finished = Date.now();
        run.onProgress({ phase: 'done', file: video.file });
        return {
          file: video.file,
          bytes: video.bytes,
          prompt,
          model: request.model,
          provider: resolved.provider,
          providerId: resolved.entry.providerId,
          routed: call.routed,
          parameters: request.parameters,
          extra: request.extra,
          requestId: output.requestId,
          seed: output.seed ?? request.parameters.seed,
          warning: resolved.warning,
          timings: {
            startedAt: new Date(started).toISOString(),
            generateMs: generated - started,
            downloadMs: finished - downloadStarted,
            totalMs: finished - started,
          },
        };
      };
      const fetchOrOfferAgain = async (run: Pick<RunOptions, 'signal' | 'onProgress'>): Promise<GenerationResult> => {
        try {
          return await fetchVideo(run);
        } catch (error) {
          if (run.signal.aborted || !(error instanceof HfVideoError) || error.kind !== 'network') throw error;
          throw new DownloadFailedError(error, fetchOrOfferAgain);
        }
      };
      return await fetchOrOfferAgain({ signal, onProgress: options.onProgress });
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The video is already paid for when the download starts, so a broken connection is tried again
   * (a few times, from the start) before the user is told.
   */
  private async download(url: string, stem: string, options: DownloadOptions, log: (line: string) => void): Promise<DownloadedVideo> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await downloadVideo(this.http, url, stem, options);
      } catch (error) {
        const retry = error instanceof HfVideoError && error.kind === 'network' && attempt <= DOWNLOAD_RETRIES && !options.signal.aborted;
        if (!retry) throw error;
        log(`${error.userMessage} Downloading again (attempt ${attempt + 1} of ${DOWNLOAD_RETRIES + 1}).`);
        await sleep((this.options.downloadRetryDelayMs ?? 500) * attempt, options.signal);
      }
    }
  }

  private async resolve(request: GenerationRequest, settings: ClientSettings, credentials: Credentials, signal: AbortSignal): Promise<ResolvedProvider> {
    const entries = await this.hub.providerMapping(settings.hubUrl, request.model, credentials.hfToken, signal);
    try {
      return chooseProvider(request.model, request.provider, entries);
    } catch (error) {
      if (!(error instanceof HfVideoError) || error.kind !== 'noProvider') throw error;
      // Only when nothing serves the model is it worth asking the Hub what else would.
      const suggestions = await this.hub.servedModels(settings.hubUrl, signal);
      return chooseProvider(request.model, request.provider, entries, suggestions);
    }
  }

  private callFor(adapter: ProviderAdapter, settings: ClientSettings, credentials: Credentials, rest: Pick<ProviderCall, 'signal' | 'report' | 'log'>): ProviderCall {
    const providerKey = credentials.providerKeys?.[adapter.name];
    const routed = !providerKey;
    const key = providerKey ?? credentials.hfToken;
    if (!key) {
      throw new HfVideoError('auth', 'A Hugging Face access token is needed to generate videos.', {
        nextStep: { action: 'setToken', label: 'Set Access Token' },
      });
    }
    const headers: Headers = { authorization: adapter.authorization(key, routed) };
    if (routed) {
      // Hugging Face's own headers mean nothing to a provider's host, so they go to the router only.
      if (settings.billTo) headers['x-hf-bill-to'] = settings.billTo;
      headers['x-use-cache'] = String(settings.useCache ?? true);
      headers['x-wait-for-model'] = String(settings.waitForModel ?? false);
    }
    return {
      ...rest,
      provider: adapter.name,
      http: this.http,
      routed,
      baseUrl: routed ? `${trimSlash(settings.routerUrl)}/${adapter.name}` : trimSlash(settings.directBaseUrls?.[adapter.name] ?? adapter.directBaseUrl),
      headers,
      pollIntervalMs: settings.pollIntervalMs ?? 1000,
    };
  }
}

export function validatePrompt(prompt: string): string {
  const trimmed = prompt.trim();
  if (!trimmed) {
    throw new HfVideoError('invalidInput', 'The prompt is empty: select some text that describes the video first.');
  }
  if (trimmed.length > MAX_PROMPT_LENGTH) {
    throw new HfVideoError('invalidInput', `The prompt is ${trimmed.length.toLocaleString('en-US')} characters long; the limit is ${MAX_PROMPT_LENGTH.toLocaleString('en-US')}. Select a shorter text.`);
  }
  return trimmed;
}

function fileStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-');
}
