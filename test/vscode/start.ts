// `npm start`: VS Code with this extension loaded from the folder (--extensionDevelopmentPath), talking to
// the emulator with a demo token, or to Hugging Face itself when HF_TOKEN is set.
//   - `code` on PATH: desktop VS Code with a throwaway user-data folder holding the settings;
//   - otherwise, or with --code-server: code-server on 127.0.0.1 (port $PORT, else 8080, else any free
//     one; PORT=0 takes any free one); open the printed URL. Before anything else it checks the system
//     packages code-server's first install needs (see ../systemPackages.ts).
// Optional argument: the folder to open (default: a fresh folder with a sample prompt.txt).
// Ctrl-C stops everything it started and then prints "Stopped.".
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { startEmulator } from '../emulator/server';
import { stopSignal } from '../emulator/stopSignal';
import { REPO_ROOT } from '../testOutput';
import { ensureCodeServer, startCodeServer, workbenchUrl, writeUserSettings } from './codeServer';
import { Cleanup, createWorkspace, emulatorSettings, makeTempDir } from './fixtures';

const SAMPLE_PROMPT_FILE = 'lighthouse.video.md';
const DEMO_TOKEN = 'hf_demoTokenForTheLocalEmulator';

function onPath(command: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, command))
    .find((file) => existsSync(file));
}

/** Listening from the start lets a Ctrl-C during start-up clean up too. */
const stopRequested = stopSignal();

async function runDesktop(code: string, workspace: string, settings: Record<string, unknown>, cleanup: Cleanup): Promise<void> {
  const userDataDir = cleanup.removeDir(makeTempDir('user-data'));
  writeUserSettings(userDataDir, settings);
  console.log(`Starting ${code} with the extension from ${REPO_ROOT}…`);
  const sample = join(workspace, SAMPLE_PROMPT_FILE);
  const open = existsSync(sample) ? [workspace, sample] : [workspace];
  const child = spawn(code, [`--user-data-dir=${userDataDir}`, `--extensionDevelopmentPath=${REPO_ROOT}`, '--new-window', '--wait', ...open], {
    stdio: 'inherit',
  });
  cleanup.add(() => child.exitCode === null && child.kill());
  console.log('Close the VS Code window or press Ctrl-C to stop.');
  await Promise.race([new Promise((done) => child.once('exit', done)), stopRequested]);
}

async function runCodeServer(workspace: string, settings: Record<string, unknown>, cleanup: Cleanup): Promise<void> {
  const server = await startCodeServer({ workspace, settings, port: Number(process.env.PORT ?? 8080), logFile: 'start-code-server.log' });
  cleanup.add(() => server.stop());
  console.log('\nVS Code (code-server) is running with the extension loaded from this folder. Open:');
  console.log(`\n  ${workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: REPO_ROOT })}\n`);
  console.log('Press Ctrl-C to stop.');
  await stopRequested;
}

/** The demo folder: a prompt to select, and the sample prompt file with its shots. */
function demoWorkspace(): string {
  const workspace = createWorkspace();
  copyFileSync(join(REPO_ROOT, 'media', 'sample.video.md'), join(workspace, SAMPLE_PROMPT_FILE));
  return workspace;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const folder = args.find((arg) => !arg.startsWith('--'));
  const code = args.includes('--code-server') ? undefined : onPath('code');
  // First, so that a missing system package stops it with one line and nothing to clean up.
  if (!code) await ensureCodeServer();
  const cleanup = new Cleanup();
  try {
    const workspace = folder ? resolve(folder) : cleanup.removeDir(demoWorkspace());
    let settings: Record<string, unknown> = {};
    if (process.env.HF_TOKEN) {
      console.log('HF_TOKEN is set: using Hugging Face itself (no emulator; generations may cost credits).');
      console.log('VS Code will offer to import the token from HF_TOKEN (it is checked with the Hub first).');
    } else {
      const emulator = await startEmulator({ port: 0, tokens: [DEMO_TOKEN], queueMs: 1_500, runMs: 4_000 });
      cleanup.add(() => emulator.close());
      settings = emulatorSettings(emulator.url);
      console.log(`Hugging Face emulator listening on ${emulator.url} (set HF_TOKEN to use the real service).`);
      console.log(`When VS Code asks for your Hugging Face token, paste: ${DEMO_TOKEN}`);
    }
    console.log(`Workspace: ${workspace}`);
    if (!folder) console.log(`Try ${SAMPLE_PROMPT_FILE}: the "Generate All" line above its front matter makes every shot.`);
    if (code) await runDesktop(code, workspace, settings, cleanup);
    else await runCodeServer(workspace, settings, cleanup);
  } finally {
    console.log('Stopping…');
    await cleanup.run();
    console.log('Stopped.');
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
