import { realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** What activation cost: measured by the extension itself, reported through its API and in `npm run bench`. */
export interface ActivationCost {
  /** How long `activate()` ran, in milliseconds. */
  activateMs: number;
  /** The extension's bundles (dist/) loaded when `activate()` returned, relative to the extension, with their sizes. */
  loadedFiles: Array<{ file: string; bytes: number }>;
}

/** Call at the start of `activate()`; the returned function, at its end. */
export function measureActivation(extensionPath: string): () => ActivationCost {
  const started = performance.now();
  return () => {
    const activateMs = performance.now() - started;
    // Only the module names are taken now; the disk is read when a caller (tests, bench) asks, never during activation.
    const loadedAtReturn = Object.keys(require.cache);
    let loadedFiles: ActivationCost['loadedFiles'] | undefined;
    return {
      activateMs,
      get loadedFiles() {
        if (!loadedFiles) {
          // Node keys its module cache by real path. Only dist/ ships: a development folder also holds test tools.
          const root = realpathSync(extensionPath);
          loadedFiles = loadedAtReturn
            .filter((file) => file.startsWith(join(root, 'dist') + sep))
            .map((file) => ({ file: relative(root, file), bytes: statSync(file).size }));
        }
        return loadedFiles;
      },
    };
  };
}
