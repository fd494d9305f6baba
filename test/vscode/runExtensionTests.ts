// Runs the extension-host suite (test/extension/**) inside a real VS Code with the extension loaded from
// this folder (dist/extension.js) and pointed at an in-process emulator.
//   - default: code-server's extension host, started by the workbench page that headless Chromium opens;
//   - with VSCODE_EXECUTABLE set: that desktop VS Code through @vscode/test-electron.
// Prints the extension host's output, then `extension: N passed, N failed`; exits with the suite's code.
import { runTests } from '@vscode/test-electron';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { startEmulator } from '../emulator/server';
import { EXTENSION_PHASES, phaseResultsPath, type ExtensionPhase } from '../extension/runPhase';
import { clearCounts, countsLine, readCounts, REPO_ROOT, resultsPath, TEST_OUTPUT, writeCounts, type Counts } from '../testOutput';
import { launchChromium, startCodeServer, workbenchUrl, writeLog, writeUserSettings } from './codeServer';
import { Cleanup, createWorkspace, emulatorSettings, makeTempDir, TEST_READ_ONLY_TOKEN, TEST_TOKEN, withTimeout } from './fixtures';

const SUITE = 'extension';
const OVERALL_TIMEOUT_MS = 10 * 60_000;
const phaseModule = (phase: ExtensionPhase) => join(REPO_ROOT, 'out', 'test', 'extension', phase, 'index.js');

interface Launch {
  workspace: string;
  settings: Record<string, unknown>;
  env: Record<string, string>;
  cleanup: Cleanup;
}

// Workbench chatter that reaches codeAutomationLog besides the extension host's console: connection
// set-up and the failed marketplace look-up (no internet here). Kept in the log file, not echoed.
const WORKBENCH_NOISE = [
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
  /ENOTFOUND open-vsx\.org/,
];

/** codeAutomationLog receives console calls as (type, [format, ...args]). */
function echoHostLog(type: string, args: unknown, log: string[]): void {
  const line = format(...(Array.isArray(args) ? args : [args]));
  log.push(`[${type}] ${line}`);
  if (WORKBENCH_NOISE.some((noise) => noise.test(line))) return;
  if (type === 'error') console.error(line);
  else console.log(line);
}

async function runInCodeServer({ workspace, settings, env, cleanup }: Launch): Promise<number> {
  const server = await startCodeServer({ workspace, settings, env, logFile: `${SUITE}-code-server.log` });
  cleanup.add(() => server.stop());
  const browser = await launchChromium({ logFile: `${SUITE}-browser.log` });
  cleanup.add(() => browser.close());
  // What the workbench showed at the end (or when the suite hung), for diagnosis.
  cleanup.add(() => browser.page.screenshot({ path: join(TEST_OUTPUT, 'logs', `${SUITE}-workbench.png`) }));
  // The workbench reports the extension host's console and exit code through these two functions.
  let reportExit: (code: number) => void = () => undefined;
  await browser.page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
  const hostLog: string[] = [];
  cleanup.add(() => writeLog(`${SUITE}-host.log`, hostLog));
  await browser.page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => echoHostLog(type, args, hostLog));
  // Each phase loads the workbench anew, which starts a new extension host: what a window reload does.
  let worst = 0;
  for (const phase of EXTENSION_PHASES) {
    const exitCode = new Promise<number>((resolve) => (reportExit = resolve));
    await browser.page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: REPO_ROOT, extensionTestsPath: phaseModule(phase) }));
    worst = Math.max(worst, await exitCode);
  }
  return worst;
}

async function runInDesktop(executable: string, { workspace, settings, env, cleanup }: Launch): Promise<number> {
  const userDataDir = cleanup.removeDir(makeTempDir('user-data'));
  const extensionsDir = cleanup.removeDir(makeTempDir('extensions'));
  writeUserSettings(userDataDir, settings);
  let worst = 0;
  for (const phase of EXTENSION_PHASES) {
    try {
      const code = await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: REPO_ROOT,
        extensionTestsPath: phaseModule(phase),
        extensionTestsEnv: env,
        launchArgs: [workspace, `--user-data-dir=${userDataDir}`, `--extensions-dir=${extensionsDir}`, '--disable-extensions'],
      });
      worst = Math.max(worst, code);
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      worst = 1;
    }
  }
  return worst;
}

/** The phases' counts added up; undefined when a phase wrote none (it crashed or never ran). */
function phaseCounts(dir: string): Counts | undefined {
  const total: Counts = { passed: 0, failed: 0 };
  for (const phase of EXTENSION_PHASES) {
    const counts = readCounts(phaseResultsPath(dir, phase));
    if (!counts) return undefined;
    total.passed += counts.passed;
    total.failed += counts.failed;
  }
  return total;
}

async function main(): Promise<number> {
  const started = Date.now();
  const resultsFile = resultsPath(SUITE);
  clearCounts(resultsFile);
  const cleanup = new Cleanup();
  const phasesDir = join(TEST_OUTPUT, 'results', `${SUITE}-phases`);
  rmSync(phasesDir, { recursive: true, force: true });
  let exitCode = 1;
  try {
    const emulator = await startEmulator({ port: 0, tokens: [TEST_TOKEN], readOnlyTokens: [TEST_READ_ONLY_TOKEN], queueMs: 300, runMs: 1_000 });
    cleanup.add(() => emulator.close());
    const workspace = cleanup.removeDir(createWorkspace());
    const launch: Launch = {
      workspace,
      settings: emulatorSettings(emulator.url),
      // The extension host inherits these from code-server (or gets them from test-electron).
      env: {
        HF_VIDEO_EMULATOR_URL: emulator.url,
        HF_VIDEO_TEST_TOKEN: TEST_TOKEN,
        HF_VIDEO_TEST_READ_ONLY_TOKEN: TEST_READ_ONLY_TOKEN,
        HF_VIDEO_TEST_RESULTS_DIR: phasesDir,
        HF_VIDEO_TEST_WORKSPACE: workspace,
      },
      cleanup,
    };
    const executable = process.env.VSCODE_EXECUTABLE;
    console.log(`Running the extension-host suite in ${executable ? `desktop VS Code (${executable})` : 'code-server'}…`);
    exitCode = await withTimeout(
      executable ? runInDesktop(executable, launch) : runInCodeServer(launch),
      OVERALL_TIMEOUT_MS,
      'extension-host suite',
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
  } finally {
    await cleanup.run();
  }
  const counts = phaseCounts(phasesDir);
  if (!counts) {
    console.error(`${SUITE}: a phase of the suite wrote no results`);
    return 1;
  }
  writeCounts(resultsFile, counts);
  console.log(`The extension-host suite took ${Math.round((Date.now() - started) / 1000)} s.`);
  console.log(`${SUITE}: ${countsLine(counts)}`);
  return exitCode === 0 && counts.failed === 0 && counts.passed > 0 ? 0 : 1;
}

void main().then((code) => process.exit(code));
