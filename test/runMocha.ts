// Runs one plain-Node mocha suite: `node out/test/runMocha.js <suite> [<dir>]` runs every *.test.js below
// <dir> (default out/test/<suite>), prints mocha's spec output and then `<suite>: N passed, N failed`,
// writes test-output/results/<suite>.json and exits 1 when a test failed or none ran.
import { join, resolve } from 'node:path';
import { findTestFiles, runMochaFiles } from './mochaSuite';
import { countsLine, resultsPath, writeCounts } from './testOutput';

async function main(): Promise<number> {
  const [suite, dir] = process.argv.slice(2);
  if (!suite) {
    console.error('usage: node out/test/runMocha.js <suite> [<dir>]');
    return 2;
  }
  const files = findTestFiles(dir ? resolve(dir) : join(__dirname, suite));
  const counts = await runMochaFiles(files, { timeout: 10_000 });
  writeCounts(resultsPath(suite), counts);
  console.log(`${suite}: ${countsLine(counts)}`);
  return counts.failed === 0 && counts.passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
