// What translators work from: package.nls.json for the manifest's "%key%" references, and l10n/bundle.l10n.json
// for the strings the code passes to vscode.l10n.t.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringsPassedToL10n } from '../l10nBundle';

const ROOT = join(__dirname, '..', '..', '..');
const manifestText = readFileSync(join(ROOT, 'package.json'), 'utf8');
const englishStrings = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
const referencedKeys = new Set([...manifestText.matchAll(/"%([\w.-]+)%"/g)].map((match) => match[1]));

describe('package.nls.json', () => {
  it('has a text for every %key% of package.json', () => {
    const missing = [...referencedKeys].filter((key) => typeof englishStrings[key] !== 'string');
    assert.deepEqual(missing, []);
  });

  it('has no key that package.json does not use', () => {
    const unused = Object.keys(englishStrings).filter((key) => !referencedKeys.has(key));
    assert.deepEqual(unused, []);
  });

  it('leaves no user-facing text of the manifest untranslatable', () => {
    const manifest = JSON.parse(manifestText) as { displayName: string; description: string; contributes: { commands: Array<{ title: string; category: string }> } };
    const texts = [manifest.displayName, manifest.description, ...manifest.contributes.commands.flatMap((command) => [command.title, command.category])];
    assert.deepEqual(texts.filter((text) => !/^%[\w.-]+%$/.test(text)), []);
  });
});

describe('l10n/bundle.l10n.json', () => {
  it('lists exactly the strings the code passes to vscode.l10n.t, each as its own English text', () => {
    const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
    const expected = stringsPassedToL10n(ROOT);
    assert.deepEqual(Object.keys(bundle).sort(), expected);
    for (const [key, text] of Object.entries(bundle)) assert.equal(text, key);
  });
});
