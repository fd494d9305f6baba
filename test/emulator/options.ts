// Defaults for every emulator option, in one place.
import type { EmulatorOptions, ProviderName } from './types';

export const DEFAULT_TOKEN = 'hf_emulator_token';

export const DEFAULT_PROVIDER_KEYS: Record<ProviderName, string[]> = {
  'fal-ai': ['fal_emulator_key'],
  replicate: ['r8_emulator_key'],
  novita: ['novita_emulator_key'],
  wavespeed: ['wavespeed_emulator_key'],
  together: ['together_emulator_key'],
};

export type ResolvedOptions = Required<Omit<EmulatorOptions, 'videoBytes' | 'videoUrlBase' | 'log' | 'providerKeys'>> & {
  videoBytes?: number;
  videoUrlBase?: string;
  log?: (line: string) => void;
  providerKeys: Record<ProviderName, string[]>;
};

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  return {
    port: 0,
    tokens: [DEFAULT_TOKEN],
    readOnlyTokens: [],
    queueMs: 300,
    runMs: 600,
    audio: false,
    replicateWaitMs: 60_000,
    replicateOutputWhileProcessingMs: 0,
    routerRewritesUrls: false,
    routerForwardsCancel: true,
    routerServesStatusStream: false,
    routerErrorShape: 'error-string',
    hubMappingShape: 'dict',
    routerServesStaging: true,
    falFailureStyle: 'completed-with-error',
    falResultWhilePending: 'bad-request',
    replicateOutputShape: 'string',
    replicateUnknownInputKeys: 'ignore',
    novitaLegacyHf: 'sync',
    novitaRequiresSize: false,
    novitaFrames: 'accept',
    falStreamLogs: 'delta',
    togetherQueuedStatus: 'in_progress',
    negativePromptArrays: 'accept',
    echoAuthorization: false,
    cdnIgnoresRanges: false,
    now: Date.now,
    ...withoutUndefined(options),
    providerKeys: { ...DEFAULT_PROVIDER_KEYS, ...withoutUndefined(options.providerKeys ?? {}) },
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
