// Activation in the real extension host (code-server): each window load starts a new host, and the probe
// (activationProbe.ts) reports what `activate()` took and loaded, and what the on-demand part costs on first use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActivationCost } from '../../src/vscode/activationCost';
import { REPO_ROOT } from '../testOutput';
import { launchChromium, startCodeServer, workbenchUrl } from '../vscode/codeServer';
import { Cleanup, createWorkspace, makeTempDir, withTimeout } from '../vscode/fixtures';

const WINDOW_LOADS = 5;
const TARGET_MS = 20;
const TARGET_BYTES = 100 * 1024;

interface Load extends ActivationCost {
  extensionLoadMs: number;
  onDemandLoadMs: number;
  onDemandBytes: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function measureLoads(): Promise<Load[]> {
  const cleanup = new Cleanup();
  try {
    const resultsFile = join(cleanup.removeDir(makeTempDir('activation')), 'loads.jsonl');
    const workspace = cleanup.removeDir(createWorkspace());
    const server = await startCodeServer({ workspace, env: { HF_VIDEO_ACTIVATION_RESULTS: resultsFile }, logFile: 'bench-activation-code-server.log' });
    cleanup.add(() => server.stop());
    const browser = await launchChromium({ logFile: 'bench-activation-browser.log' });
    cleanup.add(() => browser.close());
    // The workbench reports the probe's end (and its console, not needed here) through these functions.
    let reportExit: () => void = () => undefined;
    await browser.page.exposeFunction('codeAutomationExit', () => reportExit());
    await browser.page.exposeFunction('codeAutomationLog', () => undefined);
    const probe = join(REPO_ROOT, 'out', 'test', 'bench', 'activationProbe.js');
    for (let load = 0; load < WINDOW_LOADS; load++) {
      const exited = new Promise<void>((resolve) => (reportExit = resolve));
      await browser.page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: REPO_ROOT, extensionTestsPath: probe }));
      await withTimeout(exited, 120_000, 'a window load of the activation probe');
    }
    return readFileSync(resultsFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Load);
  } finally {
    await cleanup.run();
  }
}

export async function benchActivation(print: (line?: string) => void): Promise<void> {
  const loads = await measureLoads();
  const middle = (measure: (load: Load) => number) => median(loads.map(measure));
  const loadedBytes = middle((load) => load.loadedFiles.reduce((sum, { bytes }) => sum + bytes, 0));
  const activationMs = middle((load) => load.extensionLoadMs + load.activateMs);
  const { onDemandBytes } = loads[0];
  print(`## Activation (code-server's extension host, median of ${loads.length} window loads)`);
  print();
  print('| part | size | load (ms) | activate() (ms) |');
  print('| --- | ---: | ---: | ---: |');
  print(`| at activation: ${loads[0].loadedFiles.map(({ file }) => file).join(', ')} | ${kb(loadedBytes)} | ${middle((load) => load.extensionLoadMs).toFixed(1)} | ${middle((load) => load.activateMs).toFixed(1)} |`);
  print(`| on first use: dist/onDemand.js (network, prompt-file parser) | ${kb(onDemandBytes)} | ${middle((load) => load.onDemandLoadMs).toFixed(1)} | |`);
  print();
  print(`Activation takes ${activationMs.toFixed(1)} ms (target ${TARGET_MS} ms: ${activationMs < TARGET_MS ? 'met' : 'missed'}) and loads ${kb(loadedBytes)} (target ${kb(TARGET_BYTES)}: ${loadedBytes < TARGET_BYTES ? 'met' : 'missed'}), ${(loadedBytes / (loadedBytes + onDemandBytes)).toFixed(2)}× the extension's code.`);
  print();
}
