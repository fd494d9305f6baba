import { isHostMessage, type HostMessage, type PlayerAction, type PlayerVideo } from '../shared/protocol';
import { renderDetails, renderNotices, showActions } from './details';
import { Messaging, type VsCodeApi } from './messaging';
import { controlElements, PlayerControls } from './playerControls';

type PlayerPhase = 'loading' | 'ready' | 'error';

/** Wires the page the host rendered to the videos the host sends. */
export function startPlayer(document: Document, api: VsCodeApi): void {
  const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const video = byId<HTMLVideoElement>('player');
  const messaging = new Messaging(api, document.defaultView!, isHostMessage);
  const controls = new PlayerControls(controlElements(document, video));
  const actionButtons = [...document.querySelectorAll<HTMLButtonElement>('button[data-action]')];
  const saveFrame = byId<HTMLButtonElement>('save-frame');
  const overlay = byId<HTMLElement>('overlay');
  let shown: PlayerVideo | undefined;

  const setPhase = (phase: PlayerPhase, message?: string) => {
    document.body.classList.remove('loading', 'ready', 'error');
    document.body.classList.add(phase);
    overlay.hidden = !message;
    overlay.textContent = message ?? '';
    // The status line must not keep saying "Video ready." under an error.
    if (phase === 'error' && message) controls.announce(message);
  };
  const load = (src: string) => {
    setPhase('loading');
    controls.announce(shown?.strings.loading ?? '');
    video.src = src;
  };

  video.addEventListener('loadeddata', () => {
    if (!document.body.classList.contains('error')) setPhase('ready');
    controls.announce(shown?.strings.ready ?? '');
  });
  video.addEventListener('error', () => {
    if (!shown || document.body.classList.contains('error')) return;
    setPhase('error', shown.strings.cannotPlay);
    messaging.send({ type: 'playbackError', message: video.error?.message || `media error ${video.error?.code ?? ''}`.trim() });
  });
  for (const button of actionButtons) {
    button.addEventListener('click', () => messaging.send({ type: 'action', action: button.dataset.action as PlayerAction }));
  }
  saveFrame.addEventListener('click', () => {
    const dataUrl = currentFrame(video);
    if (!dataUrl) return;
    controls.announce(shown?.strings.savingFrame ?? '');
    messaging.send({ type: 'saveFrame', dataUrl, seconds: video.currentTime });
  });

  messaging.onMessage((message: HostMessage) => {
    switch (message.type) {
      case 'show': {
        shown = message.video;
        messaging.remember(shown.state ?? {});
        renderDetails(byId('details'), shown.details);
        renderNotices(byId('notices'), shown.notices, byId('open-externally').textContent ?? '', () => messaging.send({ type: 'action', action: 'openExternally' }));
        showActions(actionButtons, shown.actions);
        // Details change (saved, replaced file) without a new address: playback goes on.
        if (video.getAttribute('src') === shown.src) return;
        load(shown.src);
        void controls.start(shown.playback, shown.frameRate, shown.strings);
        return;
      }
      case 'fileDeleted':
        video.pause();
        video.removeAttribute('src');
        video.load();
        setPhase('error', shown?.strings.deleted);
        return;
      case 'status':
        controls.announce(message.text);
        return;
    }
  });
  setPhase('loading');
  messaging.send({ type: 'ready' });

}

/** The frame on screen as a PNG data URL, at the video's own size; undefined before a frame is decoded. */
function currentFrame(video: HTMLVideoElement): string | undefined {
  if (!video.videoWidth || !video.videoHeight) return undefined;
  const canvas = video.ownerDocument.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d');
  if (!context) return undefined;
  context.drawImage(video, 0, 0);
  return canvas.toDataURL('image/png');
}
