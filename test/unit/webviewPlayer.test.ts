// The player's webview modules in jsdom, with a fake acquireVsCodeApi that records what the webview sends.
import * as assert from 'node:assert/strict';
import { JSDOM, VirtualConsole } from 'jsdom';
import { isHostMessage, isWebviewMessage, PLAYER_ACTIONS, WEBVIEW_STRING_KEYS, type HostMessage, type PlayerVideo, type WebviewStrings } from '../../src/shared/protocol';
import { startPlayer } from '../../src/webview/app';
import { PLAYER_ELEMENTS } from '../webviewPage';

/** The player's page. */
const PAGE = `<!DOCTYPE html><body>${PLAYER_ELEMENTS}</body>`;

/** Every text is its key with `{0}` kept, so a test sees which one was said and with what value. */
const STRINGS = Object.fromEntries(WEBVIEW_STRING_KEYS.map((key) => [key, `${key} {0}`])) as WebviewStrings;

function video(overrides: Partial<PlayerVideo> = {}): PlayerVideo {
  return {
    jobId: 'job-1',
    src: 'https://file+.vscode-resource.vscode-cdn.net/videos/fox.mp4?version=1-2',
    fileName: 'fox.mp4',
    frameRate: 16,
    details: [{ label: 'Prompt', value: '<img src=x onerror=alert(1)> a fox' }],
    notices: [],
    actions: [...PLAYER_ACTIONS],
    playback: { autoPlay: false, loop: true, muted: false },
    strings: STRINGS,
    state: { jobId: 'job-1' },
    ...overrides,
  };
}

describe('player webview (jsdom)', () => {
  let dom: JSDOM;
  let sent: unknown[];
  let states: unknown[];
  const byId = <T extends HTMLElement>(id: string) => dom.window.document.getElementById(id) as T;
  const player = () => byId<HTMLVideoElement>('player');
  const press = (key: string) => dom.window.document.dispatchEvent(new dom.window.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  /** Delivers a host message as VS Code does (a window message event) and lets its handlers run. */
  const receive = async (message: HostMessage | unknown) => {
    dom.window.dispatchEvent(new dom.window.MessageEvent('message', { data: message }));
    await new Promise((resolve) => setImmediate(resolve));
  };

  beforeEach(() => {
    // jsdom does not decode media: its "not implemented" notes are not test output.
    dom = new JSDOM(PAGE, { virtualConsole: new VirtualConsole() });
    sent = [];
    states = [];
    startPlayer(dom.window.document, { postMessage: (message) => sent.push(message), getState: () => states.at(-1), setState: (state) => states.push(state) });
  });
  afterEach(() => dom.window.close());

  it('says it is ready, then shows the details as text, the actions that apply and the job id as its only state', async () => {
    assert.deepEqual(sent, [{ type: 'ready' }]);
    assert.ok(dom.window.document.body.classList.contains('loading'));
    await receive({ type: 'show', video: video({ actions: ['openExternally', 'copyPrompt'] }) });
    assert.equal(byId('details').querySelector('dd')!.textContent, '<img src=x onerror=alert(1)> a fox');
    assert.equal(byId('details').querySelector('img'), null, 'a prompt is never parsed as HTML');
    const visible = [...dom.window.document.querySelectorAll<HTMLButtonElement>('button[data-action]')].filter((button) => !button.hidden).map((button) => button.dataset.action);
    assert.deepEqual(visible, ['copyPrompt', 'openExternally']);
    assert.deepEqual(states, [{ jobId: 'job-1' }]);
    assert.equal(player().getAttribute('src'), video().src);
  });

  it('keeps the state the host chose: a file by its path in the workspace, nothing for a file outside it', async () => {
    await receive({ type: 'show', video: video({ jobId: undefined, state: { file: 'videos/clip.mp4', folder: 'project' } }) });
    await receive({ type: 'show', video: video({ jobId: undefined, src: 'https://file+.vscode-resource.vscode-cdn.net/tmp/other.mp4', state: undefined }) });
    assert.deepEqual(states, [{ file: 'videos/clip.mp4', folder: 'project' }, {}]);
  });

  it('ignores host messages of an unknown shape', async () => {
    await receive({ type: 'show' });
    await receive({ type: 'erase', all: true });
    assert.equal(player().getAttribute('src'), null);
  });

  it('goes through the speeds with < and >, from 0.25× to 2×, saying each', async () => {
    await receive({ type: 'show', video: video() });
    for (let press_ = 0; press_ < 5; press_++) press('>');
    assert.equal(player().playbackRate, 2);
    assert.equal(byId('speed').textContent, '2×');
    for (let press_ = 0; press_ < 9; press_++) press('<');
    assert.equal(player().playbackRate, 0.25);
    assert.equal(byId('status').textContent, 'speed 0.25');
  });

  it('steps by one frame of the file\'s frame rate with the arrow keys, and goes to the first frame with Home', async () => {
    await receive({ type: 'show', video: video({ frameRate: 16 }) });
    player().currentTime = 1;
    press('ArrowRight');
    assert.equal(player().currentTime, 1 + 1 / 16);
    press('ArrowLeft');
    press('ArrowLeft');
    assert.equal(player().currentTime, 1 - 1 / 16);
    assert.equal(byId('status').textContent, 'frame 16');
    press('Home');
    assert.equal(player().currentTime, 0);
  });

  it('toggles loop (L), mute (M), fit (F) and the shortcut list (?), showing each state on its button', async () => {
    await receive({ type: 'show', video: video({ playback: { autoPlay: false, loop: true, muted: false } }) });
    assert.equal(byId('loop').getAttribute('aria-pressed'), 'true');
    press('l');
    assert.equal(player().loop, false);
    assert.equal(byId('loop').getAttribute('aria-pressed'), 'false');
    assert.equal(byId('status').textContent, 'loopOff {0}');
    press('m');
    assert.equal(player().muted, true);
    press('f');
    assert.ok(byId('stage').classList.contains('actual-size'));
    press('?');
    assert.equal(byId('shortcuts').hidden, false);
    press('Escape');
    assert.equal(byId('shortcuts').hidden, true);
  });

  it('plays muted, and says why, when the webview refuses autoplay with sound', async () => {
    // The browser's autoplay policy: sound needs a click first; muted playback is allowed.
    player().play = () => (player().muted ? Promise.resolve() : Promise.reject(new dom.window.DOMException('autoplay with sound', 'NotAllowedError')));
    await receive({ type: 'show', video: video({ playback: { autoPlay: true, loop: true, muted: false } }) });
    assert.equal(player().muted, true);
    assert.equal(byId('status').textContent, 'mutedByWebview {0}');
  });

  it('shows codec notices with a way out, and sends the action', async () => {
    await receive({ type: 'show', video: video({ notices: [{ kind: 'audio', text: 'The sound is AAC LC' }] }) });
    const notice = byId('notices').querySelector('.notice-audio')!;
    assert.equal(notice.querySelector('span')!.textContent, 'The sound is AAC LC');
    notice.querySelector('button')!.click();
    assert.deepEqual(sent.at(-1), { type: 'action', action: 'openExternally' });
    dom.window.document.querySelector<HTMLButtonElement>('button[data-action="regenerate"]')!.click();
    assert.deepEqual(sent.at(-1), { type: 'action', action: 'regenerate' });
  });

  it('moves from loading to ready, to error when the video cannot play, and says when the file was deleted', async () => {
    await receive({ type: 'show', video: video() });
    player().dispatchEvent(new dom.window.Event('loadeddata'));
    assert.ok(dom.window.document.body.classList.contains('ready'));
    player().dispatchEvent(new dom.window.Event('error'));
    assert.ok(dom.window.document.body.classList.contains('error'));
    assert.equal((sent.at(-1) as { type: string }).type, 'playbackError');
    assert.equal(byId('overlay').textContent, 'cannotPlay {0}');
    assert.equal(byId('status').textContent, 'cannotPlay {0}');
    await receive({ type: 'fileDeleted' });
    assert.equal(byId('overlay').textContent, 'deleted {0}');
    assert.equal(byId('status').textContent, 'deleted {0}', 'the status no longer says the video is ready');
  });
});

describe('protocol guards (one table per direction)', () => {
  it('accepts the webview messages the table lists, with fields of the right type', () => {
    assert.ok(isWebviewMessage({ type: 'ready' }));
    assert.ok(isWebviewMessage({ type: 'action', action: 'varySeed' }));
    assert.ok(isWebviewMessage({ type: 'saveFrame', dataUrl: 'data:image/png;base64,AA==', seconds: 1.5 }));
  });

  it('refuses unknown types, unknown actions, wrong field types and inherited names', () => {
    for (const message of [null, 'ready', { type: 'delete' }, { type: 'action', action: 'deleteVideo' }, { type: 'playbackError', message: 3 }, { type: 'saveFrame', dataUrl: 'x', seconds: Number.NaN }, { type: 'toString' }]) {
      assert.equal(isWebviewMessage(message), false, JSON.stringify(message));
    }
    assert.equal(isHostMessage({ type: 'status', text: 1 }), false);
    assert.ok(isHostMessage({ type: 'fileDeleted' }));
  });
});
