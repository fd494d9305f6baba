// Runs the emulator: prints its base URL as the first stdout line, logs requests to stderr,
// and stops cleanly (exit 0) on SIGINT / SIGTERM.
import { helpText, parseCliArgs } from './cliArgs';
import { startEmulator } from './server';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Resolves on the first SIGINT or SIGTERM. Listening before anything starts means a signal sent during
 * start-up, or as soon as the URL line is read, still closes the emulator; the listeners stay, so a second
 * signal (a Ctrl-C that npm forwards on top of the terminal's) does not kill the process mid-close.
 */
function stopRequested(): Promise<void> {
  return new Promise((resolve) => STOP_SIGNALS.forEach((signal) => process.on(signal, () => resolve())));
}

async function main(): Promise<void> {
  const config = parseCliArgs(process.argv.slice(2));
  if (config.help) {
    process.stdout.write(helpText());
    return;
  }
  const stop = stopRequested();
  const emulator = await startEmulator({ ...config.options, log: (line) => process.stderr.write(`${line}\n`) });
  config.faults.forEach((fault) => emulator.injectFault(fault));
  process.stdout.write(`${emulator.url}\n`);
  await stop;
  await emulator.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  },
);
