// `npm start` as the README runs it, headless: it prints the workbench URL, the workbench answers with the
// extension loaded from this folder, and Ctrl-C stops it with no process and no temporary folder left.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { REPO_ROOT, SCREENSHOTS } from '../testOutput';
import { waitUntil, Workbench } from '../ui/workbench';
import { collectLines, launchChromium, writeLog, type Browser } from '../vscode/codeServer';
import { processTree, survivors, type ProcessEntry } from './processes';

// The line start.ts prints for the user to open: two spaces, then the URL.
const URL_LINE = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/\?\S+)$/;
const WORKSPACE_LINE = /^Workspace: (.+)$/;

/** GETs `url`; resolves to its status and body. */
function fetchPage(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { timeout: 30_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('timeout', function (this: { destroy(error: Error): void }) {
        this.destroy(new Error(`GET ${url} timed out`));
      })
      .on('error', reject);
  });
}

function killGroups(entries: ProcessEntry[]): void {
  for (const group of new Set(entries.map((entry) => entry.groupId))) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

describe('npm start (headless, stopped with Ctrl-C)', function () {
  this.timeout(60_000);
  this.bail(true); // each step needs the one before

  const output: string[] = [];
  let npm: ChildProcess;
  let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let url: string;
  let browser: Browser | undefined;
  let workbench: Workbench | undefined;
  /** What npm start was running just before Ctrl-C. */
  let started: ProcessEntry[] = [];

  before(() => {
    // Its own process group, as a terminal gives it, so that a Ctrl-C reaches npm, its shell and start.js alike.
    // --code-server: the browser VS Code even where a desktop `code` is on PATH; PORT=0: any free port.
    const { HF_TOKEN: _token, ...env } = process.env;
    npm = spawn('npm', ['start', '--', '--code-server'], { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, PORT: '0' } });
    exit = new Promise((resolve) => npm.once('exit', (code, signal) => resolve({ code, signal })));
    collectLines(npm, (line) => output.push(line));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) await workbench.screenshot('failure').catch(() => undefined);
  });

  after(async () => {
    await browser?.close();
    // When a step failed: end whatever is still running.
    killGroups(survivors([...started, ...processTree(npm.pid!)]));
    writeLog('start-npm.log', output);
  });

  it('prints the workbench URL', async function () {
    this.timeout(330_000); // a build, and a first-time code-server install
    const ended = exit.then(({ code, signal }) => Promise.reject(new Error(`npm start ended (code ${code}, signal ${signal})`)));
    const line = await Promise.race([waitUntil('the workbench URL', () => output.find((text) => URL_LINE.test(text)), 300_000), ended]).catch((error: Error) => {
      throw new Error(`no workbench URL: ${error.message}. npm start printed:\n${output.slice(-20).join('\n')}`);
    });
    url = URL_LINE.exec(line)![1];
  });

  it('serves the workbench at that URL', async () => {
    const { status, body } = await fetchPage(url);
    assert.equal(status, 200);
    assert.match(body, /workbench/);
  });

  it('has the extension loaded: its Show Log command opens its log', async function () {
    this.timeout(240_000);
    browser = await launchChromium({ logFile: 'start-browser.log' });
    workbench = new Workbench(browser.page, join(SCREENSHOTS, 'start'));
    await browser.page.goto(url);
    await workbench.waitForWorkspace(120_000);
    // The command is there once the workbench has read the extension's package.json; its log view opens
    // only when the extension has activated and run it.
    await workbench.runCommand('Hugging Face: Show Log', 120_000);
    await browser.page.locator('.output-view[aria-label="Hugging Face Video - Output"]').waitFor({ timeout: 60_000 });
    await workbench.screenshot('extension-log');
  });

  it('stops on Ctrl-C and leaves no process and no temporary folder behind', async function () {
    this.timeout(120_000);
    started = processTree(npm.pid!);
    assert.ok(started.some((entry) => entry.command.includes('code-server')), `no code-server among:\n${started.map((entry) => entry.command).join('\n')}`);
    await browser?.close(); // first, as a user closes the tab
    process.kill(-npm.pid!, 'SIGINT');
    const { code, signal } = await exit;
    // npm ends itself with the SIGINT it got once the script has finished, as a shell expects of Ctrl-C.
    assert.ok(signal === 'SIGINT' || code === 0 || code === 130, `npm start ended with code ${code}, signal ${signal}`);
    assert.ok(output.includes('Stopped.'), `start.js did not finish its clean-up:\n${output.slice(-20).join('\n')}`);
    await waitUntil('every process npm start started to end', () => survivors(started).length === 0, 30_000).catch(() => {
      assert.deepEqual(survivors(started).map((entry) => `${entry.pid} ${entry.command}`), []);
    });
    const workspace = output.map((text) => WORKSPACE_LINE.exec(text)?.[1]).find(Boolean);
    assert.ok(workspace, 'npm start printed no Workspace line');
    assert.ok(!existsSync(workspace), `${workspace} is still there`);
  });
});
