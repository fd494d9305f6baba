import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RETRYABLE_DOWNLOAD_STATUS, checkVideoUrl, discardPartial, downloadVideo, type DownloadOptions, type PartialDownload, type DownloadedVideo } from './download';
import { cancelledError, HfVideoError } from './errors';
import type { Headers, HttpClient } from './http';
import { HubClient, chooseProvider, trimSlash, type ResolvedProvider } from './hub';
import { validatePrompt } from './prompt';
import { FollowDurations, pollBounds } from './pollSchedule';
import { PROVIDER_ADAPTERS } from './providers';
import { sleep } from './sleep';
import type { ProviderAdapter, ProviderCall, ProviderHandle, ProviderOutput } from './providers/provider';
import type { GenerationRequest, ProgressListener, ProviderName } from './types';

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
  /** The usual wait between status requests (default 1 s); see pollSchedule for how it adapts. */
  pollIntervalMs?: number;
  /** The largest video downloaded (hfVideo.maxDownloadMB); default 2 GiB. */
  maxDownloadBytes?: number;
  /** Provider hosts for direct mode; defaults to each provider's real API. */
  directBaseUrls?: Partial<Record<ProviderName, string>>;
}

export interface Credentials {
  /** A Hugging Face token: requests go through the router. */
  hfToken?: string;
  /** A provider's own key: requests for that provider go straight to it. */
  providerKeys?: Partial<Record<ProviderName, string>>;
}

/** What every phase of a job gets: its signal, where progress goes, and the log. */
export interface PhaseContext {
  signal: AbortSignal;
  onProgress: ProgressListener;
  log: (line: string) => void;
}

export interface Submission {
  /** Through the router with the HF token, or straight to the provider with its own key. */
  routed: boolean;
  handle: ProviderHandle;
  /** The model on the provider's side; jobs of the same one are expected to take as long. */
  providerId?: string;
}

const DOWNLOAD_RETRIES = 2;

/**
 * The phases of a generation — choose the provider, submit, follow, download — each usable on its
 * own, so a job stored between phases goes on from where it stopped (jobs/runner.ts strings them).
 */
export class VideoClient {
  private readonly hub: HubClient;
  private readonly durations = new FollowDurations();

  constructor(
    private readonly http: HttpClient,
    private readonly options: { downloadRetryDelayMs?: number } = {},
  ) {
    this.hub = new HubClient(http);
  }

  /** Which provider runs the model: the one named, or for `auto` the first live one in the user's order. */
  async resolve(request: GenerationRequest, settings: ClientSettings, credentials: Credentials, signal: AbortSignal): Promise<ResolvedProvider> {
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

  /** Starts the paid job. Never repeated by the client: the handle it returns must be stored at once. */
  async submit(request: GenerationRequest, resolved: ResolvedProvider, settings: ClientSettings, credentials: Credentials, context: PhaseContext): Promise<Submission> {
    const prompt = validatePrompt(request.prompt);
    const adapter = PROVIDER_ADAPTERS[resolved.provider];
    const call = this.callFor(adapter, settings, credentials, context);
    context.log(`Submitting to ${resolved.provider} (${resolved.entry.providerId}) ${call.routed ? 'through the router' : 'directly'} at ${new URL(call.baseUrl).host}`);
    const handle = await adapter.submit(call, {
      providerId: resolved.entry.providerId,
      hfModelId: request.model,
      prompt,
      parameters: request.parameters,
      extra: request.extra,
      lora: resolved.entry.adapter === 'lora' && resolved.entry.adapterWeightsPath ? { weightsPath: resolved.entry.adapterWeightsPath } : undefined,
    });
    context.onProgress({ phase: 'submitted', provider: resolved.provider, providerId: resolved.entry.providerId, requestId: handle.requestId });
    return { routed: call.routed, handle, providerId: resolved.entry.providerId };
  }

  /** Follows a submitted job (again, after a reload) with the same kind of credentials it was submitted with. */
  async follow(provider: ProviderName, submission: Submission, settings: ClientSettings, credentials: Credentials, context: PhaseContext): Promise<ProviderOutput> {
    const adapter = PROVIDER_ADAPTERS[provider];
    const output = submission.handle.output ?? (await this.followAtProvider(adapter, submission, this.callFor(adapter, settings, credentials, context, submission.routed)));
    // Refused before the job stores it, so a job with an unusable address never offers to download it again.
    checkVideoUrl(output.videoUrl, provider);
    return output;
  }

  /** Follows the job with the time the model's last job took in mind, and remembers when this one ended. */
  private followAtProvider(adapter: ProviderAdapter, submission: Submission, call: ProviderCall): Promise<ProviderOutput> {
    const model = submission.providerId && `${adapter.name} ${submission.providerId}`;
    if (!model) return adapter.follow(call, submission.handle);
    return adapter.follow({ ...call, expectedMs: this.durations.expected(model), onEnded: (ms) => this.durations.remember(model, ms) }, submission.handle);
  }

  /**
   * Stops a submitted job at the provider where its API allows it (one cancelled while its submit was on
   * the way). Following it with a cancelled signal sends the same cancel a running job gets.
   */
  async stop(provider: ProviderName, submission: Submission, settings: ClientSettings, credentials: Credentials, log: (line: string) => void): Promise<void> {
    const cancelled = new AbortController();
    cancelled.abort(cancelledError());
    await this.follow(provider, submission, settings, credentials, { signal: cancelled.signal, onProgress: () => undefined, log }).catch(() => undefined);
  }

  /**
   * Downloads the finished video to `${stem}.mp4` (or `.webm`). It is already paid for, so a broken
   * connection or a busy CDN (408, 429, 5xx) is tried again (a few times) before the user is told: from where it
   * broke off when the CDN serves byte ranges, otherwise from the start.
   */
  async download(videoUrl: string, stem: string, provider: ProviderName, context: PhaseContext, maxBytes?: number): Promise<DownloadedVideo> {
    const service = `the ${provider} CDN`;
    // Checked before anything else: a file: or plain-http address is never fetched.
    const { host } = checkVideoUrl(videoUrl, service);
    await mkdir(dirname(stem), { recursive: true });
    // What a broken attempt received stays on disk; the next one asks for the rest when the CDN serves ranges.
    const partial: PartialDownload = {};
    const options: DownloadOptions = { signal: context.signal, report: context.onProgress, service, maxBytes, partial };
    context.log(`Downloading the video from ${host}`);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await downloadVideo(this.http, videoUrl, stem, options);
        } catch (error) {
          const delayMs = this.downloadRetryDelay(error, attempt);
          if (delayMs === undefined || context.signal.aborted) throw error;
          const resume = partial.kept ? ` from byte ${partial.kept.received}` : '';
          context.log(`${(error as HfVideoError).userMessage} Downloading again${resume} (attempt ${attempt + 1} of ${DOWNLOAD_RETRIES + 1}).`);
          await sleep(delayMs, context.signal);
        }
      }
    } finally {
      await discardPartial(partial);
    }
  }

  /** How long to wait before downloading again, or undefined when this failure is not worth another try. */
  private downloadRetryDelay(error: unknown, attempt: number): number | undefined {
    if (!(error instanceof HfVideoError) || attempt > DOWNLOAD_RETRIES) return undefined;
    const busy = error.status !== undefined && RETRYABLE_DOWNLOAD_STATUS.has(error.status);
    if (error.kind !== 'network' && !busy) return undefined;
    if (error.retryAfter === undefined) return (this.options.downloadRetryDelayMs ?? 500) * attempt;
    return error.retryAfter <= this.http.maxRetryAfterSeconds ? error.retryAfter * 1000 : undefined;
  }

  /**
   * The call for one provider: its own key when the user stored one (or when the job was submitted
   * with it), otherwise the HF token through the router.
   */
  private callFor(adapter: ProviderAdapter, settings: ClientSettings, credentials: Credentials, context: PhaseContext, routedJob?: boolean): ProviderCall {
    const providerKey = credentials.providerKeys?.[adapter.name];
    const routed = routedJob ?? !providerKey;
    const key = routed ? credentials.hfToken : providerKey;
    if (!key) {
      throw routed
        ? new HfVideoError('auth', 'A Hugging Face access token is needed to generate videos.', { nextStep: { action: 'setToken', label: 'Set Access Token' } })
        : new HfVideoError('auth', `This job was started with your own ${adapter.name} key, which is no longer stored.`, {
            nextStep: { action: 'setProviderKey', label: 'Set Provider Key' },
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
      signal: context.signal,
      report: context.onProgress,
      log: context.log,
      provider: adapter.name,
      http: this.http,
      routed,
      baseUrl: routed ? `${trimSlash(settings.routerUrl)}/${adapter.name}` : trimSlash(settings.directBaseUrls?.[adapter.name] ?? adapter.directBaseUrl),
      headers,
      poll: pollBounds(settings.pollIntervalMs ?? 1000),
    };
  }
}
