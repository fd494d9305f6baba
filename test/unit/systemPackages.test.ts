// The check `npm start`, `npm test` and CI run before they begin: nothing to do, install without a prompt,
// or stop with the one line to run, on a pretend machine.
import * as assert from 'node:assert/strict';
import { CODE_SERVER_PACKAGES, ensureSystemPackages, MissingSystemPackages, type Machine } from '../systemPackages';

interface PretendMachine extends Machine {
  /** Every command run, joined with spaces. */
  ran: string[];
}

function pretendMachine(options: { installed?: string[]; isRoot?: boolean; sudo?: boolean; commands?: string[]; dpkg?: boolean; failing?: string; installsNothing?: boolean } = {}): PretendMachine {
  const installed = new Set(options.installed ?? []);
  const commands = new Set(options.commands ?? ['apt-get', 'sudo']);
  const ran: string[] = [];
  return {
    ran,
    isInstalled: (name) => (options.dpkg === false ? undefined : installed.has(name)),
    isRoot: options.isRoot ?? false,
    hasPasswordlessSudo: () => options.sudo ?? false,
    hasCommand: (command) => commands.has(command),
    run(command) {
      ran.push(command.join(' '));
      if (command.join(' ') === options.failing) return 100;
      const install = command.indexOf('install');
      if (install >= 0 && !options.installsNothing) command.slice(install + 1).filter((arg) => !arg.startsWith('-')).forEach((name) => installed.add(name));
      return 0;
    },
  };
}

const quiet = () => undefined;

describe('system packages', () => {
  it('does nothing when every package is installed', () => {
    const machine = pretendMachine({ installed: [...CODE_SERVER_PACKAGES] });
    ensureSystemPackages(CODE_SERVER_PACKAGES, machine, quiet);
    assert.deepEqual(machine.ran, []);
  });

  it('as root, installs only the missing ones, after apt-get update', () => {
    const machine = pretendMachine({ installed: ['build-essential', 'python3'], isRoot: true });
    const logged: string[] = [];
    ensureSystemPackages(CODE_SERVER_PACKAGES, machine, (line) => logged.push(line));
    assert.deepEqual(machine.ran, ['apt-get update -qq', 'apt-get install -y libkrb5-dev ripgrep -qq']);
    assert.deepEqual(logged, ['Installing the system packages libkrb5-dev ripgrep…']);
  });

  it('with sudo that needs no password, installs through sudo -n', () => {
    const machine = pretendMachine({ installed: ['build-essential', 'python3', 'libkrb5-dev'], sudo: true });
    ensureSystemPackages(CODE_SERVER_PACKAGES, machine, quiet);
    assert.deepEqual(machine.ran, ['sudo -n apt-get update -qq', 'sudo -n apt-get install -y ripgrep -qq']);
  });

  it('when it would have to ask for a password, stops with one line naming the exact command', () => {
    const machine = pretendMachine({ installed: ['build-essential', 'python3'] });
    assert.throws(
      () => ensureSystemPackages([...CODE_SERVER_PACKAGES, 'chromium'], machine, quiet),
      (error: Error) => {
        assert.ok(error instanceof MissingSystemPackages);
        assert.equal(error.message, 'Missing system packages: libkrb5-dev ripgrep chromium. Install them with: sudo apt-get update && sudo apt-get install -y libkrb5-dev ripgrep chromium');
        return true;
      },
    );
    assert.deepEqual(machine.ran, []);
  });

  it('as root without apt-get, names the command without sudo', () => {
    const machine = pretendMachine({ isRoot: true, commands: [] });
    assert.throws(() => ensureSystemPackages(['ripgrep'], machine, quiet), {
      message: 'Missing system packages: ripgrep. Install them with: apt-get update && apt-get install -y ripgrep',
    });
    assert.deepEqual(machine.ran, []);
  });

  it('names a package once even when two lists need it', () => {
    const machine = pretendMachine();
    assert.throws(() => ensureSystemPackages(['ripgrep', 'chromium', 'ripgrep'], machine, quiet), /packages: ripgrep chromium\./);
  });

  it('stops at the first failed apt-get, naming it', () => {
    const machine = pretendMachine({ isRoot: true, failing: 'apt-get update -qq' });
    assert.throws(() => ensureSystemPackages(['chromium'], machine, quiet), {
      message: '`apt-get update -qq` failed (exit code 100); install chromium and try again.',
    });
    assert.deepEqual(machine.ran, ['apt-get update -qq']);
  });

  it('says so when apt-get succeeded but a package is still missing', () => {
    const machine = pretendMachine({ isRoot: true, installsNothing: true });
    assert.throws(() => ensureSystemPackages(['chromium'], machine, quiet), { message: 'Still missing after apt-get install: chromium.' });
  });

  it('checks nothing on a machine without dpkg', () => {
    const machine = pretendMachine({ dpkg: false });
    ensureSystemPackages(CODE_SERVER_PACKAGES, machine, quiet);
    assert.deepEqual(machine.ran, []);
  });
});
