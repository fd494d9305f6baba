// package.json's settings schema is what VS Code completes and flags; it must say what the table checks.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIELDS, PRESET_FIELDS, type FieldDefinition } from '../../src/core/parameterTable';

interface PropertySchema {
  type?: string | string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  default?: unknown;
  items?: PropertySchema;
  enum?: string[];
  properties?: Record<string, PropertySchema>;
  additionalProperties?: PropertySchema | boolean;
  markdownDescription?: string;
}

const ROOT = join(__dirname, '..', '..', '..');
const englishStrings = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
/** package.json as VS Code shows it in English: every "%key%" replaced by its text in package.nls.json. */
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'), (_key, value: unknown) =>
  typeof value === 'string' && /^%[\w.-]+%$/.test(value) ? englishStrings[value.slice(1, -1)] : value,
) as {
  contributes: { configuration: { properties: Record<string, PropertySchema> } };
};
const properties = manifest.contributes.configuration.properties;

/** The JSON schema types a field's values take (settings may also be null: "the model's default"). */
const SCHEMA_TYPES: Record<FieldDefinition['type'], string[]> = {
  integer: ['integer'],
  number: ['number'],
  string: ['string'],
  stringOrList: ['string', 'array'],
  object: ['object'],
  boolean: ['boolean'],
  provider: ['string'],
  modelId: ['string'],
};

function assertMatches(schema: PropertySchema | undefined, definition: FieldDefinition, where: string): void {
  assert.ok(schema, `${where} exists`);
  const types = [schema.type ?? []].flat().filter((type) => type !== 'null');
  assert.deepEqual(types, SCHEMA_TYPES[definition.type], `${where} type`);
  assert.equal(schema.minimum, definition.min, `${where} minimum`);
  assert.equal(schema.maximum, definition.max, `${where} maximum`);
  assert.equal(schema.maxLength, definition.maxLength, `${where} maxLength`);
  if (definition.type === 'stringOrList') assert.deepEqual(schema.items, { type: 'string', maxLength: definition.maxLength }, `${where} items`);
}

describe('package.json settings schema', () => {
  it('declares every table setting with the table’s type, range and default', () => {
    for (const definition of FIELDS.filter((field) => field.settingKey)) {
      const where = `hfVideo.${definition.settingKey}`;
      assertMatches(properties[where], definition, where);
      if (definition.default !== undefined) assert.equal(properties[where].default, definition.default, `${where} default`);
    }
  });

  it('gives hfVideo.presets items exactly the table’s preset keys, with their ranges, and no others', () => {
    const presets = properties['hfVideo.presets'];
    assert.equal(presets?.type, 'object');
    assert.match(presets.markdownDescription ?? '', /```json/, 'an example');
    const item = presets.additionalProperties as PropertySchema;
    assert.equal(item.additionalProperties, false, 'a mistyped key is flagged');
    assert.deepEqual(Object.keys(item.properties ?? {}).sort(), PRESET_FIELDS.map((definition) => definition.field).sort());
    for (const definition of PRESET_FIELDS) assertMatches(item.properties![definition.field], definition, `preset key ${definition.field}`);
    assert.equal(properties['hfVideo.defaultPreset']?.type, 'string');
    assert.equal(properties['hfVideo.defaultPreset'].default, '');
  });
});
