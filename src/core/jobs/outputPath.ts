/**
 * Where a saved video goes: a file name from the user's template, in the output folder, inside the
 * workspace folder. Settings come from the workspace, which may not be the user's own (a cloned
 * repository), so neither the folder nor the template may lead a save outside the workspace folder,
 * not even through a symbolic link.
 */
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { HfVideoError } from '../errors';
import { copyWithoutOverwriting, slugify } from '../saveCopy';

export { DEFAULT_FILE_NAME_TEMPLATE } from '../parameterTable';

const OUTPUT_FOLDER_SETTING = 'hfVideo.outputFolder';
const TEMPLATE_SETTING = 'hfVideo.fileNameTemplate';

export interface TemplateVariables {
  date: Date;
  prompt: string;
  model: string;
  provider?: string;
  seed?: number;
  preset?: string;
  /** 1-based position of the video in a batch. */
  index?: number;
  /** The shot's heading in a prompt file. */
  shot?: string;
}

type VariableName = 'date' | 'time' | 'prompt' | 'model' | 'provider' | 'seed' | 'preset' | 'index' | 'shot';

// The user's local date and time: that is the day they will look for in the folder.
const VARIABLES: Record<VariableName, (vars: TemplateVariables) => string> = {
  date: ({ date }) => `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${twoDigits(date.getDate())}`,
  time: ({ date }) => `${twoDigits(date.getHours())}${twoDigits(date.getMinutes())}${twoDigits(date.getSeconds())}`,
  prompt: ({ prompt }) => slugify(prompt),
  model: ({ model }) => slugify(model.slice(model.lastIndexOf('/') + 1)),
  provider: ({ provider }) => slugify(provider ?? ''),
  seed: ({ seed }) => (seed === undefined ? '' : String(seed)),
  preset: ({ preset }) => slugify(preset ?? ''),
  index: ({ index }) => (index === undefined ? '' : String(index)),
  shot: ({ shot }) => slugify(shot ?? ''),
};

/** Characters no file name may hold on one of Windows, macOS and Linux. */
const ILLEGAL_CHARACTERS = /[<>:"|?*\u0000-\u001f\u007f]/g;
/** Names Windows keeps for devices, whatever the extension. */
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
/** Leaves room for `-2`, the extension and the sidecar's `.json` under the usual 255-byte limit. */
const MAX_SEGMENT_LENGTH = 200;

/**
 * The file name (without extension) for a video, from a template such as `${date}-${prompt}`.
 * A `/` in the template makes sub-folders (`${model}/${prompt}`); the result uses `/` between them.
 */
export function expandFileNameTemplate(template: string, vars: TemplateVariables): string {
  if (/\$\{[^}]*$/.test(template)) throw templateError(`${TEMPLATE_SETTING} has a "\${" that is never closed.`);
  const segments = template.split(/[\\/]/).map((segment) => {
    if (segment.trim() === '.' || segment.trim() === '..') {
      throw templateError(`${TEMPLATE_SETTING} may not contain "${segment.trim()}" as a folder: saved videos stay in the output folder.`);
    }
    return sanitizeSegment(segment.replace(/\$\{([^}]*)\}/g, (_match, name: string) => expandVariable(name, vars)));
  });
  const fileName = segments.pop() || 'video';
  return [...segments.filter((segment) => segment !== ''), fileName].join('/');
}

function expandVariable(name: string, vars: TemplateVariables): string {
  if (!Object.hasOwn(VARIABLES, name)) {
    const known = Object.keys(VARIABLES).map((known) => `\${${known}}`).join(', ');
    throw templateError(`${TEMPLATE_SETTING} uses the unknown variable \${${name}}; the variables are ${known}.`);
  }
  return VARIABLES[name as VariableName](vars);
}

function sanitizeSegment(segment: string): string {
  const cleaned = segment
    .replace(ILLEGAL_CHARACTERS, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, MAX_SEGMENT_LENGTH)
    // Windows drops trailing dots and spaces; a leading dot would hide the file.
    .replace(/^[\s.-]+|[\s.-]+$/g, '');
  return WINDOWS_DEVICE_NAME.test(cleaned) ? `${cleaned}-video` : cleaned;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

function templateError(message: string): HfVideoError {
  return settingError(message, TEMPLATE_SETTING);
}

function settingError(message: string, setting: string): HfVideoError {
  return new HfVideoError('invalidInput', message, { nextStep: { action: 'openSettings', label: 'Open Setting', setting } });
}

export interface SaveTarget {
  /** The folder the video goes into; it may not exist yet. */
  folder: string;
  /** The file name with its extension. */
  name: string;
}

/**
 * The folder and name for a video, checked to be inside the workspace folder as the file system
 * sees it: `outputFolder` is relative, does not climb out with `..`, and no symbolic link on the way
 * (in the output folder or in a sub-folder of the template) points outside.
 */
export async function resolveSaveTarget(options: {
  workspaceFolder: string;
  outputFolder: string;
  /** From expandFileNameTemplate: without extension, `/` between sub-folders. */
  fileName: string;
  extension: '.mp4' | '.webm';
}): Promise<SaveTarget> {
  const { workspaceFolder, outputFolder, fileName, extension } = options;
  if (isAbsolute(outputFolder)) {
    throw settingError(`${OUTPUT_FOLDER_SETTING} must be a folder relative to the workspace folder, not "${outputFolder}".`, OUTPUT_FOLDER_SETTING);
  }
  const segments = fileName.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw templateError(`The file name "${fileName}" from ${TEMPLATE_SETTING} has an empty, "." or ".." folder.`);
  }
  const workspace = resolve(workspaceFolder);
  const realWorkspace = await realpath(workspace);
  const outputDirectory = resolve(workspace, outputFolder);
  await assertInsideWorkspace(outputDirectory, workspace, realWorkspace, `The output folder "${outputFolder}" in ${OUTPUT_FOLDER_SETTING}`, OUTPUT_FOLDER_SETTING);
  const name = segments.pop()! + extension;
  const folder = join(outputDirectory, ...segments);
  if (segments.length) await assertInsideWorkspace(folder, workspace, realWorkspace, `The sub-folder "${segments.join('/')}" from ${TEMPLATE_SETTING}`, TEMPLATE_SETTING);
  return { folder, name };
}

/** Copies `source` to the target, never over an existing file (a taken name gets -2, -3…); returns where it went. */
export function saveIntoWorkspace(source: string, target: SaveTarget): Promise<string> {
  return copyWithoutOverwriting(source, target.folder, target.name);
}

async function assertInsideWorkspace(folder: string, workspace: string, realWorkspace: string, what: string, setting: string): Promise<void> {
  const real = isInside(workspace, folder) ? await realpathOfExistingPart(folder) : undefined;
  if (!real || !isInside(realWorkspace, real)) throw settingError(`${what} leads outside the workspace folder; choose a folder inside it.`, setting);
}

function isInside(parent: string, child: string): boolean {
  const path = relative(parent, child);
  return path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path);
}

/**
 * The real path of `path`: its deepest existing ancestor with links followed, then the part that
 * does not exist yet. Undefined when an existing entry cannot be followed (a link to nothing): what
 * cannot be checked is refused.
 */
async function realpathOfExistingPart(path: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let candidate = path; ; candidate = dirname(candidate)) {
    try {
      return join(await realpath(candidate), ...missing.reverse());
    } catch (error) {
      // ENOTDIR: a file on the way; the save will say so, this check is only about where it leads.
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(candidate) === candidate) return undefined;
      if (await lstat(candidate).then(() => true, () => false)) return undefined; // A link to nothing.
      missing.push(basename(candidate));
    }
  }
}
