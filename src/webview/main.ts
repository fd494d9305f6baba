import type { HostMessage, PlayerState, PlayerVideo, WebviewMessage } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PlayerState | undefined;
  setState(state: PlayerState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const player = document.getElementById('player') as HTMLVideoElement;
const saveButton = document.getElementById('save') as HTMLButtonElement;
const openButton = document.getElementById('open-externally') as HTMLButtonElement;
const status = document.getElementById('status') as HTMLElement;
const warning = document.getElementById('warning') as HTMLElement;
const details = document.getElementById('details') as HTMLElement;

function send(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function setStatus(text: string): void {
  status.textContent = text;
}

function show(jobId: string, video: PlayerVideo): void {
  // Kept so VS Code can bring the panel back after a window reload.
  vscode.setState({ jobId });
  player.src = video.src;
  saveButton.disabled = false;
  setStatus(video.savedTo ? `Saved to ${video.savedTo}` : '');
  warning.hidden = !video.warning;
  warning.textContent = video.warning ?? '';
  const rows: Array<[string, string | undefined]> = [
    ['Prompt', video.prompt],
    ['Model', video.model],
    ['Provider', video.provider],
    ['Seed', video.seed === undefined ? undefined : String(video.seed)],
    ['File', `${video.fileName} (${video.sizeLabel})`],
    ['Time', video.elapsedLabel],
  ];
  // textContent only: prompts and model names are never parsed as HTML.
  details.replaceChildren(
    ...rows.flatMap(([label, value]) => {
      if (value === undefined) return [];
      const term = document.createElement('dt');
      term.textContent = label;
      const description = document.createElement('dd');
      description.textContent = value;
      return [term, description];
    }),
  );
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'show':
      show(message.jobId, message.video);
      break;
    case 'saved':
      saveButton.disabled = false;
      setStatus(`Saved to ${message.path}`);
      break;
    case 'saveFailed':
      saveButton.disabled = false;
      setStatus(message.message);
      break;
  }
});

saveButton.addEventListener('click', () => {
  saveButton.disabled = true;
  setStatus('Saving…');
  send({ type: 'save' });
});

openButton.addEventListener('click', () => send({ type: 'openExternally' }));

player.addEventListener('error', () => {
  const reason = player.error?.message || 'this video format cannot be played inside VS Code';
  setStatus('The video cannot play here: use Open in System Player.');
  send({ type: 'playbackError', message: reason });
});

send({ type: 'ready' });
