// Where the test runners put what they produce, and the per-suite result files they share:
// every suite writes test-output/results/<suite>.json ({ passed, failed }) so that runAll can add them up.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Counts {
  passed: number;
  failed: number;
}

/** The repository root: the nearest folder above this file that holds package.json (works from test/ and out/test/). */
export const REPO_ROOT = findRepoRoot(__dirname);
export const TEST_OUTPUT = join(REPO_ROOT, 'test-output');
export const SCREENSHOTS = join(TEST_OUTPUT, 'screenshots');

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

export function resultsPath(suite: string): string {
  return join(TEST_OUTPUT, 'results', `${suite}.json`);
}

export function writeCounts(file: string, counts: Counts): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ passed: counts.passed, failed: counts.failed }) + '\n');
}

/** The counts a suite wrote, or undefined when it wrote none (it crashed or never ran). */
export function readCounts(file: string): Counts | undefined {
  try {
    const { passed, failed } = JSON.parse(readFileSync(file, 'utf8')) as Counts;
    return Number.isInteger(passed) && Number.isInteger(failed) ? { passed, failed } : undefined;
  } catch {
    return undefined;
  }
}

export function clearCounts(file: string): void {
  rmSync(file, { force: true });
}

export function countsLine(counts: Counts): string {
  return `${counts.passed} passed, ${counts.failed} failed`;
}
