// How the command-line entry points (the emulator CLI, `npm start`) learn that they should stop.

/**
 * Resolves on the first SIGINT (Ctrl-C) or SIGTERM. Called before anything starts, so that a signal
 * during start-up, or as soon as a URL is printed, still leads to a clean stop. The listeners stay: a
 * second signal (Ctrl-C pressed again) then does not kill the process while it closes what it started.
 */
export function stopSignal(): Promise<void> {
  return new Promise((resolve) => ['SIGINT', 'SIGTERM'].forEach((signal) => process.on(signal, () => resolve())));
}
