/**
 * The messages between the player panel (extension host) and its webview script.
 * Both sides import this file, so a renamed field breaks the build instead of the player.
 */

/** What the player shows about a video. Every string is plain text; the webview never renders HTML from it. */
export interface PlayerVideo {
  /** A webview URI (asWebviewUri) of the file on disk; never the bytes. */
  src: string;
  fileName: string;
  prompt: string;
  model: string;
  provider: string;
  seed?: number;
  sizeLabel: string;
  elapsedLabel: string;
  warning?: string;
  /** Where the user saved it, relative to the workspace, if they did. */
  savedTo?: string;
}

export type HostMessage =
  | { type: 'show'; jobId: string; video: PlayerVideo }
  | { type: 'saved'; path: string }
  | { type: 'saveFailed'; message: string };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'save' }
  | { type: 'openExternally' }
  | { type: 'playbackError'; message: string };

/**
 * The state the webview keeps across hide/show and window reloads (JSON only). Only the job's id:
 * the extension rebuilds everything else from its own records, so a crafted state cannot point the
 * player at an arbitrary file.
 */
export interface PlayerState {
  jobId?: string;
}

const WEBVIEW_TYPES = new Set<WebviewMessage['type']>(['ready', 'save', 'openExternally', 'playbackError']);

/** Messages from the webview are untrusted input: check their shape before acting on them. */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (!value || typeof value !== 'object') return false;
  const message = value as { type?: unknown; message?: unknown };
  if (!WEBVIEW_TYPES.has(message.type as WebviewMessage['type'])) return false;
  return message.type !== 'playbackError' || typeof message.message === 'string';
}
