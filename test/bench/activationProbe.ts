// Runs inside the extension host as its tests module (see activationBench.ts): records what activation took
// and loaded, how long each bundle takes to load, as one line of JSON per window load.
import { appendFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HfVideoApi } from '../../src/extension';
import { EXTENSION_ID } from '../extension/helpers';

/** Milliseconds to load and evaluate `file` afresh; the copy the extension uses stays in Node's cache. */
function timeLoad(file: string): number {
  const cached = require.cache[file];
  delete require.cache[file];
  const started = performance.now();
  require(file);
  const ms = performance.now() - started;
  if (cached) require.cache[file] = cached;
  return ms;
}

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<HfVideoApi>(EXTENSION_ID)!;
  const { activation } = await extension.activate();
  const bundle = (name: string) => join(extension.extensionPath, 'dist', name);
  const load = {
    ...activation,
    // The on-demand part first, while no copy of it is loaded: what its first use costs.
    onDemandLoadMs: timeLoad(bundle('onDemand.js')),
    onDemandBytes: statSync(bundle('onDemand.js')).size,
    extensionLoadMs: timeLoad(bundle('extension.js')),
  };
  appendFileSync(process.env.HF_VIDEO_ACTIVATION_RESULTS!, JSON.stringify(load) + '\n');
}
