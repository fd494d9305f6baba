/**
 * The parts of a generation request come in layers, each later one overriding the earlier:
 * defaults < settings (VS Code has merged user < workspace < folder) < preset < prompt-file front
 * matter < a shot's own block < what the user picks for this run. This module merges them and
 * checks every value against the parameter table, saying which layer each problem came from.
 */
import { PRESET_FIELDS, checkExtra, checkField, fieldDefinition, type FieldDefinition, type FieldProblem } from './parameterTable';
import type { ProviderChoice, VideoParameters } from './types';

/** Where a layer's values were written, so a problem can point the user there. */
export type LayerOrigin =
  | { kind: 'settings' }
  | { kind: 'preset'; name: string }
  | { kind: 'frontMatter'; file: string }
  | { kind: 'shot'; file: string; shot: string }
  | { kind: 'run' };

/**
 * One layer's values under the table's field names (`num_frames`, `extra`, `outputFolder`…), as the
 * user wrote them. Unset or null leaves the earlier layers' value; "" or [] clears it. In `extra`
 * each key overrides the same key of earlier layers, and a null key removes it.
 */
export type RequestValues = Record<string, unknown>;

export interface RequestLayer {
  origin: LayerOrigin;
  values: RequestValues;
}

/** What one layer got wrong; `problem` completes "<where> <field> ", e.g. "must be a whole number from 1 to 1000, not 5000". */
export interface LayerProblem {
  origin: LayerOrigin;
  /** A table field name, or '' when the layer itself is not an object of keys. */
  field: string;
  value: unknown;
  problem: string;
}

export interface ResolvedRequest {
  model: string;
  provider: ProviderChoice;
  parameters: VideoParameters;
  extra: Record<string, unknown>;
  outputFolder: string;
  fileNameTemplate: string;
  /** The last preset layer's name, for file names and the history. */
  preset?: string;
}

export type Resolution = { ok: true; request: ResolvedRequest } | { ok: false; problems: LayerProblem[] };

/** Merges the layers in order (earliest first) and reports every problem of every layer, or none. */
export function resolveRequest(layers: readonly RequestLayer[]): Resolution {
  const merged: RequestValues = {};
  const extra: Record<string, unknown> = {};
  const problems: LayerProblem[] = [];
  let preset: string | undefined;
  for (const { origin, values } of layers) {
    if (origin.kind === 'preset') preset = origin.name;
    if (!isPlainObject(values)) {
      problems.push({ origin, field: '', value: values, problem: 'must be an object of keys' });
      continue;
    }
    for (const [field, raw] of Object.entries(values)) {
      const definition = layerField(origin, field);
      if (!definition) {
        problems.push({ origin, field, value: raw, problem: `is not a key here; the keys are ${PRESET_FIELDS.map((known) => known.field).join(', ')}` });
        continue;
      }
      const value = typeof raw === 'string' ? raw.trim() : raw;
      if (value === undefined || value === null) continue;
      const found = checkValue(definition, value);
      if (found.length) {
        problems.push(...found.map((problem) => ({ origin, ...problem })));
        continue;
      }
      if (definition.type === 'object') mergeExtra(extra, value as Record<string, unknown>);
      else if (value === '' || (Array.isArray(value) && value.length === 0)) delete merged[field];
      else merged[field] = value;
    }
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, request: toRequest(merged, extra, preset) };
}

/** The definition a layer may set under `field`: settings may set any, the others no setting-only one. */
function layerField(origin: LayerOrigin, field: string): FieldDefinition | undefined {
  const definition = fieldDefinition(field);
  if (!definition || (definition.settingOnly && origin.kind !== 'settings')) return undefined;
  return definition.promptFileOnly && origin.kind === 'preset' ? undefined : definition;
}

function checkValue(definition: FieldDefinition, value: unknown): FieldProblem[] {
  const problem = checkField(definition, value);
  if (problem) return [problem];
  return definition.type === 'object' ? checkExtra(value as Record<string, unknown>) : [];
}

function mergeExtra(into: Record<string, unknown>, extra: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(extra)) {
    if (value === null) delete into[key];
    else into[key] = value;
  }
}

function toRequest(merged: RequestValues, extra: Record<string, unknown>, preset: string | undefined): ResolvedRequest {
  const valueOf = (field: string) => merged[field] ?? fieldDefinition(field)?.default;
  const parameters = Object.fromEntries(PRESET_FIELDS.filter((definition) => definition.taskParameter && merged[definition.field] !== undefined).map((definition) => [definition.field, merged[definition.field]]));
  return {
    model: valueOf('model') as string,
    provider: valueOf('provider') as ProviderChoice,
    parameters: parameters as VideoParameters,
    extra,
    outputFolder: valueOf('outputFolder') as string,
    fileNameTemplate: valueOf('fileNameTemplate') as string,
    ...(preset !== undefined && { preset }),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
