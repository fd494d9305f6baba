// `npm test` (after `node esbuild.mjs --tests`): first the system packages the suites need (installed when
// that needs no prompt, else one line naming the command and exit 1), then every check and suite in
// order, each as a child process: type-check, unit suite, packaging (no warnings allowed), extension-host
// suite, UI suite, and `npm start` run headless and stopped with Ctrl-C.
// Ends with a summary whose last line is `N passed, N failed` over all suites; a failed check counts as
// one failed test. Exits 1 when anything failed or a suite ran no test.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BROWSER_PACKAGES, ensureSystemPackages } from './systemPackages';
import { clearCounts, countsLine, readCounts, REPO_ROOT, resultsPath, type Counts } from './testOutput';
import { packagesForCodeServer } from './vscode/codeServer';

interface Step {
  name: string;
  command: string;
  args: string[];
  /** A test suite that writes test-output/results/<name>.json; otherwise a pass/fail check. */
  suite?: boolean;
  /** Output that fails the step even when the command succeeds. */
  forbidden?: RegExp;
  /** A step that must have passed before this one can run. */
  needs?: string;
}

interface Outcome {
  name: string;
  ok: boolean;
  counts?: Counts;
  note: string;
  seconds: number;
}

const node = process.execPath;
const testScript = (...path: string[]) => join(REPO_ROOT, 'out', 'test', ...path);

const STEPS: Step[] = [
  { name: 'type-check', command: node, args: [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', '.'] },
  { name: 'unit', command: node, args: [testScript('runMocha.js'), 'unit'], suite: true },
  { name: 'package', command: 'npm', args: ['run', 'package'], forbidden: /WARNING/ },
  { name: 'extension', command: node, args: [testScript('vscode', 'runExtensionTests.js')], suite: true },
  { name: 'ui', command: node, args: [testScript('runMocha.js'), 'ui'], suite: true, needs: 'package' },
  // Last: `npm start` rebuilds out/ and dist/ as it begins.
  { name: 'start', command: node, args: [testScript('runMocha.js'), 'start'], suite: true },
];

/** Runs a command with its output shown as it comes; resolves to its exit code and output. */
function execute(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on('error', (error) => {
      output += String(error);
      resolve({ code: 1, output });
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function runStep(step: Step, earlier: Outcome[]): Promise<Outcome> {
  const started = Date.now();
  const done = (ok: boolean, note: string, counts?: Counts): Outcome => ({
    name: step.name,
    ok,
    counts,
    note,
    seconds: Math.round((Date.now() - started) / 1000),
  });
  console.log(`\n=== ${step.name} ===`);
  const prerequisite = earlier.find((outcome) => outcome.name === step.needs);
  if (prerequisite && !prerequisite.ok) {
    const note = `not run: ${step.needs} failed`;
    console.log(note);
    return done(false, note, step.suite ? { passed: 0, failed: 1 } : undefined);
  }
  if (step.suite) clearCounts(resultsPath(step.name));
  const { code, output } = await execute(step.command, step.args);
  const forbidden = step.forbidden && output.match(new RegExp(`^.*${step.forbidden.source}.*$`, 'm'));
  if (!step.suite) {
    if (code !== 0) return done(false, `failed (exit code ${code})`);
    if (forbidden) return done(false, `failed: ${forbidden[0].trim()}`);
    return done(true, 'ok');
  }
  const counts = readCounts(resultsPath(step.name));
  if (!counts) return done(false, `crashed (exit code ${code}, no results)`, { passed: 0, failed: 1 });
  if (counts.passed + counts.failed === 0) return done(false, 'ran no test', { passed: 0, failed: 1 });
  return done(code === 0 && counts.failed === 0, countsLine(counts), counts);
}

async function main(): Promise<number> {
  try {
    ensureSystemPackages([...BROWSER_PACKAGES, ...(await packagesForCodeServer())]);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  }
  const outcomes: Outcome[] = [];
  for (const step of STEPS) outcomes.push(await runStep(step, outcomes));
  const total: Counts = { passed: 0, failed: 0 };
  console.log('\n=== summary ===');
  for (const outcome of outcomes) {
    total.passed += outcome.counts?.passed ?? 0;
    total.failed += Math.max(outcome.counts?.failed ?? 0, outcome.ok ? 0 : 1);
    const status = outcome.ok ? 'ok  ' : 'FAIL';
    console.log(`${status} ${outcome.name.padEnd(10)} ${outcome.note.padEnd(40)} ${String(outcome.seconds).padStart(4)} s`);
  }
  console.log(countsLine(total));
  return outcomes.every((outcome) => outcome.ok) ? 0 : 1;
}

void main().then((code) => process.exit(code));
