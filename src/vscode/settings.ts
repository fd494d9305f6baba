import * as vscode from 'vscode';
import type { ClientSettings } from '../core/generate';
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
      hubUrl: userUrl(config.inspect<string>(SETTINGS.hubUrl)?.globalValue) ?? DEFAULT_HUB,
      directBaseUrls: providerUrls(config.inspect<Record<string, string>>(SETTINGS.providerUrls)?.globalValue),
      billTo: config.get<string>(SETTINGS.billTo, '').trim() || undefined,
      useCache: config.get<boolean>(SETTINGS.useCache, true),
      waitForModel: config.get<boolean>(SETTINGS.waitForModel, false),
      timeoutMinutes: typeof timeout === 'number' && timeout > 0 ? timeout : 30,
    },
  };
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
