/**
 * The messages between the player panel (extension host) and its webview script. Both sides import
 * this file, so a renamed field breaks the build instead of the player. Each direction is one table of
 * message types with a check per field: the types and the run-time guards come from the same table.
 */

type Guard<T> = (value: unknown) => value is T;

const isString: Guard<string> = (value): value is string => typeof value === 'string';
const isNumber: Guard<number> = (value): value is number => typeof value === 'number' && Number.isFinite(value);
const isObject: Guard<object> = (value): value is object => typeof value === 'object' && value !== null;
function oneOf<T extends string>(values: readonly T[]): Guard<T> {
  return (value): value is T => values.includes(value as T);
}

/** The buttons of the player that run one of the extension's commands on the video shown. */
export const PLAYER_ACTIONS = ['save', 'saveAs', 'copyPrompt', 'copySeed', 'copyAsPython', 'copyAsJavaScript', 'copyAsCurl', 'regenerate', 'varySeed', 'reveal', 'openExternally'] as const;
export type PlayerAction = (typeof PLAYER_ACTIONS)[number];

/** From the webview: untrusted input, checked field by field before the host acts on it. */
const WEBVIEW_MESSAGES = {
  ready: {},
  action: { action: oneOf(PLAYER_ACTIONS) },
  playbackError: { message: isString },
  /** The current frame as a `data:image/png;base64,` URL, and where in the video it is. */
  saveFrame: { dataUrl: isString, seconds: isNumber },
};

/** From the host. The webview checks them too: a message of another shape is ignored, not half-applied. */
const HOST_MESSAGES = {
  show: { video: isObject as Guard<PlayerVideo> },
  /** The file on disk was deleted: the player says so instead of showing a broken video. */
  fileDeleted: {},
  /** The outcome of an action, said in the status line. */
  status: { text: isString },
};

type Table = Record<string, Record<string, Guard<unknown>>>;
type MessagesOf<T extends Table> = { [K in keyof T]: { type: K } & { [F in keyof T[K]]: T[K][F] extends Guard<infer V> ? V : never } }[keyof T];

export type WebviewMessage = MessagesOf<typeof WEBVIEW_MESSAGES>;
export type HostMessage = MessagesOf<typeof HOST_MESSAGES>;

function guardOf<T extends Table>(table: T): (value: unknown) => value is MessagesOf<T> {
  return (value): value is MessagesOf<T> => {
    if (!isObject(value) || !isString((value as { type?: unknown }).type)) return false;
    const fields = Object.hasOwn(table, (value as { type: string }).type) ? table[(value as { type: string }).type] : undefined;
    return !!fields && Object.entries(fields).every(([name, check]) => check((value as Record<string, unknown>)[name]));
  };
}

export const isWebviewMessage = guardOf(WEBVIEW_MESSAGES);
export const isHostMessage = guardOf(HOST_MESSAGES);

const isStringList: Guard<string[]> = (value): value is string[] => Array.isArray(value) && value.every(isString);

/** From the compare view's webview: the jobs the user picked are checked against the group by the host. */
const COMPARE_WEBVIEW_MESSAGES = {
  ready: {},
  saveSelected: { jobIds: isStringList },
};

/** From the host to the compare view: the whole group again whenever one of its jobs changes. */
const COMPARE_HOST_MESSAGES = {
  group: { group: isObject as Guard<CompareGroup> },
  status: { text: isString },
};

export type CompareWebviewMessage = MessagesOf<typeof COMPARE_WEBVIEW_MESSAGES>;
export type CompareHostMessage = MessagesOf<typeof COMPARE_HOST_MESSAGES>;
export const isCompareWebviewMessage = guardOf(COMPARE_WEBVIEW_MESSAGES);
export const isCompareHostMessage = guardOf(COMPARE_HOST_MESSAGES);

/** One line of the details pane; both texts are plain text, never HTML. */
export interface DetailRow {
  label: string;
  value: string;
}

/** Why the picture or the sound will not play inside VS Code, or another thing the user should know. */
export interface PlayerNotice {
  kind: 'audio' | 'video' | 'warning';
  text: string;
}

/** How the player starts, from the hfVideo.player.* settings. */
export interface PlaybackSettings {
  autoPlay: boolean;
  loop: boolean;
  muted: boolean;
}

/** What the player shows about a video. Every string is plain text; the webview never renders HTML from it. */
export interface PlayerVideo {
  /** The generation shown; none for a file opened from the Explorer. */
  jobId?: string;
  /** A webview URI (asWebviewUri) of the file on disk, with a version from its mtime and size; never the bytes. */
  src: string;
  fileName: string;
  /** The file's real frame rate, for frame stepping; undefined when it could not be read. */
  frameRate?: number;
  details: DetailRow[];
  notices: PlayerNotice[];
  /** The buttons that apply to this video (a file opened from the Explorer without a sidecar has fewer). */
  actions: PlayerAction[];
  playback: PlaybackSettings;
  /** Texts the webview says by itself (status, labels that change), translated by the host. */
  strings: WebviewStrings;
  /** What the player page keeps for a window reload, chosen by the host. */
  state?: PlayerState;
}

/** The translatable texts of the webview; `{0}` stands for a value. */
export const WEBVIEW_STRING_KEYS = [
  'loading',
  'ready',
  'speed',
  'loopOn',
  'loopOff',
  'muted',
  'unmuted',
  'mutedByWebview',
  'frame',
  'fit',
  'actualSize',
  'cannotPlay',
  'deleted',
  'savingFrame',
  'play',
  'pause',
] as const;
export type WebviewStrings = Record<(typeof WEBVIEW_STRING_KEYS)[number], string>;

/**
 * The state the webview keeps across hide/show and window reloads (JSON only): a job's id (the
 * extension rebuilds everything else from its own records), or a file opened from the Explorer as a
 * path relative to a workspace folder (its name, or its index). A crafted state cannot point the
 * player at an arbitrary file: a file is restored only when it is a video inside an open folder.
 */
export interface PlayerState {
  jobId?: string;
  file?: string;
  folder?: string | number;
}

/** Where a variation is: waiting or being made, a video to show, or no video (failed, cancelled, deleted). */
export type ComparePhase = 'pending' | 'done' | 'failed';

/** One tile of the compare view. Every string is plain text. */
export interface CompareTile {
  jobId: string;
  /** What sets this variation apart ("seed 42", "provider replicate"). */
  label: string;
  phase: ComparePhase;
  /** The phase in words: progress while pending, the time taken when done, the reason when failed. */
  status: string;
  /** A webview URI of the video with a version, once it is on disk. */
  src?: string;
  frameRate?: number;
}

/** The variations of one "Generate Variations" run, in the order they were queued. */
export interface CompareGroup {
  groupId: string;
  prompt: string;
  tiles: CompareTile[];
  /** How many are ready, said to screen readers when it changes. */
  summary: string;
  playback: PlaybackSettings;
  /** The player's texts, and how many tiles are picked (`{0}`). */
  strings: WebviewStrings & { selected: string };
}

/** The compare view's webview state: the group's id only, rebuilt from the records after a reload. */
export interface CompareState {
  groupId?: string;
}

// ---------------------------------------------------------------------------------------------------
// The video studio: a form of every generation value, the job it started and its results. Its page runs
// the player's modules too, so the player's messages above pass on the same channel; the tables below are
// the studio's own.

/** The task parameters the studio shows as numbers, by their table field names. */
export const STUDIO_NUMBER_FIELDS = ['num_frames', 'guidance_scale', 'num_inference_steps'] as const;
export type StudioNumberField = (typeof STUDIO_NUMBER_FIELDS)[number];
export const SEED_MODES = ['random', 'lock'] as const;

/** The form as typed: numbers stay text until checked, so a half-typed value is never lost or rewritten. */
export interface StudioForm {
  prompt: string;
  negativePrompt: string;
  model: string;
  /** `auto` or a provider name. */
  provider: string;
  numbers: Record<StudioNumberField, string>;
  seed: string;
  /** `random` picks a new seed for every generation; `lock` sends the seed field. */
  seedMode: (typeof SEED_MODES)[number];
  /** Provider-specific fields; a value that reads as JSON (5, true, [1,2]) is sent as that, any other as text. */
  extras: Array<{ key: string; value: string }>;
  /** The preset the form was loaded from; '' for none. */
  preset: string;
}

const isStudioForm: Guard<StudioForm> = (value): value is StudioForm => {
  const form = value as Partial<StudioForm> | null;
  return (
    isObject(form) &&
    [form.prompt, form.negativePrompt, form.model, form.provider, form.seed, form.preset].every(isString) &&
    oneOf(SEED_MODES)(form.seedMode) &&
    isObject(form.numbers) &&
    STUDIO_NUMBER_FIELDS.every((field) => isString((form.numbers as Record<string, unknown>)[field])) &&
    Array.isArray(form.extras) &&
    form.extras.every((row) => isObject(row) && isString((row as { key?: unknown }).key) && isString((row as { value?: unknown }).value))
  );
};

/** A provider serving the chosen model, and its state on the Hub (`live`, `staging`, `error`). */
export interface StudioProvider {
  provider: string;
  status: string;
}

export interface StudioModel {
  id: string;
  providers: StudioProvider[];
}

/** A preset of the settings, with its values as written, to load it and to mark what the form changed. */
export interface StudioPreset {
  name: string;
  values: Record<string, unknown>;
}

/** The job the studio started, as it goes: its phase in words, place in line, provider logs and elapsed time. */
export interface StudioJob {
  id: string;
  /** `active` while it runs or waits; then how it ended. */
  state: 'active' | 'done' | 'failed' | 'cancelled';
  phase: string;
  /** Jobs ahead of it in this window's queue; undefined once it runs. */
  ahead?: number;
  logs: string[];
  /** Date.now() when it was queued, for the elapsed time the page counts itself. */
  startedAt: number;
  seed?: number;
  /** Why it failed, in the same sentence a notification would give. */
  failure?: string;
}

/** One earlier result of the studio, in the strip to compare with. */
export interface StudioResult {
  jobId: string;
  label: string;
  seed?: number;
}

/** The translatable texts the studio says by itself; `{0}` stands for a value. */
export const STUDIO_STRING_KEYS = [
  'characters',
  'providerDefault',
  'fromSettings',
  'auto',
  'noPreset',
  'changed',
  'ahead',
  'elapsed',
  'remove',
  'key',
  'value',
  'seedOf',
  'invalidForm',
] as const;
export type StudioStrings = Record<(typeof STUDIO_STRING_KEYS)[number], string>;

/** What the studio page starts from; every string is plain text. */
export interface StudioInit {
  form: StudioForm;
  /** What applies where a field is left empty: the value from settings, by table field name. */
  inherited: Record<string, string>;
  presets: StudioPreset[];
  models: StudioModel[];
  results: StudioResult[];
  /** Where the prompt came from (a file and shot, a selection), said above the form; '' when typed here. */
  source: string;
  /** Where and as what a run from a prompt file is saved (as its shot's "Generate" saves it), said under the source; '' otherwise. */
  saving: string;
  /** Whether "Insert into Prompt File" has a prompt file to add to. */
  canInsert: boolean;
  job?: StudioJob;
  strings: StudioStrings;
}

const STUDIO_WEBVIEW_MESSAGES = {
  studioReady: {},
  /** Kept by the host, so a panel opened later (or after a reload) starts from it. */
  formChanged: { form: isStudioForm },
  generate: { form: isStudioForm },
  cancelJob: {},
  loadPreset: { name: isString },
  savePreset: { form: isStudioForm },
  updatePreset: { form: isStudioForm },
  showResult: { jobId: isString },
  /** A model typed in that is not in the Hub's list: which providers serve it. */
  lookupModel: { model: isString },
  copyPromptFile: { form: isStudioForm },
  insertIntoPromptFile: { form: isStudioForm },
};

const STUDIO_HOST_MESSAGES = {
  studioInit: { init: isObject as Guard<StudioInit> },
  /** A new form: a preset loaded, or a prompt sent from an editor. */
  studioForm: { form: isStudioForm },
  studioModels: { models: Array.isArray as Guard<StudioModel[]> },
  studioProviders: { model: isString, providers: Array.isArray as Guard<StudioProvider[]> },
  studioPresets: { presets: Array.isArray as Guard<StudioPreset[]> },
  studioJob: { job: isObject as Guard<StudioJob> },
  studioResults: { results: Array.isArray as Guard<StudioResult[]> },
  /** The outcome of a button (a preset saved, a snippet copied, a request refused), said in the studio's status line. */
  studioStatus: { text: isString, error: (value: unknown): value is boolean => typeof value === 'boolean' },
};

export type StudioWebviewMessage = MessagesOf<typeof STUDIO_WEBVIEW_MESSAGES>;
export type StudioHostMessage = MessagesOf<typeof STUDIO_HOST_MESSAGES>;
export const isStudioWebviewMessage = guardOf(STUDIO_WEBVIEW_MESSAGES);
export const isStudioHostMessage = guardOf(STUDIO_HOST_MESSAGES);

/** The studio page's state across hide/show and reloads: the form (nothing secret) and the player's own state. */
export interface StudioState {
  form?: StudioForm;
  player?: PlayerState;
}
