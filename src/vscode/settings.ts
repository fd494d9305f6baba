import * as vscode from 'vscode';
import type { ClientSettings } from '../core/generate';
import { isProviderName, type ProviderChoice } from '../core/types';

/** Every setting key in one place, so a rename cannot miss a caller. */
export const SETTINGS = {
  section: 'hfVideo',
  model: 'model',
  provider: 'provider',
  routerUrl: 'routerUrl',
  hubUrl: 'hubUrl',
} as const;

const DEFAULT_ROUTER = 'https://router.huggingface.co';
const DEFAULT_HUB = 'https://huggingface.co';

export interface ResolvedSettings {
  model: string;
  provider: ProviderChoice;
  client: ClientSettings;
}

/**
 * Reads the settings a generation needs. The router and Hub URLs decide where the token goes, so
 * they are read from user settings only, whatever a workspace says.
 */
export function readSettings(scope?: vscode.Uri): ResolvedSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS.section, scope);
  const provider = config.get<string>(SETTINGS.provider, 'auto');
  return {
    model: config.get<string>(SETTINGS.model, 'Wan-AI/Wan2.1-T2V-14B').trim(),
    provider: provider === 'auto' || isProviderName(provider) ? provider : 'auto',
    client: {
      routerUrl: userUrl(config, SETTINGS.routerUrl, DEFAULT_ROUTER),
      hubUrl: userUrl(config, SETTINGS.hubUrl, DEFAULT_HUB),
      timeoutMinutes: 30,
    },
  };
}

function userUrl(config: vscode.WorkspaceConfiguration, key: string, fallback: string): string {
  const value = config.inspect<string>(key)?.globalValue?.trim();
  if (!value) return fallback;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? value : fallback;
  } catch {
    return fallback;
  }
}
