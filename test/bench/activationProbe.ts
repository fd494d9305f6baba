// Runs inside the extension host as its tests module (see activationBench.ts): records what activation took
// and loaded, then how long the on-demand part takes to load on its first use, as one line of JSON.
import { appendFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HfVideoApi } from '../../src/extension';
import { EXTENSION_ID } from '../extension/helpers';

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<HfVideoApi>(EXTENSION_ID)!;
  const { activation } = await extension.activate();
  const onDemandFile = join(extension.extensionPath, 'dist', 'onDemand.js');
  const started = performance.now();
  require(onDemandFile);
  const onDemandMs = performance.now() - started;
  const load = { ...activation, onDemandMs, onDemandBytes: statSync(onDemandFile).size };
  appendFileSync(process.env.HF_VIDEO_ACTIVATION_RESULTS!, JSON.stringify(load) + '\n');
}
