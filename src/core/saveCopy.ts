import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, mkdir, rm, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** A file name from the prompt: readable, safe on every OS, and short. */
export function videoFileName(prompt: string, date: Date, extension = '.mp4'): string {
  const stamp = date.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `${slugify(prompt) || 'video'}-${stamp}${extension}`;
}

/**
 * Text as a piece of a file name: lower-case ASCII letters and digits joined by dashes, accents
 * dropped, at most 48 characters. Empty when nothing of the text is left.
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

/**
 * Copies `source` into `folder` under `name`, adding -2, -3… when that name is taken.
 * The bytes go to a hidden temporary file first and are then hard-linked under the final name,
 * which fails instead of replacing: an existing file is never overwritten and no partial file is
 * ever visible under a real name.
 */
export function copyWithoutOverwriting(source: string, folder: string, name: string): Promise<string> {
  return placeWithoutOverwriting(folder, name, (temporary) => copyFile(source, temporary, constants.COPYFILE_EXCL));
}

/** Writes `bytes` into `folder` under `name` the same way: never over an existing file. */
export function writeWithoutOverwriting(bytes: Uint8Array, folder: string, name: string): Promise<string> {
  return placeWithoutOverwriting(folder, name, (temporary) => writeFile(temporary, bytes, { flag: 'wx' }));
}

async function placeWithoutOverwriting(folder: string, name: string, fill: (temporary: string) => Promise<void>): Promise<string> {
  await mkdir(folder, { recursive: true });
  const extension = extname(name);
  const stem = name.slice(0, name.length - extension.length);
  const temporary = join(folder, `.${stem}.${randomBytes(6).toString('hex')}.part`);
  try {
    await fill(temporary);
    for (let attempt = 1; attempt < 1000; attempt++) {
      const target = join(folder, attempt === 1 ? name : `${stem}-${attempt}${extension}`);
      if (await claim(temporary, target)) return target;
    }
    throw new Error(`Could not find a free file name for ${name} in ${folder}`);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Puts `temporary` at `target` unless something is there already. */
async function claim(temporary: string, target: string): Promise<boolean> {
  try {
    await link(temporary, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
  }
  // File systems without hard links: check, then copy exclusively.
  try {
    await copyFile(temporary, target, constants.COPYFILE_EXCL);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    await rm(target, { force: true });
    throw error;
  }
}
