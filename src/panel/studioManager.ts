import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { HfVideoError } from '../core/errors';
import { providerStates } from '../core/hub';
import { isModelId } from '../core/parameterTable';
import type { JobQueue } from '../core/jobs/queue';
import { isActive, randomSeed, videoOnDisk, type JobRequest } from '../core/jobs/record';
import { oneLine } from '../core/progressText';
import { resolveRequest } from '../core/requestLayers';
import type { Network } from '../onDemand';
import {
  isStudioWebviewMessage,
  isWebviewMessage,
  type HostMessage,
  type PlayerAction,
  type StudioForm,
  type StudioHostMessage,
  type StudioInit,
  type StudioJob,
  type StudioModel,
  type StudioResult,
  type StudioState,
  type StudioStrings,
} from '../shared/protocol';
import { asText, checkForm, emptyForm, formFromValues, formValues } from '../shared/studioForm';
import { prepareRequest, type Generations } from '../vscode/generations';
import { phaseText } from '../vscode/jobProgress';
import { onDemand } from '../vscode/onDemand';
import { shotSaveChoices } from '../vscode/commands/studioCommands';
import { readHubUrl, readJobSettings, settingsLayers } from '../vscode/settings';
import { askNewPreset, presetTarget, studioPresets, writePreset } from '../vscode/studioPresets';
import { STUDIO_VIEW_TYPE } from '../vscode/studio';
import { ACTION_COMMANDS, describeVideo } from './playerManager';
import { studioHtml } from './studioHtml';

/** What the studio needs of the extension. */
export interface StudioHost {
  queue: JobQueue;
  generations: Generations;
  /** The network code, loaded on first use. */
  network(): Network;
  /** Where the extension keeps downloaded videos (the page may play them). */
  videosDir: string;
  workspaceState: vscode.Memento;
}

/** Where the form's prompt came from: a selection or a prompt file (and shot), for "Insert into Prompt File". */
export interface StudioSource {
  uri: string;
  kind: 'selection' | 'file';
  /** Said above the form: "notes.video.md, shot "Dawn"". */
  label: string;
  /** The shot of a prompt file (its index): runs save as its "Generate" does, even after the prompt is edited here. */
  shot?: number;
}

/** What "Open in Video Studio" brings: a prompt, the values that apply to it, and where it came from. */
export interface StudioInput {
  prompt: string;
  values: Record<string, unknown>;
  preset: string;
  source?: StudioSource;
}

const STATE_KEY = 'hfVideo.studio';
/** The strip keeps this many earlier results. */
const MAX_RESULTS = 12;
/** Provider log lines kept for the page. */
const MAX_LOG_LINES = 200;

interface Remembered {
  form: StudioForm;
  source?: StudioSource;
  results: string[];
}

/**
 * The video studio: one panel with a form of every value a generation takes, its own job's progress
 * inline, and the results in the player's modules. Its form, source and results are kept in the
 * workspace state (nothing secret is in them), so a reload or a later panel starts where the user left.
 */
export class StudioManager implements vscode.WebviewPanelSerializer<StudioState>, vscode.Disposable {

  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private remembered: Remembered;
  private models: StudioModel[] = [];
  private job: StudioJob | undefined;
  private shownJobId: string | undefined;
  private readonly registrations: vscode.Disposable[];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: StudioHost,
  ) {
    const stored = host.workspaceState.get<Partial<Remembered>>(STATE_KEY);
    const storedForm = stored?.form && isStudioWebviewMessage({ type: 'formChanged', form: stored.form }) ? stored.form : undefined;
    this.remembered = { form: storedForm ?? emptyForm(), source: stored?.source, results: Array.isArray(stored?.results) ? stored.results.filter((id) => typeof id === 'string') : [] };
    this.registrations = [
      host.queue.onDidChange((event) => {
        const id = this.job?.id;
        if (!id || (event.type === 'changed' ? event.record.id : event.id) !== id) return;
        if (event.type === 'progress' && event.event.phase === 'running') this.job!.logs = [...this.job!.logs, ...event.event.logs].slice(-MAX_LOG_LINES);
        void this.jobChanged(id);
      }),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('hfVideo.presets') && void this.post({ type: 'studioPresets', presets: studioPresets(this.scope()) })),
    ];
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: StudioState | undefined): Promise<void> {
    const form = state?.form && isStudioWebviewMessage({ type: 'formChanged', form: state.form }) ? state.form : undefined;
    if (form) this.remembered.form = form;
    this.adopt(panel);
  }

  /** Opens the studio (or brings it forward); with an input, the form takes its prompt and values. */
  open(input?: StudioInput): void {
    if (input) this.remember({ form: formFromValues(input.values, input.prompt, input.preset), source: input.source });
    if (this.panel) {
      if (input) void this.init().then((init) => this.post({ type: 'studioInit', init }));
      this.panel.reveal();
      return;
    }
    this.adopt(vscode.window.createWebviewPanel(STUDIO_VIEW_TYPE, vscode.l10n.t('Video Studio'), vscode.ViewColumn.Beside, { enableScripts: true, enableForms: false, retainContextWhenHidden: true }));
  }

  dispose(): void {
    this.registrations.forEach((registration) => registration.dispose());
    this.panel?.dispose();
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    panel.webview.options = {
      enableScripts: true,
      enableForms: false,
      // The extension's assets, its downloaded videos, and the workspace where saved copies are.
      localResourceRoots: [
        ...['dist', 'media'].map((folder) => vscode.Uri.joinPath(this.extensionUri, folder)),
        vscode.Uri.file(this.host.videosDir),
        ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri),
      ],
    };
    const asset = (...path: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    panel.webview.html = studioHtml({ cspSource: panel.webview.cspSource, nonce: randomBytes(16).toString('base64'), asset });
    this.panelDisposables = [
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.panelDisposables.forEach((disposable) => disposable.dispose());
      }),
      panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
    ];
  }

  /** A message of the page (the extension's API passes its callers' here too); resolves once it is handled, a generation once queued. */
  async receive(raw: unknown): Promise<void> {
    // The page runs the player's modules too: their messages are about the result shown.
    if (isWebviewMessage(raw)) {
      // A page restored after a reload shows the latest result again.
      if (raw.type === 'ready') await this.showResult(this.shownJobId ?? this.remembered.results[0]);
      else if (raw.type === 'action') await this.runAction(raw.action);
      return;
    }
    if (!isStudioWebviewMessage(raw)) return;
    switch (raw.type) {
      case 'studioReady':
        await this.post({ type: 'studioInit', init: await this.init() });
        void this.loadModels();
        return;
      case 'formChanged':
        this.remember({ form: raw.form });
        return;
      case 'generate':
        this.remember({ form: raw.form });
        return this.generate(raw.form);
      case 'cancelJob':
        if (this.job?.state === 'active') await this.host.queue.cancel(this.job.id);
        return;
      case 'loadPreset': {
        const preset = studioPresets(this.scope()).find((candidate) => candidate.name === raw.name);
        const form = preset ? formFromValues(preset.values, this.remembered.form.prompt, preset.name) : { ...this.remembered.form, preset: '' };
        this.remember({ form });
        await this.post({ type: 'studioForm', form });
        return;
      }
      case 'savePreset':
        return this.savePreset(raw.form, 'new');
      case 'updatePreset':
        return this.savePreset(raw.form, 'update');
      case 'showResult':
        if (this.remembered.results.includes(raw.jobId)) await this.showResult(raw.jobId);
        return;
      case 'lookupModel':
        return this.lookupModel(raw.model);
      case 'copyPromptFile':
        await vscode.env.clipboard.writeText(onDemand().promptFileSnippet(snippetValues(raw.form), raw.form.prompt));
        await this.status(vscode.l10n.t('Copied the form as a prompt file (*.video.md).'));
        return;
      case 'insertIntoPromptFile':
        return this.insertShot(raw.form);
    }
  }

  private async init(): Promise<StudioInit> {
    const { form, source, results } = this.remembered;
    return {
      form,
      inherited: this.inherited(),
      presets: studioPresets(this.scope()),
      models: this.models,
      results: this.results(results),
      source: source?.label ?? '',
      saving: source?.kind === 'file' ? await this.savingText(source).catch(() => '') : '',
      canInsert: source?.kind === 'file',
      job: this.job,
      strings: studioStrings(),
    };
  }

  /** Where the shot's runs go, in plain words: the file's choices, else the settings'. */
  private async savingText(source: StudioSource): Promise<string> {
    const uri = vscode.Uri.parse(source.uri);
    const choices = await shotSaveChoices(uri, source.shot);
    const settings = readJobSettings(uri);
    const folder = choices.outputFolder ?? settings.outputFolder;
    const name = choices.fileNameTemplate ?? settings.fileNameTemplate;
    return (choices.autoSave ?? settings.autoSave)
      ? vscode.l10n.t('Saved automatically to {0} as {1}, as the prompt file says.', folder, name)
      : vscode.l10n.t('Save puts it in {0} as {1}, as the prompt file says.', folder, name);
  }

  /** What applies to an empty field: the settings' value (without any preset, as the studio's runs have none beneath the form). */
  private inherited(): Record<string, string> {
    const resolution = resolveRequest(settingsLayers(this.scope(), ''));
    if (!resolution.ok) return {};
    const { model, provider, parameters } = resolution.request;
    return Object.fromEntries(Object.entries({ model, provider, ...parameters }).map(([field, value]) => [field, asText(value)]));
  }

  /** Asks the Hub which text-to-video models providers serve; the form works without (any owner/name may be typed). */
  private async loadModels(): Promise<void> {
    if (this.models.length) return;
    try {
      this.models = await this.host.network().hub.textToVideoModels(readHubUrl(), AbortSignal.timeout(15_000));
      await this.post({ type: 'studioModels', models: this.models });
    } catch (error) {
      await this.status(vscode.l10n.t('Could not list the Hub’s models: {0}', errorText(error)), true);
    }
  }

  private async lookupModel(model: string): Promise<void> {
    // The id goes into a Hub URL: only an owner/name the table accepts.
    if (!isModelId(model)) return;
    try {
      const entries = await this.host.network().hub.providerMapping(readHubUrl(), model, undefined, AbortSignal.timeout(15_000));
      await this.post({ type: 'studioProviders', model, providers: providerStates(entries) });
    } catch (error) {
      await this.post({ type: 'studioProviders', model, providers: [] });
      await this.status(errorText(error), true);
    }
  }

  /** Checks the form as the commands check a request, then queues it: the job is followed here, not in a notification. */
  private async generate(form: StudioForm): Promise<void> {
    if (this.job?.state === 'active') return;
    const problem = checkForm(form)[0];
    if (problem) return this.status(problem.message, true);
    const values = formValues(form);
    if (form.seedMode === 'random') values.seed = randomSeed();
    const source = this.remembered.source;
    let request: JobRequest;
    try {
      // No preset beneath the form: the form shows every value the preset gave, and an emptied field means the settings' value.
      request = prepareRequest(form.prompt, { uri: source && vscode.Uri.parse(source.uri), kind: source?.kind ?? 'input' }, { preset: '', layers: [{ origin: { kind: 'run' }, values }] });
      // A prompt file's shot saves as its own "Generate" would, whatever the form now says.
      if (source?.kind === 'file') request = { ...request, ...(await shotSaveChoices(vscode.Uri.parse(source.uri), source.shot)) };
    } catch (error) {
      return this.status(errorText(error), true);
    }
    await this.start({ ...request, preset: form.preset || undefined });
  }

  private async start(request: JobRequest): Promise<void> {
    const record = await this.host.generations.queueRequest(request);
    if (!record) return;
    this.job = { id: record.id, state: 'active', phase: '', logs: [], startedAt: Date.now(), seed: record.seed };
    await this.jobChanged(record.id);
  }

  private async jobChanged(id: string): Promise<void> {
    const record = this.host.queue.get(id);
    if (!this.job || this.job.id !== id) return;
    const ahead = this.host.queue.waitingIds().indexOf(id);
    const state = !record ? 'cancelled' : isActive(record) ? 'active' : record.state === 'done' ? 'done' : record.state === 'failed' ? 'failed' : 'cancelled';
    const wasActive = this.job.state === 'active';
    this.job = { ...this.job, state, phase: phaseText(this.host.queue, id), ahead: ahead >= 0 ? ahead : undefined, failure: record?.failure?.message };
    await this.post({ type: 'studioJob', job: this.job });
    // The reason is said inline too; the notification carries the fix (a new token, a retry).
    if (wasActive && record?.state === 'failed') void this.host.generations.failed(record);
    if (wasActive && record?.state === 'done') {
      await this.host.generations.autoSave(record);
      this.remember({ results: [id, ...this.remembered.results.filter((other) => other !== id)].slice(0, MAX_RESULTS) });
      await this.post({ type: 'studioResults', results: this.results(this.remembered.results) });
      await this.showResult(id);
    }
  }

  private results(ids: readonly string[]): StudioResult[] {
    return ids.flatMap((jobId) => {
      const record = this.host.queue.get(jobId);
      return record && videoOnDisk(record) ? [{ jobId, label: `${oneLine(record.request.prompt, 40)} · ${record.request.model.split('/').pop()}`, seed: record.seed }] : [];
    });
  }

  private async showResult(jobId: string | undefined): Promise<void> {
    const record = jobId ? this.host.queue.get(jobId) : undefined;
    const file = record && videoOnDisk(record);
    if (!file || !this.panel) return;
    this.shownJobId = jobId;
    const video = await describeVideo(this.panel.webview, record, file).catch(() => undefined);
    if (video) await this.post({ type: 'show', video });
  }

  /** The player's buttons: Regenerate and Vary Seed run here, with their progress in the studio; the rest are the player's commands. */
  private async runAction(action: PlayerAction): Promise<void> {
    const record = this.shownJobId ? this.host.queue.get(this.shownJobId) : undefined;
    if (!record) return;
    if (action === 'regenerate' || action === 'varySeed') {
      if (this.job?.state === 'active') return;
      const seed = action === 'regenerate' ? record.seed : randomSeed();
      return this.start({ ...record.request, parameters: { ...record.request.parameters, seed }, source: { kind: 'regenerate', jobId: record.id, uri: record.request.source?.uri } });
    }
    if (action === 'openExternally') {
      const file = videoOnDisk(record);
      if (file) await vscode.env.openExternal(vscode.Uri.file(file));
      return;
    }
    const result: unknown = await vscode.commands.executeCommand(ACTION_COMMANDS[action], record.id);
    if ((action === 'save' || action === 'saveAs') && typeof result === 'string') {
      await this.post({ type: 'status', text: vscode.l10n.t('Saved to {0}', vscode.workspace.asRelativePath(result, false)) });
      await this.showResult(record.id);
    }
  }

  private async savePreset(form: StudioForm, how: 'new' | 'update'): Promise<void> {
    const problem = checkForm({ ...form, prompt: form.prompt || ' ' }).find((found) => found.field !== 'prompt');
    if (problem) return this.status(problem.message, true);
    const existing = how === 'update' && form.preset ? presetTarget(form.preset) : undefined;
    const chosen = existing ? { name: form.preset, target: existing } : await askNewPreset(form.preset);
    if (!chosen) return;
    await writePreset(chosen.name, formValues(form), chosen.target);
    const saved = { ...form, preset: chosen.name };
    this.remember({ form: saved });
    await this.post({ type: 'studioPresets', presets: studioPresets(this.scope()) });
    await this.post({ type: 'studioForm', form: saved });
    await this.status(chosen.target === 'user' ? vscode.l10n.t('Saved the preset "{0}" in your user settings.', chosen.name) : vscode.l10n.t('Saved the preset "{0}" in the workspace settings.', chosen.name));
  }

  /** Adds the form as a new shot at the end of the prompt file the prompt came from. */
  private async insertShot(form: StudioForm): Promise<void> {
    const source = this.remembered.source;
    if (source?.kind !== 'file') return;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(source.uri));
    const shots = onDemand().parsePromptFile(document.getText()).shots.length;
    const name = form.prompt.trim().split(/\s+/).slice(0, 4).join(' ') || vscode.l10n.t('Shot {0}', shots + 1);
    const end = document.lineAt(document.lineCount - 1).range.end;
    const gap = document.getText().endsWith('\n\n') ? '' : document.getText().endsWith('\n') ? '\n' : '\n\n';
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, end, `${gap}${onDemand().shotSnippet(name, snippetValues(form), form.prompt)}`);
    await vscode.workspace.applyEdit(edit);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false, selection: new vscode.Range(document.lineCount - 1, 0, document.lineCount - 1, 0) });
    await this.status(vscode.l10n.t('Added the shot "{0}" to {1}.', name, vscode.workspace.asRelativePath(document.uri, false)));
  }

  private remember(change: Partial<Remembered>): void {
    this.remembered = { ...this.remembered, ...change };
    void this.host.workspaceState.update(STATE_KEY, this.remembered);
  }

  /** Settings are read for the document the prompt came from, as the commands read them. */
  private scope(): vscode.Uri | undefined {
    return this.remembered.source && vscode.Uri.parse(this.remembered.source.uri);
  }

  private async status(text: string, error = false): Promise<void> {
    await this.post({ type: 'studioStatus', text, error });
  }

  private async post(message: StudioHostMessage | HostMessage): Promise<void> {
    if (this.panel) await this.panel.webview.postMessage(message);
  }
}

/** A prompt file's values for the form: its preset named, and the seed only when locked (formValues leaves it out otherwise). */
function snippetValues(form: StudioForm): Record<string, unknown> {
  return { ...(form.preset && { preset: form.preset }), ...formValues(form) };
}

function errorText(error: unknown): string {
  return error instanceof HfVideoError ? error.userMessage : error instanceof Error ? error.message : String(error);
}

function studioStrings(): StudioStrings {
  return {
    characters: vscode.l10n.t('{0} of {1} characters'),
    providerDefault: vscode.l10n.t('provider default'),
    fromSettings: vscode.l10n.t('{0} (settings)'),
    auto: vscode.l10n.t('auto (the first live provider)'),
    noPreset: vscode.l10n.t('No preset'),
    changed: vscode.l10n.t('changed from the preset'),
    ahead: vscode.l10n.t('{0} ahead in the queue'),
    elapsed: vscode.l10n.t('{0} elapsed'),
    remove: vscode.l10n.t('Remove'),
    key: vscode.l10n.t('Key'),
    value: vscode.l10n.t('Value'),
    seedOf: vscode.l10n.t('seed {0}'),
    invalidForm: vscode.l10n.t('Fix the marked fields first.'),
  };
}
