/**
 * The studio's form as request values, and back. The webview checks every field as the user types and
 * the host builds the run's request from the same values, both with the parameter table's own checks:
 * the form says what a command would say about the same value.
 */
import { checkExtra, checkField, fieldDefinition, type FieldDefinition } from '../core/parameterTable';
import { MAX_PROMPT_LENGTH } from '../core/prompt';
import { STUDIO_NUMBER_FIELDS, type StudioForm } from './protocol';

/** What is wrong with one field of the form: its id in the page (a table field name, `prompt`, or `extra.<key>`) and the table's words. */
export interface FormProblem {
  field: string;
  message: string;
}

/** The prompt is checked like a text field whose limit is the prompt's. */
const PROMPT_FIELD: FieldDefinition = { field: 'prompt', type: 'string', maxLength: MAX_PROMPT_LENGTH, description: '' };

/** The limits shown under the two prompts. */
export const PROMPT_LIMITS = { prompt: MAX_PROMPT_LENGTH, negativePrompt: fieldDefinition('negative_prompt')!.maxLength! } as const;

/** An empty form: every value comes from the settings. */
export function emptyForm(prompt = ''): StudioForm {
  return { prompt, negativePrompt: '', model: '', provider: 'auto', numbers: { num_frames: '', guidance_scale: '', num_inference_steps: '' }, seed: '', seedMode: 'random', extras: [], preset: '' };
}

/** A number as typed; text that is no number stays text, so the table's check names it. */
function typedNumber(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed) ? Number(trimmed) : trimmed;
}

/** An extra's value as typed: JSON when it reads as JSON (5, true, "a", [1, 2]), else the text itself. */
function typedExtra(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return trimmed;
  }
}

/**
 * The form's values under the table's field names, as one request layer: what is empty is left out
 * (the settings' value applies), the seed only when locked. Extras are left out when there are none.
 */
export function formValues(form: StudioForm): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const set = (field: string, value: unknown) => value !== undefined && value !== '' && (values[field] = value);
  set('model', form.model.trim());
  set('provider', form.provider.trim());
  for (const field of STUDIO_NUMBER_FIELDS) set(field, typedNumber(form.numbers[field]));
  set('negative_prompt', form.negativePrompt.trim());
  if (form.seedMode === 'lock') set('seed', typedNumber(form.seed));
  const extras = form.extras.filter((row) => row.key.trim());
  if (extras.length) values.extra = Object.fromEntries(extras.map((row) => [row.key.trim(), typedExtra(row.value)]));
  return values;
}

/** Every problem of the form, field by field, in the parameter table's words; none when it can be sent. */
export function checkForm(form: StudioForm): FormProblem[] {
  const values = formValues(form);
  const problems: FormProblem[] = [];
  const prompt = form.prompt.trim();
  const promptProblem = prompt ? checkField(PROMPT_FIELD, prompt) : { field: 'prompt', value: prompt, problem: 'is empty' };
  if (promptProblem) problems.push({ field: 'prompt', message: `prompt ${promptProblem.problem}` });
  for (const [field, value] of Object.entries(values)) {
    if (field === 'extra') continue;
    const problem = checkField(fieldDefinition(field)!, value);
    if (problem) problems.push({ field, message: `${field} ${problem.problem}` });
  }
  const keys = form.extras.map((row) => row.key.trim()).filter(Boolean);
  const repeated = keys.find((key, index) => keys.indexOf(key) !== index);
  if (repeated) problems.push({ field: `extra.${repeated}`, message: `extra.${repeated} is there twice` });
  for (const problem of checkExtra((values.extra as Record<string, unknown> | undefined) ?? {})) problems.push({ field: problem.field, message: `${problem.field} ${problem.problem}` });
  return problems;
}

/** The text a value is shown as in the form. */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join('\n');
  return JSON.stringify(value);
}

/** A form holding `values` (a preset's, or what a prompt file and shot resolve to) and the prompt. */
export function formFromValues(values: Record<string, unknown>, prompt: string, preset = ''): StudioForm {
  const seed = values.seed;
  const extra = values.extra && typeof values.extra === 'object' && !Array.isArray(values.extra) ? (values.extra as Record<string, unknown>) : {};
  return {
    prompt,
    negativePrompt: asText(values.negative_prompt),
    model: asText(values.model),
    provider: asText(values.provider) || 'auto',
    numbers: Object.fromEntries(STUDIO_NUMBER_FIELDS.map((field) => [field, asText(values[field])])) as StudioForm['numbers'],
    seed: asText(seed),
    seedMode: seed === undefined || seed === null || seed === '' ? 'random' : 'lock',
    extras: Object.entries(extra).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) })),
    preset,
  };
}

/**
 * The fields whose value differs from the preset's (a field the preset leaves out differs when the form
 * sets it), by page id: table field names, and `extra.<key>` for each extra.
 */
export function differencesFrom(form: StudioForm, preset: Record<string, unknown>): string[] {
  const mine = formValues(form);
  const fields = ['model', 'provider', ...STUDIO_NUMBER_FIELDS, 'negative_prompt', 'seed'];
  const differs = (a: unknown, b: unknown) => asText(a).trim() !== asText(b).trim();
  const changed = fields.filter((field) => differs(mine[field] ?? (field === 'provider' ? 'auto' : undefined), preset[field] ?? (field === 'provider' ? 'auto' : undefined)));
  const ours = (mine.extra ?? {}) as Record<string, unknown>;
  const theirs = (preset.extra && typeof preset.extra === 'object' ? preset.extra : {}) as Record<string, unknown>;
  const extraKeys = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])];
  return [...changed, ...extraKeys.filter((key) => differs(ours[key], theirs[key])).map((key) => `extra.${key}`)];
}
