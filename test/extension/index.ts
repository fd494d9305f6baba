// Entry point of the extension-host suite (the `extensionTestsPath` module): VS Code calls run() inside
// the extension host, under code-server (vscode/runExtensionTests.ts) or a desktop VS Code (@vscode/test-electron).
import { findTestFiles, runMochaFiles } from '../mochaSuite';
import { writeCounts } from '../testOutput';

export async function run(): Promise<void> {
  const counts = await runMochaFiles(findTestFiles(__dirname), { timeout: 60_000, color: false });
  // A second channel besides the exit code: the runner reads the counts from this file.
  const resultsFile = process.env.HF_VIDEO_TEST_RESULTS;
  if (resultsFile) writeCounts(resultsFile, counts);
  if (counts.failed > 0) throw new Error(`${counts.failed} extension test(s) failed`);
}
