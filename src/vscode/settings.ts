import * as vscode from 'vscode';
import type { ClientSettings } from '../core/videoClient';
import { DEFAULT_FILE_NAME_TEMPLATE } from '../core/jobs/outputPath';
import { resolveParameters } from '../core/parameters';
import { PROVIDERS, isProviderName, type ProviderChoice, type ProviderName, type VideoParameters } from '../core/types';

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
  autoSave: 'autoSave',
  unsavedVideosLimitMB: 'unsavedVideosLimitMB',
} as const;

const DEFAULT_ROUTER = 'https://router.huggingface.co';
const DEFAULT_HUB = 'https://huggingface.co';

export interface ResolvedSettings {
  model: string;
  provider: ProviderChoice;
  parameters: VideoParameters;
  extra: Record<string, unknown>;
  client: ClientSettings;
}

/**
 * Reads the settings a generation needs and checks them (an out-of-range value throws a message
 * naming the setting). The URLs decide where secrets go, so they come from user settings only.
 */
export function readSettings(scope?: vscode.Uri): ResolvedSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS.section, scope);
  const provider = config.get<string>(SETTINGS.provider, 'auto');
  const { parameters, extra } = resolveParameters({
    numFrames: config.get(SETTINGS.numFrames),
    guidanceScale: config.get(SETTINGS.guidanceScale),
    negativePrompt: config.get(SETTINGS.negativePrompt),
    numInferenceSteps: config.get(SETTINGS.numInferenceSteps),
    seed: config.get(SETTINGS.seed),
    extraParameters: config.get(SETTINGS.extraParameters),
  });
  const timeout = config.get<number>(SETTINGS.timeoutMinutes, 30);
  return {
    model: config.get<string>(SETTINGS.model, 'Wan-AI/Wan2.1-T2V-14B').trim(),
    provider: provider === 'auto' || isProviderName(provider) ? provider : 'auto',
    parameters,
    extra,
    client: {
      routerUrl: userUrl(config.inspect<string>(SETTINGS.routerUrl)?.globalValue) ?? DEFAULT_ROUTER,
      hubUrl: readHubUrl(),
      directBaseUrls: providerUrls(config.inspect<Record<string, string>>(SETTINGS.providerUrls)?.globalValue),
      // Who pays is the user's choice alone: a cloned repository must not bill someone else's organization.
      billTo: config.inspect<string>(SETTINGS.billTo)?.globalValue?.trim() || undefined,
      useCache: config.get<boolean>(SETTINGS.useCache, true),
      waitForModel: config.get<boolean>(SETTINGS.waitForModel, false),
      timeoutMinutes: typeof timeout === 'number' && timeout > 0 ? timeout : 30,
    },
  };
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
    outputFolder: config.get<string>(SETTINGS.outputFolder, 'videos').trim() || 'videos',
    fileNameTemplate: config.get<string>(SETTINGS.fileNameTemplate, '').trim() || DEFAULT_FILE_NAME_TEMPLATE,
    autoSave: config.get<boolean>(SETTINGS.autoSave, false) === true,
    unsavedVideosLimitBytes: clamp(config.get<number>(SETTINGS.unsavedVideosLimitMB), 0, 1024 * 1024, 2048) * 1024 * 1024,
  };
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
