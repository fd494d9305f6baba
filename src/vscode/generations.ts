import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { cancelledError, HfVideoError } from '../core/errors';
import type { JobQueue } from '../core/jobs/queue';
import { randomSeed, type JobRecord, type JobRequest, type PromptSource } from '../core/jobs/record';
import { describeForLog, formatBytes, formatElapsed, oneLine } from '../core/progressText';
import { resolveRequest, type RequestLayer } from '../core/requestLayers';
import { validatePrompt } from '../core/prompt';
import type { CompareManager } from '../panel/compareManager';
import type { PlayerManager } from '../panel/playerManager';
import type { Log } from './log';
import { followBatchProgress, followJobProgress } from './jobProgress';
import { problemsError, readJobSettings, settingsLayers } from './settings';
import { showError } from './showError';
import type { TokenStore } from './tokenStore';
import type { VideoLibrary } from './videoLibrary';

/** The buttons of the "Your video is ready" message. */
const SHOW = vscode.l10n.t('Show');
const SAVE = vscode.l10n.t('Save');

/** How a job came to this window, which decides what the user is shown when it ends. */
type Origin = 'command' | 'resumed';

/**
 * Generations from the user's point of view: a request checked before anything is paid, a job in the
 * queue with its own progress and Cancel, the player when it is ready, and a clear message with the
 * next step when it fails. Jobs resumed after a reload get the same treatment.
 */
export class Generations {
  constructor(
    private readonly queue: JobQueue,
    private readonly tokens: TokenStore,
    private readonly log: Log,
    private readonly player: PlayerManager,
    private readonly library: VideoLibrary,
    private readonly compare: Pick<CompareManager, 'show'>,
  ) {
    // One log for every job, whichever window or command started it.
    queue.onDidChange((event) => {
      const line = event.type === 'progress' && event.event.phase !== 'downloading' ? describeForLog(event.event) : undefined;
      if (line) log.info(line);
    });
  }

  /**
   * Starts a generation from a prompt and what applies to `source` (settings, the preset, and any
   * layers of a prompt file); resolves when it has ended (undefined when nothing was started: bad
   * input, or the user backed out).
   */
  async generate(prompt: string, source?: PromptOrigin, options: GenerateOptions = {}): Promise<JobRecord | undefined> {
    const [record] = await this.generateAll([{ prompt, options }], source);
    return record;
  }

  /**
   * Starts several generations (the shots of a prompt file) as jobs in the queue. Every request is
   * checked first: one mistake anywhere and nothing is sent. One notification follows them all.
   */
  async generateAll(items: ReadonlyArray<{ prompt: string; options?: GenerateOptions }>, source?: PromptOrigin, title?: string): Promise<JobRecord[]> {
    let requests: JobRequest[];
    try {
      // Checked before asking for a token, so a bad prompt or setting costs the user nothing.
      requests = items.map(({ prompt, options }) => prepareRequest(prompt, source, options));
    } catch (error) {
      void showError(error, this.log);
      return [];
    }
    if (!requests.length || !(await this.tokens.credentials(requests[0].provider))) return [];
    if (requests.length === 1) {
      const record = await this.run(requests[0]);
      return record ? [record] : [];
    }
    const records = await Promise.all(requests.map((request) => this.queue.enqueue(request)));
    this.log.info(`Queued ${records.length} videos${title ? ` from ${title}` : ''}`);
    // Variations are compared side by side from the start: the grid fills in as they finish.
    const variationGroup = records[0].request.variationGroup;
    if (variationGroup) this.compare.show(variationGroup, { preserveFocus: true });
    const closes = this.player.closeCount();
    const settled = await followBatchProgress(this.queue, records.map((record) => record.id), title ? vscode.l10n.t('Generating {0} videos from {1}', records.length, title) : vscode.l10n.t('Generating {0} videos', records.length));
    const done = settled.filter((record) => record.state === 'done');
    for (const record of settled) if (record.state === 'failed') void this.failed(record);
    for (const record of done) await this.autoSave(record);
    if (done.length) {
      if (!variationGroup && this.player.closeCount() === closes) this.player.show(done[0].id, { preserveFocus: true });
      const ready = title
        ? vscode.l10n.t('{0} of {1} videos are ready from {2}; they are in Generated Videos.', done.length, records.length, title)
        : vscode.l10n.t('{0} of {1} videos are ready; they are in Generated Videos.', done.length, records.length);
      void vscode.window.showInformationMessage(ready, vscode.l10n.t('Show Generated Videos')).then((choice) => {
        if (choice) void vscode.commands.executeCommand('hfVideo.history.focus');
      });
    }
    return settled;
  }

  /**
   * One prompt made several ways at once (seeds, models, providers, presets): each variation is a job in
   * the queue, all of them in one group. Variations that do not vary the seed share one, so only what
   * varies differs.
   */
  async generateVariations(prompt: string, source: PromptOrigin | undefined, base: GenerateOptions, variations: readonly Variation[]): Promise<JobRecord[]> {
    const variationGroup = randomUUID();
    const sharedSeed = randomSeed();
    const items = variations.map(({ label, preset, values }) => ({
      prompt,
      options: { ...base, preset: preset ?? base.preset, layers: [...(base.layers ?? []), { origin: { kind: 'run' as const }, values }], variation: { group: variationGroup, label }, fallbackSeed: sharedSeed },
    }));
    return this.generateAll(items, source, `"${oneLine(prompt, 30)}"`);
  }

  /**
   * One generation for a caller that is not a person at a command (the language model tool): checked as
   * the commands check it, cancelled with `token`, and saved into the workspace with its sidecar.
   * Throws what went wrong; the record and the saved video's path when it worked.
   */
  async generateAndSave(prompt: string, options: GenerateOptions, token: vscode.CancellationToken): Promise<{ record: JobRecord; saved: string }> {
    const request = prepareToolRequest(prompt, options);
    if (!(await this.tokens.credentials(request.provider))) {
      throw new HfVideoError('auth', vscode.l10n.t('A Hugging Face access token is needed to generate videos.'), { nextStep: { action: 'setToken', label: vscode.l10n.t('Set Access Token') } });
    }
    if (token.isCancellationRequested) throw cancelledError();
    const queued = await this.queue.enqueue(request);
    const cancel = token.onCancellationRequested(() => void this.queue.cancel(queued.id));
    try {
      const record = await followJobProgress(this.queue, queued.id, vscode.l10n.t('Generating video with {0}', request.model));
      if (record.state === 'cancelled') throw cancelledError();
      if (record.state !== 'done') throw new HfVideoError(record.failure?.kind ?? 'network', record.failure?.message ?? vscode.l10n.t('The generation did not finish.'), { nextStep: record.failure?.nextStep });
      const saved = await this.library.save(record.id);
      if (!saved) throw new HfVideoError('invalidInput', vscode.l10n.t('The video was made but not saved.'));
      return { record: this.queue.get(record.id) ?? record, saved };
    } finally {
      cancel.dispose();
    }
  }

  /** The same request again: `sameSeed` reproduces the video, otherwise a new random seed varies it. */
  async regenerate(record: Pick<JobRecord, 'request' | 'seed'> & { id?: string }, sameSeed: boolean): Promise<JobRecord | undefined> {
    const seed = sameSeed ? (record.seed ?? record.request.parameters.seed) : randomSeed();
    // A job made again on its own is no longer one of a group's variations.
    const { variationGroup: _group, variationLabel: _label, ...request } = record.request;
    return this.run({
      ...request,
      parameters: { ...request.parameters, seed },
      source: { kind: 'regenerate', jobId: record.id || undefined, uri: record.request.source?.uri },
    });
  }

  /** Takes over the jobs a closed window left unfinished and tells the user. */
  async resume(): Promise<void> {
    const { resumed } = await this.queue.resume();
    if (!resumed.length) return;
    this.log.info(`Resuming ${resumed.length} generation(s) left unfinished when the window closed.`);
    void vscode.window.showInformationMessage(
      resumed.length === 1 ? vscode.l10n.t('Resumed an unfinished video generation.') : vscode.l10n.t('Resumed {0} unfinished video generations.', resumed.length),
    );
    for (const record of resumed) void this.follow(record.id, 'resumed');
  }

  /** Fetches a finished video again after its download failed, without a new job. */
  async downloadAgain(id: string): Promise<JobRecord | undefined> {
    const closes = this.player.closeCount();
    try {
      await this.queue.queueDownloadAgain(id);
      return await this.settled(await followJobProgress(this.queue, id, vscode.l10n.t('Downloading the video again')), 'command', closes);
    } catch (error) {
      void showError(error, this.log);
      return undefined;
    }
  }

  /**
   * Queues a checked request without following it (the studio shows its progress itself); undefined
   * when the user has no credentials and did not give them.
   */
  async queueRequest(request: JobRequest): Promise<JobRecord | undefined> {
    if (!(await this.tokens.credentials(request.provider))) return undefined;
    const record = await this.queue.enqueue(request);
    this.log.info(`Queued a video with ${request.model} (provider ${request.provider}, seed ${record.seed}) from a ${request.prompt.length}-character prompt`);
    return record;
  }

  private async run(request: JobRequest): Promise<JobRecord | undefined> {
    const record = await this.queueRequest(request);
    return record && this.follow(record.id, 'command');
  }

  private async follow(id: string, origin: Origin): Promise<JobRecord> {
    const closes = this.player.closeCount();
    const record = await followJobProgress(this.queue, id, vscode.l10n.t('Generating video with {0}', this.queue.get(id)?.request.model ?? 'Hugging Face'));
    return this.settled(record, origin, closes);
  }

  private async settled(record: JobRecord, origin: Origin, closesAtStart: number): Promise<JobRecord> {
    switch (record.state) {
      case 'done':
        await this.finished(record, origin, closesAtStart);
        break;
      case 'failed':
        void this.failed(record);
        break;
      case 'cancelled':
        this.log.info('Cancelled; nothing was kept.');
        break;
      default:
        break; // suspended: the next window takes it over
    }
    return this.queue.get(record.id) ?? record;
  }

  /** Saves a finished video at once when its prompt file or the settings ask for it. */
  async autoSave(record: JobRecord): Promise<void> {
    if (!(record.request.autoSave ?? readJobSettings(sourceUri(record)).autoSave)) return;
    await this.library.save(record.id).catch((error: unknown) => showError(error, this.log));
  }

  private async finished(record: JobRecord, origin: Origin, closesAtStart: number): Promise<void> {
    this.log.info(`Finished: ${formatBytes(record.bytes ?? 0)} from ${record.provider}${record.timings.finishedAt ? ` after ${formatElapsed(Date.parse(record.timings.finishedAt) - Date.parse(record.timings.createdAt))}` : ''}`);
    if (record.warning) void vscode.window.showWarningMessage(record.warning);
    await this.autoSave(record);
    // The player opens by itself only for a job started here while the user kept the player.
    if (origin === 'command' && this.player.closeCount() === closesAtStart) {
      this.player.show(record.id, { preserveFocus: true });
      return;
    }
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Your video is ready: "{0}".', oneLine(record.request.prompt, 60)), SHOW, SAVE);
    if (choice === SHOW) this.player.show(record.id);
    if (choice === SAVE) await this.library.save(record.id).catch((error: unknown) => showError(error, this.log));
  }

  /** Says why a job failed and offers its fix (set the token, retry, download again…), as every failed job gets. */
  async failed(record: JobRecord): Promise<void> {
    const failure = record.failure!;
    const action = await showError(new HfVideoError(failure.kind, failure.message, { nextStep: failure.nextStep }), this.log);
    if (action === 'setToken' && (await this.tokens.ask())) await this.regenerate(record, true);
    else if (action === 'setProviderKey') await vscode.commands.executeCommand('hfVideo.setProviderKey', record.provider);
    else if (action === 'retry') await this.regenerate(record, true);
    else if (action === 'downloadAgain') await this.downloadAgain(record.id);
  }
}

/** Where a prompt came from: its document decides which settings apply. */
export interface PromptOrigin {
  uri?: vscode.Uri;
  kind: PromptSource['kind'];
}

/** What a prompt file, a shot or the user adds on top of the settings for one generation. */
export interface GenerateOptions {
  /** The preset to start from, instead of hfVideo.defaultPreset. */
  preset?: string;
  /** Front matter, then the shot's block, then what the user picked for this run. */
  layers?: RequestLayer[];
  shot?: { name?: string; index: number };
  autoSave?: boolean;
  /** The variation group this generation belongs to, and what sets it apart. */
  variation?: { group: string; label: string };
  /** The seed when no layer sets one. */
  fallbackSeed?: number;
}

/** One variation of a prompt: what it changes for this run (as a run layer), or the preset it starts from. */
export interface Variation {
  label: string;
  preset?: string;
  values: RequestLayer['values'];
}

/**
 * The request of a tool's generation, checked as a command's is. The tool saves into the workspace, so
 * one must be open: told before the user is asked to consent, like every other mistake here.
 */
export function prepareToolRequest(prompt: string, options: GenerateOptions): JobRequest {
  const request = prepareRequest(typeof prompt === 'string' ? prompt : '', { kind: 'tool' }, options);
  if (!vscode.workspace.workspaceFolders?.some((folder) => folder.uri.scheme === 'file')) {
    throw new HfVideoError('invalidInput', vscode.l10n.t('Open a folder first: the generated video is saved into the workspace.'));
  }
  return request;
}

/** The job request for a prompt: every layer merged and checked, or an error naming where a value was written. */
export function prepareRequest(prompt: string, source: PromptOrigin | undefined, options: GenerateOptions = {}): JobRequest {
  const layers = [...settingsLayers(source?.uri, options.preset), ...(options.layers ?? [])];
  const resolution = resolveRequest(layers);
  if (!resolution.ok) throw problemsError(resolution.problems);
  const resolved = resolution.request;
  const seed = resolved.parameters.seed ?? options.fallbackSeed;
  // Where to save is kept with the job only when a preset or prompt file chose it; the settings are read when saving.
  const chosen = (field: 'outputFolder' | 'fileNameTemplate') => (layers.slice(1).some((layer) => layer.values[field] != null) ? resolved[field] : undefined);
  return {
    prompt: validatePrompt(prompt),
    model: resolved.model,
    provider: resolved.provider,
    parameters: seed === undefined ? resolved.parameters : { ...resolved.parameters, seed },
    extra: resolved.extra,
    preset: resolved.preset,
    outputFolder: chosen('outputFolder'),
    fileNameTemplate: chosen('fileNameTemplate'),
    autoSave: options.autoSave,
    shot: options.shot,
    variationGroup: options.variation?.group,
    variationLabel: options.variation?.label,
    source: source && { kind: source.kind, uri: source.uri?.toString() },
  };
}

export function sourceUri(record: JobRecord): vscode.Uri | undefined {
  const uri = record.request.source?.uri;
  return uri ? vscode.Uri.parse(uri) : undefined;
}

