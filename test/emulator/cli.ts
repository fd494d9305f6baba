// Runs the emulator: prints its base URL as the first stdout line, logs requests to stderr,
// and stops cleanly (exit 0) on SIGINT / SIGTERM.
import { helpText, parseCliArgs } from './cliArgs';
import { startEmulator } from './server';
import { stopSignal } from './stopSignal';

async function main(): Promise<void> {
  const config = parseCliArgs(process.argv.slice(2));
  if (config.help) {
    process.stdout.write(helpText());
    return;
  }
  const stopRequested = stopSignal();
  const emulator = await startEmulator({ ...config.options, log: (line) => process.stderr.write(`${line}\n`) });
  config.faults.forEach((fault) => emulator.injectFault(fault));
  process.stdout.write(`${emulator.url}\n`);
  await stopRequested;
  await emulator.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  },
);
