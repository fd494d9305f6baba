import { statSync } from 'node:fs';
import { relative, sep } from 'node:path';

/** What activation cost: measured by the extension itself, reported through its API and in `npm run bench`. */
export interface ActivationCost {
  /** How long `activate()` ran, in milliseconds. */
  activateMs: number;
  /** The extension's own files loaded when `activate()` returned (paths relative to the extension), with their sizes. */
  loadedFiles: Array<{ file: string; bytes: number }>;
}

/** Call at the start of `activate()`; the returned function, at its end. */
export function measureActivation(extensionPath: string): () => ActivationCost {
  const started = performance.now();
  return () => {
    const activateMs = performance.now() - started;
    const files = Object.keys(require.cache).filter((file) => file.startsWith(extensionPath + sep));
    return { activateMs, loadedFiles: files.map((file) => ({ file: relative(extensionPath, file), bytes: statSync(file).size })) };
  };
}
