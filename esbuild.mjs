// Builds the extension (Node, `vscode` external) and the webview script (browser).
// `--tests` also transpiles src/ and test/ file by file into out/ for mocha and the test runners.
import { build, context } from 'esbuild';
import { cpSync, readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'info',
  legalComments: 'none',
};

const targets = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    metafile: true,
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  },
];

function listTs(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listTs(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

if (args.has('--tests')) {
  rmSync('out', { recursive: true, force: true });
  targets.push({
    entryPoints: [...listTs('src'), ...listTs('test')],
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

if (watch) {
  const contexts = await Promise.all(targets.map((options) => context(options)));
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  rmSync('dist', { recursive: true, force: true });
  const results = await Promise.all(targets.map((options) => build(options)));
  // The player's icons: the codicon font and its stylesheet ship in dist/, node_modules does not.
  for (const file of ['codicon.css', 'codicon.ttf']) cpSync(join('node_modules', '@vscode', 'codicons', 'dist', file), join('dist', 'codicons', file));
  const bytes = Object.values(results[0].metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  // A bundle budget keeps activation fast; undici dominates the size, mp4box (the player's media facts) adds 180 KB.
  const budget = 1000 * 1024;
  if (production && bytes > budget) {
    console.error(`dist/extension.js is ${bytes} bytes, over the ${budget}-byte budget`);
    process.exit(1);
  }
}
