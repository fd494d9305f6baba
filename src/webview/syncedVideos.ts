import type { Playable } from './playerControls';

/** How far a video may run ahead of or behind the leader while playing before it is put back in step. */
const MAX_DRIFT_SECONDS = 0.1;

/**
 * The compare view's videos as one: the player's controls drive them through this, so play, pause,
 * seek, frame steps, speed, loop and mute apply to all. The longest video leads: its time is the
 * scrubber's, and the others are kept within a few frames of it while playing. Videos join as their
 * jobs finish and take on the group's time and settings.
 */
export class SyncedVideos implements Playable {
  private readonly videos: HTMLVideoElement[] = [];
  private readonly listeners: Array<[string, () => void]> = [];
  private settings = { loop: true, muted: true, playbackRate: 1 };

  constructor(readonly ownerDocument: Document) {}

  add(video: HTMLVideoElement): void {
    const playing = !this.paused;
    const leader = this.leader();
    video.loop = this.settings.loop;
    video.muted = this.settings.muted;
    video.playbackRate = this.settings.playbackRate;
    if (leader) video.currentTime = leader.currentTime;
    for (const [type, listener] of this.listeners) video.addEventListener(type, listener);
    video.addEventListener('timeupdate', () => this.keepInStep(video));
    this.videos.push(video);
    if (playing) void playQuietly(video);
  }

  /** The videos that play together, in the order they joined. */
  get members(): readonly HTMLVideoElement[] {
    return this.videos;
  }

  get paused(): boolean {
    return this.videos.every((video) => video.paused);
  }

  get ended(): boolean {
    return this.leader()?.ended ?? false;
  }

  get duration(): number {
    return this.leader()?.duration ?? Number.NaN;
  }

  get currentTime(): number {
    return this.leader()?.currentTime ?? 0;
  }

  /** Every video to the same time; a shorter one stays on its last frame. */
  set currentTime(seconds: number) {
    for (const video of this.videos) video.currentTime = Number.isFinite(video.duration) ? Math.min(seconds, video.duration) : seconds;
  }

  get loop(): boolean {
    return this.settings.loop;
  }

  set loop(loop: boolean) {
    this.apply({ loop });
  }

  get muted(): boolean {
    return this.settings.muted;
  }

  set muted(muted: boolean) {
    this.apply({ muted });
  }

  get playbackRate(): number {
    return this.settings.playbackRate;
  }

  set playbackRate(playbackRate: number) {
    this.apply({ playbackRate });
  }

  /** Starts all from the leader's time; rejects as a video does (autoplay refused), so the controls can fall back to muted. */
  async play(): Promise<void> {
    this.currentTime = this.currentTime;
    await Promise.all(this.videos.map((video) => Promise.resolve(video.play())));
  }

  pause(): void {
    for (const video of this.videos) video.pause();
  }

  /** Listeners go on every video, those here and those still to come (the controls add theirs before any video exists). */
  addEventListener(type: string, listener: () => void): void {
    this.listeners.push([type, listener]);
    for (const video of this.videos) video.addEventListener(type, listener);
  }

  private apply(change: Partial<SyncedVideos['settings']>): void {
    this.settings = { ...this.settings, ...change };
    for (const video of this.videos) Object.assign(video, change);
  }

  private leader(): HTMLVideoElement | undefined {
    const length = (video: HTMLVideoElement) => (Number.isFinite(video.duration) ? video.duration : 0);
    return this.videos.reduce<HTMLVideoElement | undefined>((longest, video) => (!longest || length(video) > length(longest) ? video : longest), undefined);
  }

  /** Videos decode at their own pace: one that drifted while playing is put back on the leader's time. */
  private keepInStep(video: HTMLVideoElement): void {
    const leader = this.leader();
    if (!leader || leader === video || video.paused || video.seeking || leader.seeking) return;
    const time = leader.currentTime;
    if (Number.isFinite(video.duration) && time >= video.duration) return;
    if (Math.abs(video.currentTime - time) > MAX_DRIFT_SECONDS) video.currentTime = time;
  }
}

/** play() returned nothing in older engines (and in jsdom): wrapped, so there is always a promise to catch. */
function playQuietly(video: HTMLVideoElement): Promise<void> {
  return Promise.resolve(video.play()).catch(() => undefined);
}
