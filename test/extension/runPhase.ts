// The extension-host suite runs in phases, each an `extensionTestsPath` module that VS Code loads inside the
// extension host (under code-server, see vscode/runExtensionTests.ts, or a desktop VS Code through
// @vscode/test-electron). Between phases the runner restarts the extension host, so a phase can check
// what a new window finds (a job resumed after the host went away).
import { join } from 'node:path';
import { findTestFiles, runMochaFiles } from '../mochaSuite';
import { writeCounts } from '../testOutput';

export const EXTENSION_PHASES = ['suite', 'restartBefore', 'restartAfter'] as const;
export type ExtensionPhase = (typeof EXTENSION_PHASES)[number];

/** The counts file of one phase; the runner adds them up. */
export function phaseResultsPath(dir: string, phase: ExtensionPhase): string {
  return join(dir, `extension-${phase}.json`);
}

export async function runPhase(testsDir: string, phase: ExtensionPhase): Promise<void> {
  const counts = await runMochaFiles(findTestFiles(testsDir), { timeout: 60_000, color: false });
  // A second channel besides the exit code: the runner reads the counts from this file.
  const resultsDir = process.env.HF_VIDEO_TEST_RESULTS_DIR;
  if (resultsDir) writeCounts(phaseResultsPath(resultsDir, phase), counts);
  if (counts.failed > 0) throw new Error(`${counts.failed} extension test(s) failed`);
}
