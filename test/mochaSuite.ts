// Runs a set of mocha test files programmatically and counts the results. Used both in plain Node
// (runMocha.ts) and inside the VS Code extension host (extension/index.ts).
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Counts } from './testOutput';

/** Every `*.test.js` file below `dir`, sorted so that runs are repeatable. */
export function findTestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.js'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export function runMochaFiles(files: string[], options: Mocha.MochaOptions): Promise<Counts> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', ...options });
  for (const file of files) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    try {
      const counts: Counts = { passed: 0, failed: 0 };
      mocha
        .run()
        .on('pass', () => counts.passed++)
        .on('fail', () => counts.failed++)
        .on('end', () => resolve(counts));
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
