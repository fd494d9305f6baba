// The Debian packages that `npm start`, `npm test` and CI need (the one list of them), and the check
// they run before they begin: what is missing is installed when that needs no prompt (root, or sudo
// without a password, as in CI); otherwise the check stops with one line naming the command to run.
import { spawnSync } from 'node:child_process';

/** code-server's install (once, into .vscode-test/) builds native modules and needs a local rg. */
export const CODE_SERVER_PACKAGES: readonly string[] = [
  'build-essential', // node-gyp's compiler and make
  'python3', // node-gyp
  'libkrb5-dev', // headers of the kerberos module
  'ripgrep', // stands in for the rg that @vscode/ripgrep would download from GitHub
];

/** The suites that drive the workbench open it in Debian's Chromium through playwright-core. (No ffmpeg: the test videos are committed.) */
export const BROWSER_PACKAGES: readonly string[] = ['chromium'];

/** What the check needs to know about the machine, and the one thing it does to it. */
export interface Machine {
  /** Whether the package is installed; undefined when this machine has no dpkg to ask. */
  isInstalled(name: string): boolean | undefined;
  isRoot: boolean;
  /** Whether `sudo -n` runs without asking for a password. */
  hasPasswordlessSudo(): boolean;
  hasCommand(command: string): boolean;
  /** Runs a command with its output shown and no input; returns its exit code. */
  run(command: string[]): number;
}

type PackagePlan = { action: 'none' } | { action: 'install'; commands: string[][] } | { action: 'ask'; message: string };

export class MissingSystemPackages extends Error {}

/** Which of `packages` are missing; none on a machine without dpkg, where the README has to do. */
function missingPackages(packages: readonly string[], machine: Machine): string[] {
  return [...new Set(packages)].filter((name) => machine.isInstalled(name) === false);
}

/** What comes before apt-get to install without a prompt, or undefined when that is not possible. */
function promptlessPrefix(machine: Machine): string[] | undefined {
  if (!machine.hasCommand('apt-get')) return undefined;
  if (machine.isRoot) return [];
  return machine.hasPasswordlessSudo() ? ['sudo', '-n'] : undefined;
}

/** What to do about the missing packages: nothing, install them without a prompt, or ask the user to. */
function planPackages(missing: string[], machine: Machine): PackagePlan {
  if (missing.length === 0) return { action: 'none' };
  // A fresh machine may have no package lists yet.
  const steps = [['apt-get', 'update'], ['apt-get', 'install', '-y', ...missing]];
  const prefix = promptlessPrefix(machine);
  if (prefix) return { action: 'install', commands: steps.map((step) => [...prefix, ...step, '-qq']) };
  const sudo = machine.isRoot ? '' : 'sudo ';
  return { action: 'ask', message: `Missing system packages: ${missing.join(' ')}. Install them with: ${steps.map((step) => sudo + step.join(' ')).join(' && ')}` };
}

/** Installs what is missing of `packages` when it can; throws MissingSystemPackages (one line) when it cannot. */
export function ensureSystemPackages(packages: readonly string[], machine: Machine = debianMachine(), log: (line: string) => void = console.log): void {
  const missing = missingPackages(packages, machine);
  const plan = planPackages(missing, machine);
  if (plan.action === 'none') return;
  if (plan.action === 'ask') throw new MissingSystemPackages(plan.message);
  log(`Installing the system packages ${missing.join(' ')}…`);
  for (const command of plan.commands) {
    const code = machine.run(command);
    if (code !== 0) throw new MissingSystemPackages(`\`${command.join(' ')}\` failed (exit code ${code}); install ${missing.join(' ')} and try again.`);
  }
  const stillMissing = missingPackages(missing, machine);
  if (stillMissing.length > 0) throw new MissingSystemPackages(`Still missing after apt-get install: ${stillMissing.join(' ')}.`);
}

/** This machine, asked through dpkg-query and PATH. */
function debianMachine(): Machine {
  const succeeds = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
  return {
    isInstalled(name) {
      const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
      if (query.error) return undefined;
      return query.status === 0 && query.stdout.includes('install ok installed');
    },
    isRoot: process.getuid?.() === 0,
    hasPasswordlessSudo: () => succeeds('sudo', ['-n', 'true']),
    hasCommand: (command) => succeeds('sh', ['-c', `command -v ${command}`]),
    run: ([command, ...args]) =>
      spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status ?? 1,
  };
}
