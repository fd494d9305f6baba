import type { PlaybackSettings, WebviewStrings } from '../shared/protocol';
import { clock, fill } from './format';

/** The speeds `<` and `>` step through. */
export const SPEEDS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2] as const;
/** Used for frame steps when the file's frame rate could not be read. */
const FALLBACK_FRAME_RATE = 30;

/**
 * What the controls play: a video element, or the compare view's videos played as one. Only what the
 * controls use, so both fit.
 */
export interface Playable {
  readonly paused: boolean;
  readonly ended: boolean;
  readonly duration: number;
  readonly ownerDocument: Document;
  currentTime: number;
  loop: boolean;
  muted: boolean;
  playbackRate: number;
  play(): Promise<void>;
  pause(): void;
  addEventListener(type: string, listener: () => void): void;
}

/** The controls' elements, found by id in the page the host rendered. */
export interface ControlElements {
  video: Playable;
  stage: HTMLElement;
  play: HTMLButtonElement;
  frameBack: HTMLButtonElement;
  frameForward: HTMLButtonElement;
  slower: HTMLButtonElement;
  faster: HTMLButtonElement;
  speed: HTMLElement;
  loop: HTMLButtonElement;
  mute: HTMLButtonElement;
  fit: HTMLButtonElement;
  time: HTMLElement;
  seek: HTMLInputElement;
  status: HTMLElement;
  shortcutsButton: HTMLButtonElement;
  shortcuts: HTMLElement;
}

/** The toolbar's elements by the ids the host's pages give them (the player's and the compare view's). */
export function controlElements(document: Document, video: Playable): ControlElements {
  const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  return {
    video,
    stage: byId('stage'),
    play: byId('play'),
    frameBack: byId('frame-back'),
    frameForward: byId('frame-forward'),
    slower: byId('slower'),
    faster: byId('faster'),
    speed: byId('speed'),
    loop: byId('loop'),
    mute: byId('mute'),
    fit: byId('fit'),
    time: byId('time'),
    seek: byId('seek'),
    status: byId('status'),
    shortcutsButton: byId('shortcuts-button'),
    shortcuts: byId('shortcuts'),
  };
}

/**
 * The player's own controls, keyboard first: play/pause (Space), loop (L), speed (< >), frame steps
 * (← →) by the file's real frame rate, first/last frame (Home/End), fit or actual size (F), mute (M),
 * and "?" for the list. Changes are said in a live region for screen readers.
 */
export class PlayerControls {
  private frameRate = FALLBACK_FRAME_RATE;
  private strings: WebviewStrings | undefined;

  constructor(private readonly elements: ControlElements) {
    const { video } = elements;
    elements.play.addEventListener('click', () => this.togglePlay());
    elements.frameBack.addEventListener('click', () => this.stepFrames(-1));
    elements.frameForward.addEventListener('click', () => this.stepFrames(1));
    elements.slower.addEventListener('click', () => this.changeSpeed(-1));
    elements.faster.addEventListener('click', () => this.changeSpeed(1));
    elements.loop.addEventListener('click', () => this.toggleLoop());
    elements.mute.addEventListener('click', () => this.toggleMute());
    elements.fit.addEventListener('click', () => this.toggleFit());
    elements.shortcutsButton.addEventListener('click', () => this.toggleShortcuts());
    elements.seek.addEventListener('input', () => this.seek(Number(elements.seek.value)));
    video.addEventListener('click', () => this.togglePlay());
    for (const event of ['play', 'pause', 'volumechange', 'ratechange']) video.addEventListener(event, () => this.sync());
    for (const event of ['timeupdate', 'seeked', 'durationchange', 'loadedmetadata']) video.addEventListener(event, () => this.syncTime());
    video.ownerDocument.addEventListener('keydown', (event) => this.onKey(event));
  }

  /** A new video: its frame rate, and how playback starts (the user's settings). */
  async start(settings: PlaybackSettings, frameRate: number | undefined, strings: WebviewStrings): Promise<void> {
    const { video } = this.elements;
    this.strings = strings;
    this.frameRate = frameRate && frameRate > 0 ? frameRate : FALLBACK_FRAME_RATE;
    video.loop = settings.loop;
    video.muted = settings.muted;
    video.playbackRate = 1;
    this.sync();
    if (settings.autoPlay) await this.playWithFallback();
  }

  /** Tries with sound; when the webview refuses autoplay with sound, plays muted and says so (as VS Code's own preview does). */
  private async playWithFallback(): Promise<void> {
    const { video } = this.elements;
    try {
      await video.play();
    } catch (error) {
      if ((error as DOMException)?.name !== 'NotAllowedError' || video.muted) return;
      video.muted = true;
      this.announce(this.text('mutedByWebview'));
      await video.play().catch(() => undefined);
    }
  }

  togglePlay(): void {
    const { video } = this.elements;
    // play() returned nothing in older engines (and in jsdom): wrapped, so there is always a promise to catch.
    if (video.paused || video.ended) void Promise.resolve(video.play()).catch(() => undefined);
    else video.pause();
  }

  /** Pauses and moves by whole frames: `currentTime` lands on a frame's start, one frame from the one shown. */
  stepFrames(count: number): void {
    const { video } = this.elements;
    video.pause();
    const frame = Math.round(video.currentTime * this.frameRate) + count;
    this.seek(frame / this.frameRate);
    this.announce(fill(this.text('frame'), Math.round(video.currentTime * this.frameRate) + 1));
  }

  seekToEdge(edge: 'first' | 'last'): void {
    const { video } = this.elements;
    video.pause();
    // The last frame starts one frame before the end; seeking to the very end would loop or end playback.
    this.seek(edge === 'first' ? 0 : Math.max(0, (Math.round((video.duration || 0) * this.frameRate) - 1) / this.frameRate));
  }

  changeSpeed(direction: -1 | 1): void {
    const { video } = this.elements;
    const index = SPEEDS.findIndex((speed) => speed >= video.playbackRate - 1e-9);
    const current = index === -1 ? SPEEDS.length - 1 : index;
    video.playbackRate = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, current + direction))]!;
    this.announce(fill(this.text('speed'), video.playbackRate));
  }

  toggleLoop(): void {
    const { video } = this.elements;
    video.loop = !video.loop;
    this.sync();
    this.announce(this.text(video.loop ? 'loopOn' : 'loopOff'));
  }

  toggleMute(): void {
    const { video } = this.elements;
    video.muted = !video.muted;
    this.announce(this.text(video.muted ? 'muted' : 'unmuted'));
  }

  toggleFit(): void {
    const { stage, fit } = this.elements;
    const actual = stage.classList.toggle('actual-size');
    fit.setAttribute('aria-pressed', String(actual));
    this.announce(this.text(actual ? 'actualSize' : 'fit'));
  }

  toggleShortcuts(): void {
    const { shortcuts, shortcutsButton } = this.elements;
    shortcuts.hidden = !shortcuts.hidden;
    shortcutsButton.setAttribute('aria-expanded', String(!shortcuts.hidden));
  }

  announce(text: string): void {
    this.elements.status.textContent = text;
  }

  private seek(seconds: number): void {
    const { video } = this.elements;
    const duration = Number.isFinite(video.duration) ? video.duration : seconds;
    video.currentTime = Math.min(Math.max(0, seconds), duration);
    this.syncTime();
  }

  private onKey(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    // Keys typed into a control that takes them (the position slider) stay there.
    if (isElement(event.target, 'input') && event.key.startsWith('Arrow')) return;
    // Keys typed into a text field (the studio's form) are text, not player commands.
    if (isElement(event.target, 'textarea, select, input:not([type="range"])')) return;
    const action = this.keyAction(event);
    if (!action) return;
    event.preventDefault();
    action();
  }

  private keyAction(event: KeyboardEvent): (() => void) | undefined {
    // A focused button (or checkbox) is pressed by Space as usual.
    if (event.key === ' ' && isElement(event.target, 'button, input[type="checkbox"]')) return undefined;
    switch (event.key) {
      case ' ':
      case 'k':
        return () => this.togglePlay();
      case 'ArrowLeft':
        return () => this.stepFrames(-1);
      case 'ArrowRight':
        return () => this.stepFrames(1);
      case 'Home':
        return () => this.seekToEdge('first');
      case 'End':
        return () => this.seekToEdge('last');
      case '<':
      case ',':
        return () => this.changeSpeed(-1);
      case '>':
      case '.':
        return () => this.changeSpeed(1);
      case 'l':
      case 'L':
        return () => this.toggleLoop();
      case 'm':
      case 'M':
        return () => this.toggleMute();
      case 'f':
      case 'F':
        return () => this.toggleFit();
      case '?':
        return () => this.toggleShortcuts();
      case 'Escape':
        return this.elements.shortcuts.hidden ? undefined : () => this.toggleShortcuts();
      default:
        return undefined;
    }
  }

  /** Buttons show what a press will do, and their pressed state. */
  private sync(): void {
    const { video, play, loop, mute, speed } = this.elements;
    const playing = !video.paused && !video.ended;
    play.setAttribute('aria-label', `${this.text(playing ? 'pause' : 'play')} (Space)`);
    play.title = play.getAttribute('aria-label')!;
    play.firstElementChild?.classList.replace(playing ? 'codicon-play' : 'codicon-debug-pause', playing ? 'codicon-debug-pause' : 'codicon-play');
    mute.firstElementChild?.classList.replace(video.muted ? 'codicon-unmute' : 'codicon-mute', video.muted ? 'codicon-mute' : 'codicon-unmute');
    loop.setAttribute('aria-pressed', String(video.loop));
    mute.setAttribute('aria-pressed', String(video.muted));
    speed.textContent = `${video.playbackRate}×`;
  }

  private syncTime(): void {
    const { video, time, seek } = this.elements;
    const duration = Number.isFinite(video.duration) ? video.duration : 0;
    time.textContent = `${clock(video.currentTime)} / ${clock(duration)}`;
    seek.max = String(duration);
    seek.step = String(1 / this.frameRate);
    seek.value = String(video.currentTime);
    seek.setAttribute('aria-valuetext', clock(video.currentTime));
  }

  private text(key: keyof WebviewStrings): string {
    return this.strings?.[key] ?? key;
  }
}

/** Whether an event target is an element matching `selector` (no global constructors: the webview's window is the one to ask). */
function isElement(target: EventTarget | null, selector: string): boolean {
  return typeof (target as Element | null)?.matches === 'function' && (target as Element).matches(selector);
}
