// The compare view's webview modules in jsdom, with a fake acquireVsCodeApi that records what the webview sends.
import * as assert from 'node:assert/strict';
import { JSDOM, VirtualConsole } from 'jsdom';
import { isCompareHostMessage, isCompareWebviewMessage, WEBVIEW_STRING_KEYS, type CompareGroup, type CompareHostMessage, type CompareTile } from '../../src/shared/protocol';
import { startCompare } from '../../src/webview/compareApp';

/** The elements the compare view finds by id, as the host's page has them. */
const PAGE = `<!DOCTYPE html><body class="loading">
  <h1 id="prompt"></h1><div id="stage"></div>
  ${['play', 'frame-back', 'frame-forward', 'slower', 'faster', 'loop', 'mute', 'fit', 'shortcuts-button'].map((id) => `<button id="${id}"><span class="codicon"></span></button>`).join('')}
  <input id="seek" type="range"><span id="time"></span><span id="speed"></span>
  <div id="shortcuts" hidden></div><div id="status"></div>
  <button id="save-selected" disabled>Save Selected</button><span id="selection"></span>
</body>`;

const STRINGS = { ...Object.fromEntries(WEBVIEW_STRING_KEYS.map((key) => [key, `${key} {0}`])), selected: '{0} selected' } as CompareGroup['strings'];

function tile(jobId: string, overrides: Partial<CompareTile> = {}): CompareTile {
  return { jobId, label: `seed ${jobId}`, phase: 'done', status: 'took 0:12', src: `https://file+.vscode-resource.vscode-cdn.net/videos/${jobId}.mp4`, frameRate: 16, ...overrides };
}

function group(tiles: CompareTile[], summary = `${tiles.filter((one) => one.phase === 'done').length} ready`): CompareGroup {
  return { groupId: 'group-1', prompt: '<b>A kite</b> over the dunes', tiles, summary, playback: { autoPlay: false, loop: true, muted: true }, strings: STRINGS };
}

describe('compare webview (jsdom)', () => {
  let dom: JSDOM;
  let sent: unknown[];
  let states: unknown[];
  const document = () => dom.window.document;
  const byId = <T extends HTMLElement>(id: string) => document().getElementById(id) as T;
  const videos = () => [...document().querySelectorAll('video')];
  const tileOf = (jobId: string) => document().querySelector<HTMLElement>(`[data-job-id="${jobId}"]`)!;
  const press = (key: string) => document().dispatchEvent(new dom.window.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  const receive = async (message: CompareHostMessage | unknown) => {
    dom.window.dispatchEvent(new dom.window.MessageEvent('message', { data: message }));
    await new Promise((resolve) => setImmediate(resolve));
  };
  /**
   * jsdom has no media engine: each video gets play() and pause() that change `paused` as a browser's do,
   * and a duration, so what the controls do to each one can be read back.
   */
  const playable = (duration = 4) => {
    for (const video of videos().filter((one) => !Object.hasOwn(one, 'paused'))) {
      let paused = true;
      Object.defineProperty(video, 'paused', { get: () => paused });
      Object.defineProperty(video, 'duration', { get: () => duration });
      video.play = async () => {
        paused = false;
        video.dispatchEvent(new dom.window.Event('play'));
      };
      video.pause = () => {
        paused = true;
        video.dispatchEvent(new dom.window.Event('pause'));
      };
    }
  };

  beforeEach(() => {
    dom = new JSDOM(PAGE, { virtualConsole: new VirtualConsole() });
    sent = [];
    states = [];
    startCompare(dom.window.document, { postMessage: (message) => sent.push(message), getState: () => states.at(-1), setState: (state) => states.push(state) });
  });
  afterEach(() => dom.window.close());

  it('says it is ready, then shows a tile per variation labelled with what differs, the prompt as text and the group id as its only state', async () => {
    assert.deepEqual(sent, [{ type: 'ready' }]);
    await receive({ type: 'group', group: group([tile('1'), tile('2', { phase: 'pending', status: 'Generating 40%…', src: undefined }), tile('3', { phase: 'failed', status: 'Failed: quota', src: undefined })]) });
    assert.equal(byId('prompt').textContent, '<b>A kite</b> over the dunes');
    assert.equal(byId('prompt').querySelector('b'), null, 'a prompt is never parsed as HTML');
    assert.deepEqual(states, [{ groupId: 'group-1' }]);
    assert.equal(videos().length, 1, 'only the finished variation has a video');
    assert.equal(tileOf('1').querySelector('label')!.textContent, 'seed 1');
    assert.equal(tileOf('1').querySelector('.tile-status')!.textContent, 'took 0:12');
    assert.ok(tileOf('2').classList.contains('phase-pending'));
    assert.equal(tileOf('2').getAttribute('aria-label'), 'seed 2: Generating 40%…');
    assert.ok(tileOf('3').classList.contains('phase-failed'));
    assert.equal(tileOf('3').querySelector('.tile-status')!.textContent, 'Failed: quota');
    assert.equal(tileOf('3').querySelector('input')!.disabled, true, 'a failed variation cannot be picked');
    assert.equal(byId('status').textContent, '1 ready', 'the summary is announced');
  });

  it('fills in as jobs finish, keeping the videos already there (playback goes on)', async () => {
    await receive({ type: 'group', group: group([tile('1'), tile('2', { phase: 'pending', status: 'Queued', src: undefined })]) });
    const first = videos()[0];
    await receive({ type: 'group', group: group([tile('1'), tile('2')]) });
    assert.equal(videos().length, 2);
    assert.equal(videos()[0], first, 'the first video was not rebuilt');
    assert.equal(tileOf('2').querySelector('video')!.getAttribute('src'), tile('2').src);
    assert.equal(byId('status').textContent, '2 ready');
  });

  it('plays and pauses every video with one button (and Space)', async () => {
    await receive({ type: 'group', group: group([tile('1'), tile('2'), tile('3')]) });
    playable();
    byId('play').click();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(videos().map((video) => video.paused), [false, false, false]);
    assert.match(byId('play').getAttribute('aria-label')!, /^pause/);
    press(' ');
    assert.deepEqual(videos().map((video) => video.paused), [true, true, true]);
    assert.match(byId('play').getAttribute('aria-label')!, /^play/);
  });

  it('seeks every video with the one scrubber, and steps all by a frame of the frame rate', async () => {
    await receive({ type: 'group', group: group([tile('1'), tile('2'), tile('3')]) });
    playable();
    const seek = byId<HTMLInputElement>('seek');
    seek.value = '2.5';
    seek.dispatchEvent(new dom.window.Event('input'));
    assert.deepEqual(videos().map((video) => video.currentTime), [2.5, 2.5, 2.5]);
    press('ArrowRight');
    assert.deepEqual(videos().map((video) => video.currentTime), [2.5 + 1 / 16, 2.5 + 1 / 16, 2.5 + 1 / 16]);
    byId('frame-back').click();
    byId('frame-back').click();
    assert.deepEqual(videos().map((video) => video.currentTime), [2.5 - 1 / 16, 2.5 - 1 / 16, 2.5 - 1 / 16]);
    press('Home');
    assert.deepEqual(videos().map((video) => video.currentTime), [0, 0, 0]);
  });

  it('applies speed, loop and mute to every video, and a video that joins later takes them and the current time', async () => {
    await receive({ type: 'group', group: group([tile('1'), tile('2', { phase: 'pending', status: 'Queued', src: undefined })]) });
    playable();
    press('>');
    press('l');
    press('m');
    videos()[0].currentTime = 1.25;
    await receive({ type: 'group', group: group([tile('1'), tile('2')]) });
    for (const video of videos()) {
      assert.equal(video.playbackRate, 1.25);
      assert.equal(video.loop, false);
      assert.equal(video.muted, false);
      assert.equal(video.currentTime, 1.25);
    }
  });

  it('sends the picked variations with one Save Selected, and says how many are picked', async () => {
    await receive({ type: 'group', group: group([tile('1'), tile('2'), tile('3')]) });
    const save = byId<HTMLButtonElement>('save-selected');
    assert.equal(save.disabled, true, 'nothing picked yet');
    for (const jobId of ['1', '3']) tileOf(jobId).querySelector('input')!.click();
    assert.equal(save.disabled, false);
    assert.equal(byId('selection').textContent, '2 selected');
    save.click();
    assert.deepEqual(sent.at(-1), { type: 'saveSelected', jobIds: ['1', '3'] });
    assert.ok(isCompareWebviewMessage(sent.at(-1)));
  });

  it('leaves Space to a focused checkbox (it picks the tile, not pause)', async () => {
    await receive({ type: 'group', group: group([tile('1')]) });
    const checkbox = tileOf('1').querySelector('input')!;
    const event = new dom.window.KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true });
    checkbox.dispatchEvent(event);
    assert.equal(event.defaultPrevented, false);
  });

  it('ignores host messages of an unknown shape, and says the host\'s status', async () => {
    await receive({ type: 'group' });
    await receive({ type: 'show', video: {} });
    assert.equal(videos().length, 0);
    await receive({ type: 'status', text: 'Saved 2 videos with their sidecars.' });
    assert.equal(byId('status').textContent, 'Saved 2 videos with their sidecars.');
  });
});

describe('compare protocol guards', () => {
  it('accepts Save Selected with a list of ids only', () => {
    assert.ok(isCompareWebviewMessage({ type: 'saveSelected', jobIds: ['a', 'b'] }));
    for (const message of [{ type: 'saveSelected', jobIds: 'a' }, { type: 'saveSelected', jobIds: [1] }, { type: 'action', action: 'save' }, { type: 'toString' }]) {
      assert.equal(isCompareWebviewMessage(message), false, JSON.stringify(message));
    }
    assert.equal(isCompareHostMessage({ type: 'group', group: null }), false);
  });
});
