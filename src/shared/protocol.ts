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
  /** The generation shown, kept in the webview state; none for a file opened from the Explorer. */
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
 * The state the webview keeps across hide/show and window reloads (JSON only). Only the job's id:
 * the extension rebuilds everything else from its own records, so a crafted state cannot point the
 * player at an arbitrary file.
 */
export interface PlayerState {
  jobId?: string;
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
