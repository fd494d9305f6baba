/**
 * Presets: named sets of request values in `hfVideo.presets`, one layer between the settings and a
 * prompt file. What a preset may hold is the parameter table's PRESET_FIELDS.
 */
import type { RequestLayer } from './requestLayers';

/** The preset names in `hfVideo.presets`, in the order written; none when it is not an object. */
export function presetNames(presets: unknown): string[] {
  return isPresetMap(presets) ? Object.keys(presets) : [];
}

/** The layer of the preset `name`, or undefined when there is no such preset. Its values are checked by resolveRequest. */
export function presetLayer(presets: unknown, name: string): RequestLayer | undefined {
  if (!isPresetMap(presets) || !Object.prototype.hasOwnProperty.call(presets, name)) return undefined;
  return { origin: { kind: 'preset', name }, values: presets[name] as RequestLayer['values'] };
}

function isPresetMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
