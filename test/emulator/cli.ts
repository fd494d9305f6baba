// Runs the emulator: prints its base URL as the first stdout line, logs requests to stderr,
// and stops cleanly (exit 0) on SIGINT / SIGTERM.
import { helpText, parseCliArgs } from './cliArgs';
import { startEmulator } from './server';

async function main(): Promise<void> {
  const config = parseCliArgs(process.argv.slice(2));
  if (config.help) {
    process.stdout.write(helpText());
    return;
  }
  const emulator = await startEmulator({ ...config.options, log: (line) => process.stderr.write(`${line}\n`) });
  config.faults.forEach((fault) => emulator.injectFault(fault));
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Before the URL is printed: a signal sent as soon as it is read must find the handlers in place,
  // or Node's default action kills the process without the clean exit.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(`${emulator.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
});
