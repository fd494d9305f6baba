import { isCompareHostMessage, type CompareGroup, type CompareHostMessage, type CompareState, type CompareTile, type CompareWebviewMessage } from '../shared/protocol';
import { fill } from './format';
import { Messaging, type VsCodeApi } from './messaging';
import { controlElements, PlayerControls } from './playerControls';
import { SyncedVideos } from './syncedVideos';

/** One variation's tile: built once, then updated in place so a playing video is never rebuilt. */
interface Tile {
  element: HTMLElement;
  frame: HTMLElement;
  checkbox: HTMLInputElement;
  status: HTMLElement;
  video?: HTMLVideoElement;
}

/**
 * Wires the compare page to the groups the host sends: a tile per variation that fills in as its job
 * finishes, every video driven by the player's controls as one, and "Save Selected" for the picked ones.
 */
export function startCompare(document: Document, api: VsCodeApi): void {
  const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const messaging = new Messaging<CompareWebviewMessage, CompareHostMessage, CompareState>(api, document.defaultView!, isCompareHostMessage);
  const videos = new SyncedVideos(document);
  const controls = new PlayerControls(controlElements(document, videos));
  const grid = byId('stage');
  const saveSelected = byId<HTMLButtonElement>('save-selected');
  const selection = byId('selection');
  const tiles = new Map<string, Tile>();
  let shown: CompareGroup | undefined;
  let started = false;

  const picked = () => [...tiles].filter(([, tile]) => tile.checkbox.checked && !tile.checkbox.disabled).map(([jobId]) => jobId);
  const showSelection = () => {
    const count = picked().length;
    saveSelected.disabled = count === 0;
    selection.textContent = shown && count ? fill(shown.strings.selected, count) : '';
  };
  saveSelected.addEventListener('click', () => {
    const jobIds = picked();
    if (jobIds.length) messaging.send({ type: 'saveSelected', jobIds });
  });

  const update = (group: CompareGroup, data: CompareTile) => {
    const tile = tiles.get(data.jobId) ?? createTile(document, grid, data.jobId, showSelection);
    tiles.set(data.jobId, tile);
    tile.element.className = `tile phase-${data.phase}`;
    tile.element.setAttribute('aria-label', `${data.label}: ${data.status}`);
    tile.checkbox.nextElementSibling!.textContent = data.label;
    tile.status.textContent = data.status;
    tile.checkbox.disabled = data.phase !== 'done' || !data.src;
    if (!data.src || tile.video) return;
    const video = document.createElement('video');
    video.playsInline = true;
    video.setAttribute('aria-label', data.label);
    video.src = data.src;
    tile.frame.replaceChildren(video);
    tile.video = video;
    videos.add(video);
    // The first video starts playback as the player would; later ones join it where it is.
    if (!started) {
      started = true;
      void controls.start(group.playback, data.frameRate, group.strings);
    }
  };

  messaging.onMessage((message) => {
    switch (message.type) {
      case 'group': {
        const group = message.group;
        const summaryChanged = shown?.summary !== group.summary;
        shown = group;
        messaging.remember({ groupId: group.groupId });
        byId('prompt').textContent = group.prompt;
        for (const tile of group.tiles) update(group, tile);
        document.body.classList.remove('loading');
        showSelection();
        if (summaryChanged) controls.announce(group.summary);
        return;
      }
      case 'status':
        controls.announce(message.text);
        return;
    }
  });
  messaging.send({ type: 'ready' });
}

/** A tile with its frame (the phase until the video comes), its checkbox named by its label, and its status line. */
function createTile(document: Document, grid: HTMLElement, jobId: string, onPick: () => void): Tile {
  const element = document.createElement('figure');
  element.setAttribute('role', 'listitem');
  element.dataset.jobId = jobId;
  const frame = document.createElement('div');
  frame.className = 'frame';
  const caption = document.createElement('figcaption');
  const label = document.createElement('label');
  const checkbox = document.createElement('input');
  checkbox.type = 'checkbox';
  checkbox.addEventListener('change', onPick);
  label.append(checkbox, document.createElement('span'));
  const status = document.createElement('span');
  status.className = 'tile-status';
  caption.append(label, status);
  element.append(frame, caption);
  grid.append(element);
  return { element, frame, checkbox, status };
}
