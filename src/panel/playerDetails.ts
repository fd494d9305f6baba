import * as vscode from 'vscode';
import { redactSecrets } from '../core/errors';
import type { JobRecord } from '../core/jobs/record';
import { elapsedMs } from '../core/jobs/record';
import { playabilityInVsCode, type MediaFacts } from '../core/media/mediaFacts';
import { formatBytes, formatElapsed } from '../core/progressText';
import type { DetailRow, PlayerNotice, WebviewStrings } from '../shared/protocol';

/** How a video was made: a job record of this window, or the sidecar saved beside a file (both have these fields). */
export type Generation = Pick<JobRecord, 'provider' | 'providerId' | 'routed' | 'seed' | 'warning'> & {
  request: Pick<JobRecord['request'], 'prompt' | 'model' | 'provider' | 'parameters' | 'extra' | 'preset'>;
  timings?: JobRecord['timings'];
};

/** The rows of the details pane: how the video was made (when known), then what the file is. */
export function detailRows(generation: Generation | undefined, media: MediaFacts | undefined, fileName: string): DetailRow[] {
  const rows: Array<[string, string | number | undefined]> = [];
  if (generation) {
    const { request, timings } = generation;
    const { seed: _seed, negative_prompt: negative, ...parameters } = request.parameters;
    rows.push(
      [vscode.l10n.t('Prompt'), request.prompt],
      [vscode.l10n.t('Negative prompt'), negative === undefined ? undefined : [negative].flat().join('; ')],
      [vscode.l10n.t('Model'), request.model],
      [vscode.l10n.t('Provider'), providerText(generation)],
      [vscode.l10n.t('Provider model id'), generation.providerId],
      [vscode.l10n.t('Preset'), request.preset],
      [vscode.l10n.t('Seed'), generation.seed],
      [vscode.l10n.t('Parameters'), parameterText({ ...parameters, ...request.extra })],
      [vscode.l10n.t('Queued'), duration(timings?.createdAt, timings?.startedAt)],
      [vscode.l10n.t('Generation'), duration(timings?.startedAt, timings?.generatedAt)],
      [vscode.l10n.t('Download'), duration(timings?.generatedAt, timings?.finishedAt)],
    );
  }
  rows.push([vscode.l10n.t('File'), fileName]);
  if (media) {
    rows.push(
      [vscode.l10n.t('Size'), formatBytes(media.bytes)],
      [vscode.l10n.t('Duration'), media.durationSeconds === undefined ? undefined : vscode.l10n.t('{0} s', media.durationSeconds.toFixed(2))],
      [vscode.l10n.t('Resolution'), media.width && media.height ? `${media.width} × ${media.height}` : undefined],
      [vscode.l10n.t('Frame rate'), media.frameRate === undefined ? undefined : vscode.l10n.t('{0} fps', Number(media.frameRate.toFixed(3)))],
      [vscode.l10n.t('Frames'), media.frameCount],
      [vscode.l10n.t('Video codec'), media.video?.label],
      [vscode.l10n.t('Audio codec'), media.audio?.label ?? vscode.l10n.t('No audio')],
      [vscode.l10n.t('Bitrate'), media.bitrate === undefined ? undefined : vscode.l10n.t('{0} kb/s', Math.round(media.bitrate / 1000))],
      [vscode.l10n.t('Container'), media.container.toUpperCase()],
    );
  }
  // Pasted by the user or sent by the Hub: either could hold a secret, and the webview is another process.
  return rows.filter((row): row is [string, string | number] => row[1] !== undefined && row[1] !== '').map(([label, value]) => ({ label, value: redactSecrets(String(value)) }));
}

/** Why a video is black or silent here, said before the user wonders. */
export function noticesFor(media: MediaFacts | undefined, warning: string | undefined): PlayerNotice[] {
  const notices: PlayerNotice[] = [];
  if (media) {
    const playability = playabilityInVsCode(media);
    if (!playability.video) {
      notices.push({ kind: 'video', text: vscode.l10n.t('VS Code cannot play {0} video: the picture stays black here. Open it in your system player.', media.video?.label ?? vscode.l10n.t('this')) });
    }
    if (playability.audio === 'silent') {
      notices.push({ kind: 'audio', text: vscode.l10n.t('The sound is {0}, which VS Code does not play: it plays only outside VS Code.', media.audio!.label) });
    }
  }
  if (warning) notices.push({ kind: 'warning', text: redactSecrets(warning) });
  return notices;
}

export function webviewStrings(): WebviewStrings {
  return {
    loading: vscode.l10n.t('Loading the video…'),
    ready: vscode.l10n.t('Video ready.'),
    speed: vscode.l10n.t('Speed {0}×'),
    loopOn: vscode.l10n.t('Loop on'),
    loopOff: vscode.l10n.t('Loop off'),
    muted: vscode.l10n.t('Muted'),
    unmuted: vscode.l10n.t('Sound on'),
    mutedByWebview: vscode.l10n.t('Playing muted: VS Code did not allow playing with sound before you clicked the player.'),
    frame: vscode.l10n.t('Frame {0}'),
    fit: vscode.l10n.t('Fit to panel'),
    actualSize: vscode.l10n.t('Actual size'),
    cannotPlay: vscode.l10n.t('This video cannot play inside VS Code. Use Open in System Player.'),
    deleted: vscode.l10n.t('The video file was deleted.'),
    savingFrame: vscode.l10n.t('Saving the frame…'),
    play: vscode.l10n.t('Play'),
    pause: vscode.l10n.t('Pause'),
  };
}

function providerText(generation: Generation): string {
  const provider = generation.provider ?? generation.request.provider;
  if (generation.routed === undefined) return provider;
  return generation.routed ? vscode.l10n.t('{0} (via Hugging Face)', provider) : vscode.l10n.t('{0} (direct)', provider);
}

function parameterText(parameters: Record<string, unknown>): string | undefined {
  const entries = Object.entries(parameters).filter(([, value]) => value !== undefined && value !== null);
  return entries.length ? entries.map(([name, value]) => `${name} = ${typeof value === 'string' ? value : JSON.stringify(value)}`).join('\n') : undefined;
}

function duration(from: string | undefined, to: string | undefined): string | undefined {
  const ms = elapsedMs(from, to);
  return ms === undefined ? undefined : formatElapsed(ms);
}
