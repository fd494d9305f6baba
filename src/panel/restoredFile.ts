import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { PlayerState } from '../shared/protocol';

/** An open workspace folder: its name and its path on disk. */
export interface FolderOnDisk {
  name: string;
  path: string;
}

const PLAYABLE = new Set(['.mp4', '.webm']);

function isInside(root: string, file: string): boolean {
  const path = relative(root, file);
  return path !== '' && path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path);
}

/** The state that brings a file back after a reload: its path in the workspace folder holding it, if one does. */
export function restorableState(file: string, folders: readonly FolderOnDisk[]): PlayerState {
  const folder = folders.find((candidate) => isInside(candidate.path, file));
  return folder ? { file: relative(folder.path, file).split(sep).join('/'), folder: folder.name } : {};
}

/**
 * The real path of the file a restored state names, or undefined. The state comes from the webview
 * and may be crafted: only an existing MP4 or WebM whose real path (symlinks resolved) is inside the
 * real path of an open workspace folder is accepted.
 */
export async function fileToRestore(state: PlayerState, folders: readonly FolderOnDisk[]): Promise<string | undefined> {
  const { file, folder: named } = state;
  if (typeof file !== 'string' || isAbsolute(file) || file.split(/[\\/]/).includes('..')) return undefined;
  const folder = named === undefined ? folders[0] : typeof named === 'number' ? folders[named] : folders.find((candidate) => candidate.name === named);
  if (!folder) return undefined;
  try {
    const [root, real] = await Promise.all([realpath(folder.path), realpath(resolve(folder.path, file))]);
    const playable = isInside(root, real) && PLAYABLE.has(extname(real).toLowerCase()) && (await stat(real)).isFile();
    return playable ? real : undefined;
  } catch {
    return undefined;
  }
}
