/**
 * One definition per generation parameter: where it lives in settings, what it is called on the wire,
 * in presets and in prompt-file front matter, its type, range and description. Validation, settings
 * reading, presets, front matter, completion and the manifest test all read this table.
 *
 * Messages here name the *field* only ("must be a whole number from 1 to 1000, not 5000"); the VS Code
 * layer says where the user wrote it (a setting, a preset key, a line of a prompt file).
 */
import { PROVIDERS } from './types';

/** Here rather than in jobs/outputPath (which needs Node): the studio's webview reads this table too. */
export const DEFAULT_FILE_NAME_TEMPLATE = '${date}-${prompt}';

export type FieldType = 'integer' | 'number' | 'string' | 'stringOrList' | 'object' | 'boolean' | 'provider' | 'modelId';

export interface FieldDefinition {
  /** The name in presets and front matter: the API name for task parameters. */
  field: string;
  /** The key under `hfVideo.` in settings.json, when it is a setting of its own. */
  settingKey?: string;
  type: FieldType;
  min?: number;
  max?: number;
  /** For strings (and each string of a list). */
  maxLength?: number;
  /** Sent as a task parameter under this name (the providers may rename it on the wire). */
  taskParameter?: boolean;
  /** Read from settings only: presets, front matter and shots may not set it. */
  settingOnly?: boolean;
  /** Besides settings, only prompt files (front matter and shots) may set it, not presets. */
  promptFileOnly?: boolean;
  /** The value when no layer sets it (and the setting's default in package.json). */
  default?: string | number;
  description: string;
}

export const FIELDS: readonly FieldDefinition[] = [
  { field: 'model', settingKey: 'model', type: 'modelId', default: 'Wan-AI/Wan2.1-T2V-14B', description: 'The Hugging Face model that generates the video, as owner/name.' },
  { field: 'provider', settingKey: 'provider', type: 'provider', default: 'auto', description: 'The Inference Provider that runs the model, or auto.' },
  { field: 'num_frames', settingKey: 'numFrames', type: 'integer', min: 1, max: 1000, taskParameter: true, description: 'Number of frames to generate.' },
  { field: 'guidance_scale', settingKey: 'guidanceScale', type: 'number', min: 0, max: 50, taskParameter: true, description: 'How closely the video follows the prompt; higher follows it more literally.' },
  { field: 'negative_prompt', settingKey: 'negativePrompt', type: 'stringOrList', maxLength: 2000, taskParameter: true, description: 'What the video should not show: one prompt or a list of them.' },
  { field: 'num_inference_steps', settingKey: 'numInferenceSteps', type: 'integer', min: 1, max: 500, taskParameter: true, description: 'Denoising steps: more are slower and often sharper.' },
  { field: 'seed', settingKey: 'seed', type: 'integer', min: 0, max: 2 ** 32 - 1, taskParameter: true, description: 'Seed for reproducible videos; empty picks a new random one each time.' },
  { field: 'extra', settingKey: 'extraParameters', type: 'object', description: 'Provider-specific fields sent as they are (resolution, aspect_ratio, frames_per_second, duration…).' },
  { field: 'outputFolder', settingKey: 'outputFolder', type: 'string', maxLength: 260, default: 'videos', description: 'Where saved videos go, relative to the workspace folder.' },
  { field: 'fileNameTemplate', settingKey: 'fileNameTemplate', type: 'string', maxLength: 260, default: DEFAULT_FILE_NAME_TEMPLATE, description: 'The saved video’s name, with ${date}, ${time}, ${prompt}, ${model}, ${provider}, ${seed}, ${preset}, ${index}, ${shot}.' },
  // A workspace could otherwise keep a paid job running for days.
  { field: 'timeoutMinutes', settingKey: 'timeoutMinutes', type: 'number', min: 1, max: 240, settingOnly: true, default: 30, description: 'Stop a generation (and cancel it at the provider) after this many minutes.' },
  { field: 'autoSave', settingKey: 'autoSave', type: 'boolean', promptFileOnly: true, description: 'Save every video into the workspace as soon as it is ready.' },
  // A prompt file (or shot) names the preset it starts from; presets are defined in settings only.
  { field: 'preset', type: 'string', maxLength: 100, promptFileOnly: true, description: 'The preset whose values this file (or shot) starts from.' },
];

export function fieldDefinition(field: string): FieldDefinition | undefined {
  return FIELDS.find((definition) => definition.field === field);
}

/** The keys a preset, front matter or a shot may set. */
export const PRESET_FIELDS: readonly FieldDefinition[] = FIELDS.filter((definition) => !definition.settingOnly && !definition.promptFileOnly);

/** What the front matter of a prompt file and a shot's block may set. */
export const PROMPT_FILE_FIELDS: readonly FieldDefinition[] = FIELDS.filter((definition) => !definition.settingOnly);

/** Keys the client itself fills in; an extra field may not replace them. */
const RESERVED_EXTRA_KEYS = new Set(['prompt', 'inputs', 'model', 'input', 'version']);
/** Extra fields that would have the provider send the result (and the prompt) to someone else. */
const ELSEWHERE_EXTRA_KEY = /webhook|callback/i;

/**
 * Checks provider-specific extras: no key the client owns, none that sends results elsewhere, and a
 * key named like a task parameter gets that parameter's check (a workspace could ask for 10,000 frames).
 */
export function checkExtra(extra: Record<string, unknown>): FieldProblem[] {
  return Object.entries(extra).flatMap(([key, value]): FieldProblem[] => {
    const field = `extra.${key}`;
    if (RESERVED_EXTRA_KEYS.has(key)) return [{ field, value, problem: 'is filled in by the extension itself and may not be set' }];
    if (ELSEWHERE_EXTRA_KEY.test(key)) return [{ field, value, problem: 'would send the result somewhere else and may not be set' }];
    const parameter = fieldDefinition(key);
    const problem = parameter?.taskParameter ? checkField(parameter, value) : undefined;
    return problem ? [{ ...problem, field }] : [];
  });
}

/** What is wrong with one value, in words that name no setting, preset or file. */
export interface FieldProblem {
  /** A table field name; `extra.<key>` for one key of the extras. */
  field: string;
  value: unknown;
  /** Completes "<where> ": "must be a whole number from 1 to 1000, not 5000". */
  problem: string;
}

/** Checks one value against its definition; undefined (unset) is always fine. */
export function checkField(definition: FieldDefinition, value: unknown): FieldProblem | undefined {
  if (value === undefined || value === null) return undefined;
  const problem = describeProblem(definition, value);
  return problem ? { field: definition.field, value, problem } : undefined;
}

function describeProblem(definition: FieldDefinition, value: unknown): string | undefined {
  const shown = JSON.stringify(value);
  switch (definition.type) {
    case 'integer':
    case 'number': {
      const whole = definition.type === 'integer';
      const ok = typeof value === 'number' && Number.isFinite(value) && (!whole || Number.isInteger(value)) && value >= definition.min! && value <= definition.max!;
      return ok ? undefined : `must be ${whole ? 'a whole number' : 'a number'} from ${definition.min} to ${definition.max}, not ${shown}`;
    }
    case 'string':
      if (typeof value !== 'string') return `must be text, not ${shown}`;
      return tooLong(definition, value);
    case 'stringOrList': {
      const items = Array.isArray(value) ? value : [value];
      if (!items.every((item) => typeof item === 'string')) return `must be text or a list of texts, not ${shown}`;
      return items.map((item) => tooLong(definition, item as string)).find(Boolean);
    }
    case 'object':
      return value && typeof value === 'object' && !Array.isArray(value) ? undefined : `must be an object of fields, not ${shown}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, not ${shown}`;
    case 'provider':
      return value === 'auto' || (PROVIDERS as readonly unknown[]).includes(value) ? undefined : `must be auto or one of ${PROVIDERS.join(', ')}, not ${shown}`;
    case 'modelId':
      return isModelId(value) ? undefined : `must be a Hugging Face model id such as Wan-AI/Wan2.1-T2V-14B (owner/name), not ${shown}`;
  }
}

function tooLong(definition: FieldDefinition, text: string): string | undefined {
  return definition.maxLength !== undefined && text.length > definition.maxLength ? `is ${text.length} characters long; the limit is ${definition.maxLength}` : undefined;
}

/** `owner/name`, each part a Hub name, neither `.` nor `..` (a model id ends up in URL paths). */
export function isModelId(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const parts = value.split('/');
  return parts.length === 2 && parts.every((part) => /^[A-Za-z0-9][\w.-]*$/.test(part) && part !== '.' && part !== '..');
}
