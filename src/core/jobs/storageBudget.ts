/**
 * Videos the user has not saved stay in the extension's storage, where nobody sees them pile up:
 * they are kept within a budget, the oldest going first, and downloads a crash cut short are swept.
 */
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobRecord } from './record';

/**
 * Removes the files of finished, unsaved jobs, oldest first, until they take at most `limitBytes`;
 * returns the ids of the jobs whose file went, for the caller to update their records. A job the
 * user saved is never touched, and no file is removed but those the records name.
 */
export async function pruneUnsaved(records: JobRecord[], limitBytes: number, removeFile: (path: string) => Promise<void>): Promise<string[]> {
  const unsaved = records
    .filter((record) => record.state === 'done' && record.file && record.savedFiles.length === 0)
    .sort((a, b) => finishedAt(a) - finishedAt(b));
  let total = unsaved.reduce((sum, record) => sum + (record.bytes ?? 0), 0);
  const removed: string[] = [];
  for (const record of unsaved) {
    if (total <= limitBytes) break;
    try {
      await removeFile(record.file!);
    } catch {
      continue; // Still in use (a player on Windows): it counts, and is tried again next time.
    }
    total -= record.bytes ?? 0;
    removed.push(record.id);
  }
  return removed;
}

function finishedAt(record: JobRecord): number {
  return Date.parse(record.timings.finishedAt ?? record.timings.createdAt) || 0;
}

/**
 * Deletes the `*.part` files in `videosDir` older than `olderThanMs`: downloads a crash or a closed
 * window cut short. A younger one may be a download another window is making right now (a download
 * keeps writing, so its modification time stays fresh). Returns the paths removed.
 */
export async function removeStrayPartials(videosDir: string, olderThanMs: number): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(videosDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const cutoff = Date.now() - olderThanMs;
  const removed: string[] = [];
  for (const name of names.filter((name) => name.endsWith('.part'))) {
    const path = join(videosDir, name);
    const stats = await lstat(path).catch(() => undefined);
    if (!stats?.isFile() || stats.mtimeMs >= cutoff) continue;
    try {
      await rm(path, { force: true });
      removed.push(path);
    } catch {
      // Held open somewhere (Windows): left for the next sweep.
    }
  }
  return removed;
}
