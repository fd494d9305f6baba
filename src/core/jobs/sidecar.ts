/**
 * The JSON file beside a saved video (`fox.mp4` → `fox.json`): how it was made, enough to make it
 * again from the file alone. Sidecars get committed and shared with the video, so they hold no
 * local path, no secret and no signed URL: only what the record says about the generation itself.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, parse } from 'node:path';
import { HfVideoError, redactSecrets } from '../errors';
import { FIELDS, checkExtra, checkField, fieldDefinition } from '../parameterTable';
import type { MediaFacts } from '../media/mediaFacts';
import type { ProviderName, VideoParameters } from '../types';
import type { JobRecord, JobRequest, JobTimings, PromptSource } from './record';

export const SIDECAR_KIND = 'hf-text-to-video';
export const SIDECAR_SCHEMA_VERSION = 1;

/** Where the prompt came from, by file name only. */
export interface SidecarSource {
  kind: PromptSource['kind'];
  /** The base name of the document the prompt was taken from. */
  name?: string;
  jobId?: string;
}

export interface SidecarRequest extends Omit<JobRequest, 'source'> {
  source?: SidecarSource;
}

export interface Sidecar {
  kind: typeof SIDECAR_KIND;
  schemaVersion: typeof SIDECAR_SCHEMA_VERSION;
  extensionVersion: string;
  createdAt: string;
  /** The video's file name, set by writeSidecar: tells this video's sidecar from another's. */
  video?: string;
  jobId: string;
  request: SidecarRequest;
  provider?: ProviderName;
  providerId?: string;
  routed?: boolean;
  seed?: number;
  /** The provider's id for the job, for support requests (its follow-up URLs are left out). */
  requestId?: string;
  timings: JobTimings;
  bytes?: number;
  /** Codecs, resolution, frame rate: what the saved file is. */
  media?: MediaFacts;
}

/**
 * The sidecar of a finished job. Fields are picked one by one rather than copied, so a field added
 * to the record later (a path, a URL) does not end up in shared files by default. The video URL is
 * left out too: CDN URLs are signed and soon expire.
 */
export function sidecarFor(record: JobRecord, meta: { extensionVersion: string; createdAt?: Date }): Sidecar {
  const { prompt, model, provider, parameters, extra, preset, source } = record.request;
  const sidecar: Sidecar = {
    kind: SIDECAR_KIND,
    schemaVersion: SIDECAR_SCHEMA_VERSION,
    extensionVersion: meta.extensionVersion,
    createdAt: (meta.createdAt ?? new Date()).toISOString(),
    jobId: record.id,
    request: { prompt, model, provider, parameters, extra, preset, source: source && { kind: source.kind, name: source.uri ? baseNameOf(source.uri) : undefined, jobId: source.jobId } },
    provider: record.provider,
    providerId: record.providerId,
    routed: record.routed,
    seed: record.seed,
    requestId: record.handle?.requestId,
    timings: record.timings,
    bytes: record.bytes,
    media: record.media,
  };
  // Records never hold a token, but a prompt or an extra parameter might: defence in depth.
  return withoutSecrets(sidecar) as Sidecar;
}

/** The last segment of a URI (or of a path, should one be passed), decoded. */
function baseNameOf(uri: string): string | undefined {
  try {
    const path = URL.canParse(uri) ? new URL(uri).pathname : uri;
    return decodeURIComponent(path.split(/[\\/]/).pop() ?? '') || undefined;
  } catch {
    return undefined; // Malformed escapes: better no name than a wrong one.
  }
}

function withoutSecrets(value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [redactSecrets(key), withoutSecrets(entry)]));
  }
  return value;
}

/**
 * The sidecar of a video on disk, when one of ours sits beside it (under either name writeSidecar
 * uses) and names this video, or names none.
 */
export async function readSidecarOf(videoPath: string): Promise<Sidecar | undefined> {
  for (const path of [sidecarPath(videoPath), `${videoPath}.json`]) {
    try {
      const json = JSON.parse(await readFile(path, 'utf8')) as Partial<Sidecar>;
      if (json?.kind === SIDECAR_KIND && (json.video === undefined || json.video === basename(videoPath)) && !(parseSidecar(json) instanceof HfVideoError)) return json as Sidecar;
    } catch {
      // Missing or not JSON: not a sidecar of this video.
    }
  }
  return undefined;
}

/**
 * The request a sidecar describes, to make the video again. The seed is the one the video was
 * made with, which a provider may have reported differently from the one asked for. The request has
 * no source: the caller knows where the sidecar is. Every value gets the same check as in settings,
 * presets and prompt files: a sidecar edited by hand must not send 5,000 frames that the commands refuse.
 */
export function parseSidecar(json: unknown): { request: JobRequest } | HfVideoError {
  if (!isPlainObject(json) || json.kind !== SIDECAR_KIND) {
    return new HfVideoError('invalidInput', `This file is not a Hugging Face Text to Video sidecar (it has no "kind": "${SIDECAR_KIND}").`);
  }
  if (typeof json.schemaVersion === 'number' && json.schemaVersion > SIDECAR_SCHEMA_VERSION) {
    return new HfVideoError('invalidInput', 'This sidecar was written by a newer version of the extension; update the extension to use it.');
  }
  const request = json.request;
  if (json.schemaVersion !== SIDECAR_SCHEMA_VERSION || !isPlainObject(request)) return damagedSidecar('it has no request');
  const { prompt, model, provider, parameters, extra, preset } = request;
  if (typeof prompt !== 'string' || !prompt.trim()) return damagedSidecar('it has no prompt');
  if (!isPlainObject(parameters) || !isPlainObject(extra)) return damagedSidecar('it has no parameters');
  const seed = typeof json.seed === 'number' && Number.isInteger(json.seed) ? json.seed : parameters.seed;
  const checked = Object.fromEntries(TASK_PARAMETERS.map(({ field }) => [field, parameters[field]]).filter(([, value]) => value !== undefined));
  const values: Record<string, unknown> = { ...parameters, seed, model, provider, preset };
  const problems = [...[...TASK_PARAMETERS, ...REQUEST_FIELDS].map((definition) => checkField(definition, values[definition.field])), ...checkExtra(extra)].filter(
    (problem) => problem !== undefined,
  );
  if (model === undefined) problems.unshift({ field: 'model', value: model, problem: 'is missing' });
  if (problems.length) return damagedSidecar(problems.map(({ field, problem }) => `${field} ${problem}`).join('; '));
  return {
    request: {
      prompt,
      model: model as string,
      provider: (provider ?? 'auto') as ProviderName | 'auto',
      parameters: { ...checked, ...(seed !== undefined && { seed }) } as VideoParameters,
      extra,
      ...(preset !== undefined && { preset: preset as string }),
    },
  };
}

const TASK_PARAMETERS = FIELDS.filter((definition) => definition.taskParameter);
/** What a request holds besides its task parameters, checked by the same table. */
const REQUEST_FIELDS = ['model', 'provider', 'preset'].map((field) => fieldDefinition(field)!);

function damagedSidecar(what: string): HfVideoError {
  return new HfVideoError('invalidInput', `This sidecar cannot be used to make the video again: ${what}.`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `fox.mp4` → `fox.json`, in the same folder. */
export function sidecarPath(videoPath: string): string {
  const { dir, name } = parse(videoPath);
  return join(dir, `${name}.json`);
}

/**
 * Writes the sidecar beside the video, whole or not at all (a temporary file, then renamed), and
 * returns where. The name `fox.json` may already be taken, by a file of the user's or by the sidecar
 * of `fox.webm`: only a sidecar of ours for this same video name (left by a video since deleted) is
 * replaced. Otherwise the sidecar goes to `fox.mp4.json`, which no other video's sidecar can want;
 * when that too is another file, nothing is written and the error says so.
 */
export async function writeSidecar(videoPath: string, sidecar: Sidecar): Promise<string> {
  const video = basename(videoPath);
  const text = `${JSON.stringify({ ...sidecar, video }, null, 2)}\n`;
  for (const path of [sidecarPath(videoPath), `${videoPath}.json`]) {
    if (await isFreeFor(path, video)) {
      await writeWhole(path, text);
      return path;
    }
  }
  throw new HfVideoError('invalidInput', `The video was saved, but not its sidecar: ${basename(sidecarPath(videoPath))} and ${video}.json are other files, which were left as they are.`);
}

/** No file at `path`, or only our own sidecar of a video of that name. */
async function isFreeFor(path: string, video: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
  try {
    const existing = JSON.parse(text) as Partial<Sidecar>;
    return existing?.kind === SIDECAR_KIND && existing.video === video;
  } catch {
    return false;
  }
}

async function writeWhole(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, { flag: 'wx' });
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
}
