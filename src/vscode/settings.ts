import * as vscode from 'vscode';
import { HfVideoError, type NextStep } from '../core/errors';
import { FIELDS, checkField, fieldDefinition } from '../core/parameterTable';
import { presetLayer, presetNames } from '../core/presets';
import { resolveRequest, type LayerProblem, type RequestLayer, type ResolvedRequest } from '../core/requestLayers';
import { PROVIDERS, type ProviderName } from '../core/types';
import type { ClientSettings } from '../core/videoClient';

/** Every setting key in one place, so a rename cannot miss a caller. */
export const SETTINGS = {
  section: 'hfVideo',
  model: 'model',
  provider: 'provider',
  routerUrl: 'routerUrl',
  hubUrl: 'hubUrl',
  providerUrls: 'providerUrls',
  billTo: 'billTo',
  useCache: 'useCache',
  waitForModel: 'waitForModel',
  timeoutMinutes: 'timeoutMinutes',
  numFrames: 'numFrames',
  guidanceScale: 'guidanceScale',
  negativePrompt: 'negativePrompt',
  numInferenceSteps: 'numInferenceSteps',
  seed: 'seed',
  extraParameters: 'extraParameters',
  maxConcurrentJobs: 'maxConcurrentJobs',
  resultRetentionHours: 'resultRetentionHours',
  outputFolder: 'outputFolder',
  fileNameTemplate: 'fileNameTemplate',
  presets: 'presets',
  defaultPreset: 'defaultPreset',
  autoSave: 'autoSave',
  unsavedVideosLimitMB: 'unsavedVideosLimitMB',
  maxDownloadMB: 'maxDownloadMB',
} as const;

const DEFAULT_ROUTER = 'https://router.huggingface.co';
const DEFAULT_HUB = 'https://huggingface.co';

/** The request parts of a generation (settings with a preset applied) and the client's settings. */
export interface ResolvedSettings extends ResolvedRequest {
  client: ClientSettings;
}

/**
 * Reads and checks what a generation needs: the settings for `scope` with the preset applied (the
 * named one, else hfVideo.defaultPreset). A wrong value or an unknown preset throws a message that
 * names where the user wrote it, before any request is made.
 */
export function readSettings(scope?: vscode.Uri, options: { preset?: string } = {}): ResolvedSettings {
  const resolution = resolveRequest(settingsLayers(scope, options.preset));
  if (!resolution.ok) throw problemsError(resolution.problems);
  return { ...resolution.request, client: readClientSettings(scope) };
}

/**
 * The first layers of a request: the settings for `scope`, then the preset (`preset`, else
 * hfVideo.defaultPreset). Callers add front matter, shot and run layers and pass them all to
 * resolveRequest. Throws when the preset does not exist.
 */
export function settingsLayers(scope?: vscode.Uri, preset?: string): RequestLayer[] {
  const config = vscode.workspace.getConfiguration(SETTINGS.section, scope);
  const values = Object.fromEntries(FIELDS.filter((definition) => definition.settingKey).map((definition) => [definition.field, config.get(definition.settingKey!)]));
  const layers: RequestLayer[] = [{ origin: { kind: 'settings' }, values }];
  const name = preset ?? config.get<string>(SETTINGS.defaultPreset, '').trim();
  if (!name) return layers;
  const presets = config.get(SETTINGS.presets);
  const layer = presetLayer(presets, name);
  if (!layer) throw unknownPresetError(name, presetNames(presets), preset === undefined);
  return [...layers, layer];
}

/** One error for the problems of a request, each sentence naming where the user wrote the value. */
export function problemsError(problems: readonly LayerProblem[]): HfVideoError {
  const settingOf = (problem: LayerProblem) => problem.origin.kind === 'settings' ? settingName(problem.field) : problem.origin.kind === 'preset' ? `${SETTINGS.section}.${SETTINGS.presets}` : undefined;
  const setting = problems.map(settingOf).find(Boolean);
  return new HfVideoError('invalidInput', problems.map(describeProblem).join(' '), { nextStep: setting ? openSettingsJson(setting) : undefined });
}

function describeProblem(problem: LayerProblem): string {
  const [field, extraKey] = splitField(problem.field);
  const key = `${field}${extraKey ? `.${extraKey}` : ''}`;
  const origin = problem.origin;
  switch (origin.kind) {
    case 'settings':
      return `The setting ${settingName(field)}${extraKey ? ` key ${extraKey}` : ''} ${problem.problem}.`;
    case 'preset':
      return `The preset "${origin.name}" (${SETTINGS.section}.${SETTINGS.presets})${field ? ` key ${key}` : ''} ${problem.problem}.`;
    case 'frontMatter':
      return `In ${origin.file}, the front matter key ${key} ${problem.problem}.`;
    case 'shot':
      return `In ${origin.file}, shot "${origin.shot}" key ${key} ${problem.problem}.`;
    case 'run':
      return `The ${key} chosen for this run ${problem.problem}.`;
  }
}

/** `extra.resolution` → ['extra', 'resolution']. */
function splitField(field: string): [string, string | undefined] {
  const dot = field.indexOf('.');
  return dot < 0 ? [field, undefined] : [field.slice(0, dot), field.slice(dot + 1)];
}

function settingName(field: string): string {
  return `${SETTINGS.section}.${fieldDefinition(splitField(field)[0])?.settingKey ?? field}`;
}

function unknownPresetError(name: string, names: string[], fromDefault: boolean): HfVideoError {
  const where = fromDefault ? ` in ${SETTINGS.section}.${SETTINGS.defaultPreset}` : '';
  const known = names.length ? `presets: ${names.join(', ')}` : `no presets are defined in ${SETTINGS.section}.${SETTINGS.presets}`;
  return new HfVideoError('invalidInput', `Unknown preset "${name}"${where}; ${known}.`, {
    nextStep: openSettingsJson(`${SETTINGS.section}.${fromDefault ? SETTINGS.defaultPreset : SETTINGS.presets}`),
  });
}

function openSettingsJson(setting: string): NextStep {
  return { action: 'openSettingsJson', label: 'Open settings.json', setting };
}

/** Where requests go and how. The URLs decide where secrets go, so they come from user settings only. */
export function readClientSettings(scope?: vscode.Uri): ClientSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS.section, scope);
  return {
    routerUrl: userUrl(config.inspect<string>(SETTINGS.routerUrl)?.globalValue) ?? DEFAULT_ROUTER,
    hubUrl: readHubUrl(),
    directBaseUrls: providerUrls(config.inspect<Record<string, string>>(SETTINGS.providerUrls)?.globalValue),
    // Who pays is the user's choice alone: a cloned repository must not bill someone else's organization.
    billTo: config.inspect<string>(SETTINGS.billTo)?.globalValue?.trim() || undefined,
    useCache: config.get<boolean>(SETTINGS.useCache, true),
    waitForModel: config.get<boolean>(SETTINGS.waitForModel, false),
    timeoutMinutes: checkedSetting(config, 'timeoutMinutes') as number,
    maxDownloadBytes: clamp(config.get<number>(SETTINGS.maxDownloadMB), 1, 102400, 2048) * 1024 * 1024,
  };
}

/** A setting checked against its table field; its default when unset. */
function checkedSetting(config: vscode.WorkspaceConfiguration, field: string): unknown {
  const definition = fieldDefinition(field)!;
  const value = config.get(definition.settingKey!) ?? definition.default;
  const problem = checkField(definition, value);
  if (problem) throw problemsError([{ origin: { kind: 'settings' }, ...problem }]);
  return value;
}

/** The Hub the token is checked with and mappings are read from; user settings only, as it receives the token. */
export function readHubUrl(): string {
  return userUrl(vscode.workspace.getConfiguration(SETTINGS.section).inspect<string>(SETTINGS.hubUrl)?.globalValue) ?? DEFAULT_HUB;
}

/** Whether the open workspace (or one of its folders) sets `hfVideo.billTo`, which is ignored. */
export function workspaceSetsBillTo(): boolean {
  const scopes = [undefined, ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri)];
  return scopes.some((scope) => {
    const inspected = vscode.workspace.getConfiguration(SETTINGS.section, scope).inspect<string>(SETTINGS.billTo);
    return inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
  });
}

/** How jobs run and where their videos go; read when they are needed, so changes apply at once. */
export interface JobSettings {
  maxConcurrentJobs: number;
  resultRetentionHours: number;
  outputFolder: string;
  fileNameTemplate: string;
  autoSave: boolean;
  unsavedVideosLimitBytes: number;
}

export function readJobSettings(scope?: vscode.Uri): JobSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS.section, scope);
  return {
    maxConcurrentJobs: clamp(config.get<number>(SETTINGS.maxConcurrentJobs), 1, 8, 2),
    resultRetentionHours: clamp(config.get<number>(SETTINGS.resultRetentionHours), 1, 24 * 30, 24),
    outputFolder: textSetting(config, 'outputFolder'),
    fileNameTemplate: textSetting(config, 'fileNameTemplate'),
    autoSave: config.get<boolean>(SETTINGS.autoSave, false) === true,
    unsavedVideosLimitBytes: clamp(config.get<number>(SETTINGS.unsavedVideosLimitMB), 0, 1024 * 1024, 2048) * 1024 * 1024,
  };
}

/** A text setting, trimmed; its table default when empty. */
function textSetting(config: vscode.WorkspaceConfiguration, field: string): string {
  const definition = fieldDefinition(field)!;
  return config.get<string>(definition.settingKey!, '').trim() || String(definition.default);
}

/** VS Code's schema only warns; a value outside the range falls back to the nearest limit. */
function clamp(value: number | undefined, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

function providerUrls(value: Record<string, string> | undefined): Partial<Record<ProviderName, string>> {
  const urls: Partial<Record<ProviderName, string>> = {};
  for (const name of PROVIDERS) {
    const url = userUrl(value?.[name]);
    if (url) urls[name] = url;
  }
  return urls;
}

function userUrl(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? text : undefined;
  } catch {
    return undefined;
  }
}

/** The names of the presets that apply to `scope` (user, workspace and folder settings merged). */
export function definedPresets(scope?: vscode.Uri): string[] {
  return presetNames(vscode.workspace.getConfiguration(SETTINGS.section, scope).get(SETTINGS.presets));
}
