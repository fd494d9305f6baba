// The strings the code passes to vscode.l10n.t, which l10n/bundle.l10n.json must list.
// `node out/test/l10nBundle.js --write` (npm run l10n) rewrites the bundle from the source: sorted, each key its own English text.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The English strings of every `vscode.l10n.t('…')` call under `root`/src (all single-quoted literals), each once, sorted. */
export function stringsPassedToL10n(root: string): string[] {
  const sources = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  const strings = sources.flatMap((file) =>
    [...readFileSync(join(root, 'src', file), 'utf8').matchAll(/vscode\.l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((match) => match[1].replace(/\\(.)/g, '$1')),
  );
  return [...new Set(strings)].sort();
}

if (require.main === module && process.argv.includes('--write')) {
  const root = join(__dirname, '..', '..');
  const strings = stringsPassedToL10n(root);
  writeFileSync(join(root, 'l10n', 'bundle.l10n.json'), `${JSON.stringify(Object.fromEntries(strings.map((text) => [text, text])), null, 2)}\n`);
  console.log(`l10n/bundle.l10n.json: ${strings.length} strings`);
}
