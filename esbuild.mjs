// Builds the extension (Node, `vscode` external: dist/extension.js for activation, dist/onDemand.js and dist/studioPanel.js for first use) and the webview script (browser).
// `--tests` also transpiles src/ and test/ file by file into out/ for mocha and the test runners.
import { build, context } from 'esbuild';
import { cpSync, readdirSync, statSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

// Activation loads dist/extension.js only; the network code (undici) and the prompt-file parser (yaml) are
// bundled apart into dist/onDemand.js, which src/vscode/onDemand.ts requires on first use; the video studio's
// panel into dist/studioPanel.js, which src/vscode/studio.ts requires when the studio is first opened.
const LAZY_MODULES = { [resolve('src/onDemand.ts')]: './onDemand.js', [resolve('src/studioPanel.ts')]: './studioPanel.js' };
const loadOnDemandLazily = {
  name: 'load-on-demand-lazily',
  setup(build) {
    build.onResolve({ filter: /\/(onDemand|studioPanel)$/ }, ({ path, resolveDir }) => {
      const lazy = LAZY_MODULES[resolve(resolveDir, `${path}.ts`)];
      return lazy ? { path: lazy, external: true } : undefined;
    });
  },
};
/** Bytes each bundle may have, checked in every build; activation's is the budget that keeps it fast. */
const BUDGETS = { 'dist/extension.js': 100 * 1024, 'dist/onDemand.js': 900 * 1024, 'dist/studioPanel.js': 120 * 1024 };

// Minified in every build, so the tests load what ships (and the activation budget holds for both); the
// linked source map of a development build keeps stack traces readable in the debugger.
const extensionPart = {
  ...common,
  minify: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  metafile: true,
};

const targets = [
  { ...extensionPart, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [loadOnDemandLazily] },
  { ...extensionPart, entryPoints: ['src/onDemand.ts'], outfile: 'dist/onDemand.js' },
  { ...extensionPart, entryPoints: ['src/studioPanel.ts'], outfile: 'dist/studioPanel.js', plugins: [loadOnDemandLazily] },
  ...[
    ['src/webview/main.ts', 'dist/webview.js'],
    // The compare view's and the studio's pages: the player's modules (and the form's), one script each.
    ['src/webview/compareMain.ts', 'dist/compare.js'],
    ['src/webview/studioMain.ts', 'dist/studio.js'],
  ].map(([entry, outfile]) => ({ ...common, entryPoints: [entry], outfile, platform: 'browser', format: 'iife', target: 'chrome120' })),
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
  const outputs = results.flatMap((result) => Object.entries(result.metafile?.outputs ?? {}));
  const overBudget = outputs.filter(([file, { bytes }]) => file in BUDGETS && bytes > BUDGETS[file]);
  for (const [file, { bytes }] of overBudget) console.error(`${file} is ${bytes} bytes, over its ${BUDGETS[file]}-byte budget`);
  if (overBudget.length) process.exit(1);
}
