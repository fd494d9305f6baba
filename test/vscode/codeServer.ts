// The real VS Code of the test runners and of `npm start`: code-server 4.100.3 from npm (VS Code 1.100.3's
// server, Node extension host and web workbench), driven by Debian's Chromium through playwright-core.
// It is the one VS Code that installs from the npm registry with no other download: @vscode/test-electron and
// @vscode/test-web download VS Code from Microsoft, and no npm or Debian package ships desktop VS Code.
// 4.100.3 runs on Node 20 (releases from 4.103 on need a newer Node); engines.vscode and @types/vscode follow its 1.100.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CODE_SERVER_PACKAGES, ensureSystemPackages } from '../systemPackages';
import { REPO_ROOT, TEST_OUTPUT } from '../testOutput';
import { makeTempDir, withTimeout } from './fixtures';

export const CODE_SERVER_VERSION = '4.100.3';
const CACHE_DIR = join(REPO_ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const CODE_SERVER_BIN = join(CACHE_DIR, 'node_modules', '.bin', 'code-server');
// @vscode/ripgrep's postinstall downloads rg from GitHub unless this tarball is in its cache under TMPDIR.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const LOGS = join(TEST_OUTPUT, 'logs');
const run = promisify(execFile);

/**
 * Settings every test instance gets: no welcome page, no telemetry, no marketplace traffic, and no port
 * forwarding (code-server notices the tests' emulators and says so over the screenshots).
 */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'remote.autoForwardPorts': false,
};

/** Writes `<userDataDir>/User/settings.json`. */
export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
}

/** The version line of the cached code-server (`4.100.3 <commit> with Code 1.100.3`), if it runs. */
async function installedVersion(): Promise<string | undefined> {
  if (!existsSync(CODE_SERVER_BIN)) return undefined;
  try {
    const { stdout } = await run(CODE_SERVER_BIN, ['--config', '/dev/null', '--version'], { timeout: 30_000 });
    return stdout.split('\n').find((line) => /^\d+\.\d+\.\d+ /.test(line));
  } catch {
    return undefined;
  }
}

async function isInstalled(): Promise<boolean> {
  return (await installedVersion())?.startsWith(CODE_SERVER_VERSION) ?? false;
}

/** The system packages code-server's install needs; none once it is installed. */
export async function packagesForCodeServer(): Promise<readonly string[]> {
  return (await isInstalled()) ? [] : CODE_SERVER_PACKAGES;
}

/**
 * Installs code-server into the git-ignored cache unless it is there already; returns its executable.
 * Throws MissingSystemPackages, before anything else, when a package its install needs is missing.
 */
export async function ensureCodeServer(log: (line: string) => void = console.log): Promise<string> {
  if (await isInstalled()) return CODE_SERVER_BIN;
  ensureSystemPackages(CODE_SERVER_PACKAGES, undefined, log);
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${CACHE_DIR} (about 90 s, once)…`);
  const started = Date.now();
  mkdirSync(CACHE_DIR, { recursive: true });
  // A package.json of its own keeps npm from treating the extension's folder as the install root.
  writeFileSync(join(CACHE_DIR, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }) + '\n');
  const npmTmp = makeTempDir('npm');
  try {
    const rgDir = join(npmTmp, 'rg');
    mkdirSync(rgDir);
    copyFileSync('/usr/bin/rg', join(rgDir, 'rg'));
    mkdirSync(join(npmTmp, RIPGREP_CACHE));
    await run('tar', ['-czf', join(npmTmp, RIPGREP_CACHE, RIPGREP_TARBALL), '-C', rgDir, 'rg']);
    const env = {
      ...process.env,
      npm_config_unsafe_perm: 'true', // its postinstall refuses to run as root otherwise
      npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`
      npm_config_nodedir: '/usr', // build native modules against the local Node headers
      TMPDIR: npmTmp,
    };
    await new Promise<void>((resolve, reject) => {
      const npm = spawn('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
        cwd: CACHE_DIR,
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      npm.on('error', reject);
      npm.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm install code-server exited with ${code}`))));
    });
  } finally {
    rmSync(npmTmp, { recursive: true, force: true });
  }
  const version = await installedVersion();
  if (!version?.startsWith(CODE_SERVER_VERSION)) throw new Error(`code-server install failed: --version printed ${version}`);
  log(`code-server ${version} installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return CODE_SERVER_BIN;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface CodeServerOptions {
  /** The folder the workbench opens by default; none opens an empty window. */
  workspace?: string;
  /** User settings, on top of QUIET_SETTINGS. */
  settings?: Record<string, unknown>;
  /** A .vsix installed into the fresh extensions folder before the server starts. */
  installExtension?: string;
  /** Environment of the server and so of its extension host. */
  env?: NodeJS.ProcessEnv;
  /** Port to try first; code-server picks a free one when it is 0 or taken. */
  port?: number;
  /** Receives the server's output line by line. */
  onOutput?: (line: string) => void;
  /** Also writes the server's output to this file under test-output/logs/ when it stops. */
  logFile?: string;
}

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** The server's output so far, for diagnosing failures. */
  output: string[];
  /** Ends the server's whole process group and deletes its temporary folders. Safe to call twice. */
  stop(): Promise<void>;
}

/** Hands the child's stdout and stderr to `sink` line by line. */
export function collectLines(child: ChildProcess, sink: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      lines.forEach(sink);
    });
  }
}

/** What code-server prints once it listens, with the port it bound. */
const LISTENING_LINE = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//;
const START_TIMEOUT_MS = 60_000;

interface Launch {
  child: ChildProcess;
  /** The port from the listening line; undefined when the server stopped or never said it listens. */
  port: Promise<number | undefined>;
  exited: Promise<void>;
}

function launchCodeServer(bin: string, args: string[], env: NodeJS.ProcessEnv, sink: (line: string) => void): Launch {
  const child = spawn(bin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = new Promise<number | undefined>((resolve) => {
    collectLines(child, (line) => {
      sink(line);
      const match = LISTENING_LINE.exec(line);
      if (match) resolve(Number(match[1]));
    });
    // 'close', not 'exit': at 'exit' the lines saying why it stopped may still be in the pipe.
    child.once('close', () => resolve(undefined));
  });
  return {
    child,
    port: withTimeout(port, START_TIMEOUT_MS, 'code-server start-up').catch(() => undefined),
    exited: new Promise((resolve) => child.once('exit', () => resolve())),
  };
}

/**
 * Starts code-server on 127.0.0.1 with throwaway user-data and extensions folders, and waits until it listens.
 * code-server binds the port itself and says which: a port chosen beforehand could be taken before it binds.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const bin = await ensureCodeServer();
  const userDataDir = makeTempDir('user-data');
  const extensionsDir = makeTempDir('extensions');
  const cleanupDirs = () => [userDataDir, extensionsDir].forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  writeUserSettings(userDataDir, options.settings ?? {});
  // `--config` keeps code-server from writing a default config into the user's home.
  const dirs = ['--config', '/dev/null', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  // code-server takes its port from $PORT rather than from --bind-addr when that is set.
  const { PORT: _port, ...env } = { ...process.env, ...options.env };
  if (options.installExtension) {
    try {
      await run(bin, [...dirs, '--install-extension', options.installExtension], { env, timeout: 120_000 });
    } catch (error) {
      cleanupDirs();
      throw error;
    }
  }
  const output: string[] = [];
  const launch = (port: number) =>
    launchCodeServer(
      bin,
      [
        ...dirs,
        '--bind-addr', `127.0.0.1:${port}`,
        '--auth', 'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        ...(options.workspace ? [options.workspace] : []),
      ],
      env,
      (line) => {
        output.push(line);
        options.onOutput?.(line);
      },
    );
  let server = launch(options.port ?? 0);
  // The server runs in a process group of its own, so it would outlive a runner that exits without stop().
  const killOnExit = () => server.child.pid && killGroup(server.child.pid, 'SIGKILL');
  process.once('exit', killOnExit);
  exitOnSignals();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    const { child, exited } = server;
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      killGroup(child.pid, 'SIGTERM');
      const ended = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!ended) killGroup(child.pid, 'SIGKILL');
    }
    if (options.logFile) writeLog(options.logFile, output);
    cleanupDirs();
  };
  let port = await server.port;
  if (port === undefined && options.port && output.some((line) => line.includes('EADDRINUSE'))) {
    output.push(`port ${options.port} is taken: starting on a free one`);
    server = launch(0);
    port = await server.port;
  }
  if (port === undefined) {
    await stop();
    throw new Error(`code-server stopped or did not listen within ${START_TIMEOUT_MS / 1000} s:\n${output.slice(-30).join('\n')}`);
  }
  return { url: `http://127.0.0.1:${port}`, port, userDataDir, extensionsDir, output, stop };
}

/** Writes lines to test-output/logs/<name>. */
export function writeLog(name: string, lines: string[]): void {
  mkdirSync(LOGS, { recursive: true });
  writeFileSync(join(LOGS, name), lines.join('\n') + '\n');
}

/** Turns SIGINT/SIGTERM into a normal exit (so the 'exit' hooks run) unless the program handles them itself. */
function exitOnSignals(): void {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    if (process.listenerCount(signal) === 0) process.once(signal, () => process.exit(code));
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export interface WorkbenchOptions {
  /** The folder to open; none opens an empty window. */
  folder?: string;
  /** Loads the extension from this folder (the extension host's `--extensionDevelopmentPath`). */
  extensionDevelopmentPath?: string;
  /** Runs this tests module in the extension host (`--extensionTestsPath`). */
  extensionTestsPath?: string;
}

/** The workbench page; code-server takes the development options from the URL's `payload`. */
export function workbenchUrl(server: Pick<CodeServer, 'url' | 'port'>, options: WorkbenchOptions): string {
  const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  const query = new URLSearchParams({ ...(options.folder ? { folder: options.folder } : { ew: 'true' }), payload: JSON.stringify(payload) });
  return `${server.url}/?${query}`;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Closes Chromium and deletes its profile. Safe to call twice. */
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a fresh profile and no background traffic. */
export async function launchChromium(options: { logFile?: string } = {}): Promise<Browser> {
  const profile = makeTempDir('chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const browserLog: string[] = [];
  page.on('console', (message) => browserLog.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => browserLog.push(`[pageerror] ${error.message}`));
  let closed = false;
  return {
    context,
    page,
    close: async () => {
      if (closed) return;
      closed = true;
      await context.close().catch(() => undefined);
      if (options.logFile) writeLog(options.logFile, browserLog);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
