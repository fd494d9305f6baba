import { HfVideoError } from './errors';
import type { VideoParameters } from './types';

/** The parameters as settings hold them (camelCase, anything the user typed). */
export interface ParameterSettings {
  numFrames?: unknown;
  guidanceScale?: unknown;
  negativePrompt?: unknown;
  numInferenceSteps?: unknown;
  seed?: unknown;
  extraParameters?: unknown;
}

interface NumberRule {
  setting: keyof ParameterSettings;
  wire: keyof VideoParameters;
  min: number;
  max: number;
  integer: boolean;
}

const NUMBER_RULES: NumberRule[] = [
  { setting: 'numFrames', wire: 'num_frames', min: 1, max: 1000, integer: true },
  { setting: 'guidanceScale', wire: 'guidance_scale', min: 0, max: 50, integer: false },
  { setting: 'numInferenceSteps', wire: 'num_inference_steps', min: 1, max: 500, integer: true },
  { setting: 'seed', wire: 'seed', min: 0, max: 2 ** 32 - 1, integer: true },
];

const MAX_NEGATIVE_PROMPT = 2000;
/** Keys the client itself owns; an extra parameter may not replace them. */
const RESERVED_EXTRA_KEYS = new Set(['prompt', 'inputs', 'model', 'input', 'version']);

/**
 * Checks the settings VS Code hands over (its schema validation is advisory only) and turns them
 * into HF task parameters plus provider-specific extras. Unset means "the provider's default".
 */
export function resolveParameters(settings: ParameterSettings, section = 'hfVideo'): { parameters: VideoParameters; extra: Record<string, unknown> } {
  const parameters: VideoParameters = {};
  for (const rule of NUMBER_RULES) {
    const value = settings[rule.setting];
    if (value === undefined || value === null || value === '') continue;
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= rule.min && value <= rule.max && (!rule.integer || Number.isInteger(value));
    if (!ok) {
      throw invalidSetting(`${section}.${rule.setting}`, `must be ${rule.integer ? 'a whole number' : 'a number'} from ${rule.min} to ${rule.max}, not ${JSON.stringify(value)}`);
    }
    (parameters as Record<string, number>)[rule.wire] = value;
  }
  const negative = settings.negativePrompt;
  if (negative !== undefined && negative !== null && negative !== '') {
    if (typeof negative !== 'string') throw invalidSetting(`${section}.negativePrompt`, 'must be text');
    if (negative.length > MAX_NEGATIVE_PROMPT) throw invalidSetting(`${section}.negativePrompt`, `is longer than ${MAX_NEGATIVE_PROMPT} characters`);
    // Providers' own schemas take a string here, although the HF task spec lists an array.
    parameters.negative_prompt = negative;
  }
  return { parameters, extra: resolveExtra(settings.extraParameters, `${section}.extraParameters`) };
}

function resolveExtra(value: unknown, setting: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidSetting(setting, 'must be an object of provider-specific fields');
  const reserved = Object.keys(value).filter((key) => RESERVED_EXTRA_KEYS.has(key));
  if (reserved.length) throw invalidSetting(setting, `may not set ${reserved.map((key) => `"${key}"`).join(', ')}, which the extension fills in itself`);
  return { ...(value as Record<string, unknown>) };
}

function invalidSetting(setting: string, problem: string): HfVideoError {
  return new HfVideoError('invalidInput', `The setting ${setting} ${problem}.`, {
    nextStep: { action: 'openSettings', label: 'Open Setting', setting },
  });
}
