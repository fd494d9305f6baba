// The studio's form logic: the shared conversions, and the webview modules in jsdom with a fake acquireVsCodeApi.
import * as assert from 'node:assert/strict';
import { JSDOM, VirtualConsole } from 'jsdom';
import { parsePromptFile, promptFileSnippet, shotSnippet } from '../../src/core/promptFile';
import { isStudioWebviewMessage, STUDIO_NUMBER_FIELDS, STUDIO_STRING_KEYS, type StudioForm, type StudioHostMessage, type StudioInit, type StudioStrings } from '../../src/shared/protocol';
import { checkForm, differencesFrom, emptyForm, formFromValues, formValues } from '../../src/shared/studioForm';
import { startPlayer } from '../../src/webview/app';
import { nestedState, type VsCodeApi } from '../../src/webview/messaging';
import { startStudio } from '../../src/webview/studio';
import { PLAYER_ELEMENTS } from '../webviewPage';

function form(overrides: Partial<StudioForm> = {}): StudioForm {
  return { ...emptyForm('A red fox trotting through fresh snow'), ...overrides };
}

describe('studio form values', () => {
  it('sends what is filled in, numbers as numbers, extras as JSON when they read as JSON, the seed only when locked', () => {
    const values = formValues(
      form({
        model: 'Wan-AI/Wan2.1-T2V-14B',
        provider: 'fal-ai',
        numbers: { num_frames: ' 49 ', guidance_scale: '', num_inference_steps: '30' },
        negativePrompt: 'blurry',
        seed: '42',
        seedMode: 'random',
        extras: [
          { key: 'resolution', value: '720p' },
          { key: 'duration', value: '5' },
          { key: '', value: 'ignored' },
        ],
      }),
    );
    assert.deepEqual(values, { model: 'Wan-AI/Wan2.1-T2V-14B', provider: 'fal-ai', num_frames: 49, num_inference_steps: 30, negative_prompt: 'blurry', extra: { resolution: '720p', duration: 5 } });
    assert.equal(formValues(form({ seed: '42', seedMode: 'lock' })).seed, 42);
  });

  it('reads back the form it was made from', () => {
    const values = { model: 'genmo/mochi-1-preview', provider: 'novita', num_frames: 33, guidance_scale: 4.5, negative_prompt: 'watermark', seed: 7, extra: { aspect_ratio: '9:16', loop: true } };
    const made = formFromValues(values, 'A fox', 'draft');
    assert.equal(made.seedMode, 'lock');
    assert.equal(made.preset, 'draft');
    assert.deepEqual(formValues(made), values);
  });

  it('names each wrong field with the parameter table\'s words', () => {
    const problems = checkForm(form({ numbers: { num_frames: '5000', guidance_scale: 'lots', num_inference_steps: '' }, extras: [{ key: 'webhook_url', value: 'https://elsewhere.example' }] }));
    assert.deepEqual(problems, [
      { field: 'num_frames', message: 'num_frames must be a whole number from 1 to 1000, not 5000' },
      { field: 'guidance_scale', message: 'guidance_scale must be a number from 0 to 50, not "lots"' },
      { field: 'extra.webhook_url', message: 'extra.webhook_url would send the result somewhere else and may not be set' },
    ]);
    assert.deepEqual(checkForm(form({ prompt: '  ' })), [{ field: 'prompt', message: 'prompt is empty' }]);
    assert.deepEqual(checkForm(form({ prompt: 'x'.repeat(10_001) })), [{ field: 'prompt', message: 'prompt is 10001 characters long; the limit is 10000' }]);
    assert.deepEqual(checkForm(form({ extras: [{ key: 'fps', value: '8' }, { key: 'fps', value: '16' }] })), [{ field: 'extra.fps', message: 'extra.fps is there twice' }]);
  });

  it('marks what differs from the preset, extras key by key', () => {
    const preset = { num_frames: 33, extra: { aspect_ratio: '9:16', fps: 8 } };
    const changed = form({ numbers: { num_frames: '49', guidance_scale: '', num_inference_steps: '' }, extras: [{ key: 'aspect_ratio', value: '9:16' }], seed: '3', seedMode: 'lock' });
    assert.deepEqual(differencesFrom(changed, preset), ['num_frames', 'seed', 'extra.fps']);
    assert.deepEqual(differencesFrom(formFromValues(preset, 'A fox', 'draft'), preset), []);
  });

  it('turns into a prompt file, and into a shot, that the parser reads back as the same values', () => {
    const values = formValues(form({ model: 'Wan-AI/Wan2.1-T2V-14B', numbers: { num_frames: '49', guidance_scale: '', num_inference_steps: '' }, extras: [{ key: 'resolution', value: '720p' }] }));
    const file = parsePromptFile(promptFileSnippet({ preset: 'draft', ...values }, 'A red fox\nin the snow'), { knownPresets: ['draft'] });
    assert.deepEqual(file.diagnostics, []);
    assert.deepEqual(file.frontMatter, { preset: 'draft', ...values });
    assert.equal(file.shots[0]!.prompt, 'A red fox\nin the snow');
    const withShot = parsePromptFile(`## First\n\nA fox\n\n${shotSnippet('Second  one', { num_frames: 81 }, 'A wolf')}`);
    assert.deepEqual(withShot.diagnostics, []);
    assert.deepEqual(withShot.shots.map((shot) => [shot.name, shot.prompt, shot.values]), [['First', 'A fox', {}], ['Second one', 'A wolf', { num_frames: 81 }]]);
    assert.equal(promptFileSnippet({}, 'Only a prompt'), 'Only a prompt\n');
  });

  it('accepts only well-formed forms from the webview', () => {
    assert.ok(isStudioWebviewMessage({ type: 'generate', form: form() }));
    assert.equal(isStudioWebviewMessage({ type: 'generate', form: { ...form(), seedMode: 'sometimes' } }), false);
    assert.equal(isStudioWebviewMessage({ type: 'generate', form: { ...form(), numbers: { num_frames: 49 } } }), false);
    assert.equal(isStudioWebviewMessage({ type: 'generate', form: { ...form(), extras: [{ key: 'a' }] } }), false);
  });
});

/** The elements the studio and its player find by id, as the host's page has them. */
const PAGE = `<!DOCTYPE html><body class="studio loading"><main>
  <section class="form"><p id="source" hidden></p><p id="saving" hidden></p>
  ${['prompt', 'negative_prompt'].map((id) => `<div class="field" id="${id}-field"><label for="${id}">${id}</label><textarea id="${id}"></textarea><div id="${id}-hint"></div><div class="problem" id="${id}-problem"></div></div>`).join('')}
  ${['model', ...STUDIO_NUMBER_FIELDS, 'seed'].map((id) => `<div class="field" id="${id}-field"><label for="${id}">${id}</label><input id="${id}" type="text"><div id="${id}-hint"></div><div class="problem" id="${id}-problem"></div></div>`).join('')}
  <datalist id="model-list"></datalist>
  <div class="field" id="provider-field"><label for="provider">provider</label><select id="provider"></select><div class="problem" id="provider-problem"></div></div>
  <div class="field" id="preset-field"><label for="preset">preset</label><select id="preset"></select><div class="problem" id="preset-problem"></div></div>
  <select id="seed-mode"><option value="random">random</option><option value="lock">lock</option></select>
  <button id="save-preset"></button><button id="update-preset" hidden></button><button id="reuse-seed" disabled></button>
  <div id="extras"></div><div id="extras-problem"></div><button id="add-extra"></button>
  <button id="generate"></button><button id="cancel-job" hidden></button><button id="copy-prompt-file"></button><button id="insert-shot" hidden></button>
  <div id="studio-status"></div></section>
  <section id="job" hidden><span id="job-phase"></span><span id="job-ahead"></span><span id="job-elapsed"></span><pre id="job-logs" hidden></pre></section>
  <section id="result" hidden>${PLAYER_ELEMENTS}
  </section>
  <div id="results"></div>
</main></body>`;

const STRINGS = Object.fromEntries(STUDIO_STRING_KEYS.map((key) => [key, `${key} {0}`])) as StudioStrings;

function init(overrides: Partial<StudioInit> = {}): StudioInit {
  return {
    form: form({ preset: 'draft', numbers: { num_frames: '33', guidance_scale: '', num_inference_steps: '' } }),
    inherited: { model: 'Wan-AI/Wan2.1-T2V-14B', num_inference_steps: '20' },
    presets: [{ name: 'draft', values: { num_frames: 33 } }],
    models: [{ id: 'Wan-AI/Wan2.1-T2V-14B', providers: [{ provider: 'fal-ai', status: 'live' }, { provider: 'novita', status: 'staging' }] }],
    results: [],
    source: 'From a selection in notes.md',
    saving: '',
    canInsert: false,
    strings: STRINGS,
    ...overrides,
  };
}

describe('studio webview (jsdom)', () => {
  let dom: JSDOM;
  let sent: Array<{ type: string; [field: string]: unknown }>;
  let state: unknown;
  const byId = <T extends HTMLElement>(id: string) => dom.window.document.getElementById(id) as T;
  const receive = async (message: StudioHostMessage) => {
    dom.window.dispatchEvent(new dom.window.MessageEvent('message', { data: message }));
    await new Promise((resolve) => setImmediate(resolve));
  };
  /** Types into a field as a user does: the value changes, then an input event bubbles to the form. */
  const type = (id: string, value: string) => {
    const element = byId<HTMLInputElement>(id);
    element.value = value;
    element.dispatchEvent(new dom.window.Event('input', { bubbles: true }));
  };
  const key = (target: EventTarget, init: KeyboardEventInit) => target.dispatchEvent(new dom.window.KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
  const sentOf = (kind: string) => sent.filter((message) => message.type === kind);

  beforeEach(async () => {
    dom = new JSDOM(PAGE, { virtualConsole: new VirtualConsole() });
    sent = [];
    state = undefined;
    const api: VsCodeApi = { postMessage: (message) => sent.push(message as (typeof sent)[number]), getState: () => state, setState: (next) => (state = next) };
    startPlayer(dom.window.document, nestedState(api, 'player'));
    startStudio(dom.window.document, api);
    await receive({ type: 'studioInit', init: init() });
  });
  afterEach(() => dom.window.close());

  it('says it is ready, then fills the form, with the settings\' values or the provider default as placeholders', () => {
    assert.deepEqual(sent.map((message) => message.type), ['ready', 'studioReady']);
    assert.equal(byId<HTMLTextAreaElement>('prompt').value, 'A red fox trotting through fresh snow');
    assert.equal(byId<HTMLInputElement>('num_frames').value, '33');
    assert.equal(byId<HTMLInputElement>('num_inference_steps').placeholder, 'fromSettings 20');
    assert.equal(byId<HTMLInputElement>('guidance_scale').placeholder, 'providerDefault {0}');
    assert.equal(byId('prompt-hint').textContent, 'characters 37');
    assert.deepEqual([...byId<HTMLSelectElement>('provider').options].map((option) => option.textContent), ['auto {0}', 'fal-ai (live)', 'novita (staging)']);
    assert.equal(byId('source').textContent, 'From a selection in notes.md');
    assert.equal(byId('saving').hidden, true, 'a selection saves as the settings say: nothing to tell');
    assert.equal(byId<HTMLSelectElement>('preset').value, 'draft');
    assert.equal(byId('update-preset').hidden, false);
  });

  it('says under the source where a prompt file\'s run is saved', async () => {
    await receive({ type: 'studioInit', init: init({ source: 'From shots.video.md, shot "Dawn"', saving: 'Saved automatically to videos/lighthouse as ${shot}, as the prompt file says.', canInsert: true }) });
    assert.equal(byId('saving').hidden, false);
    assert.equal(byId('saving').textContent, 'Saved automatically to videos/lighthouse as ${shot}, as the prompt file says.');
  });

  it('checks every field as the user types, and marks what differs from the loaded preset', () => {
    type('num_frames', '5000');
    assert.equal(byId('num_frames-problem').textContent, 'num_frames must be a whole number from 1 to 1000, not 5000');
    assert.equal(byId('num_frames').getAttribute('aria-invalid'), 'true');
    assert.ok(byId('num_frames-field').classList.contains('changed'));
    assert.equal(byId('num_frames').getAttribute('aria-description'), 'changed {0}');
    type('num_frames', '33');
    assert.equal(byId('num_frames-problem').textContent, '');
    assert.ok(!byId('num_frames-field').classList.contains('changed'));
    assert.equal(byId('num_frames').getAttribute('aria-description'), null);
    byId('add-extra').click();
    const row = byId('extras').querySelector('.extra')!;
    assert.equal(dom.window.document.activeElement, row.querySelector('.extra-key'), 'the new row\'s key has the focus');
    const [extraKey] = row.querySelectorAll('input');
    extraKey!.value = 'callback_url';
    extraKey!.dispatchEvent(new dom.window.Event('input', { bubbles: true }));
    assert.equal(byId('extras-problem').textContent, 'extra.callback_url would send the result somewhere else and may not be set');
    assert.deepEqual((state as { form: StudioForm }).form.extras, [{ key: 'callback_url', value: '' }], 'the form is kept in the webview state');
  });

  it('generates with Ctrl+Enter exactly what the form holds; a wrong field stops it and takes the focus', () => {
    type('seed', '1234');
    byId<HTMLSelectElement>('seed-mode').value = 'lock';
    type('num_frames', '0');
    key(byId('prompt'), { key: 'Enter', ctrlKey: true });
    assert.deepEqual(sentOf('generate'), []);
    assert.equal(dom.window.document.activeElement, byId('num_frames'));
    assert.match(byId('studio-status').textContent!, /num_frames must be a whole number from 1 to 1000, not 0/);
    type('num_frames', '49');
    key(byId('num_frames'), { key: 'Enter', ctrlKey: true });
    assert.deepEqual(formValues(sentOf('generate')[0]!.form as StudioForm), { provider: 'auto', num_frames: 49, seed: 1234 });
  });

  it('shows the job inline, and Escape cancels it while it runs', async () => {
    await receive({ type: 'studioJob', job: { id: 'job-1', state: 'active', phase: 'In the provider\'s queue', ahead: 2, logs: ['step 1/30'], startedAt: Date.now(), seed: 77 } });
    assert.equal(byId('job').hidden, false);
    assert.equal(byId('job-phase').textContent, 'In the provider\'s queue');
    assert.equal(byId('job-ahead').textContent, 'ahead 2');
    assert.equal(byId('job-logs').textContent, 'step 1/30');
    assert.equal(byId<HTMLButtonElement>('generate').disabled, true);
    assert.equal(byId('cancel-job').hidden, false);
    key(dom.window.document.body, { key: 'Escape' });
    assert.deepEqual(sentOf('cancelJob'), [{ type: 'cancelJob' }]);
    await receive({ type: 'studioJob', job: { id: 'job-1', state: 'done', phase: 'Done', logs: [], startedAt: Date.now(), seed: 77 } });
    assert.equal(byId('cancel-job').hidden, true);
    byId('reuse-seed').click();
    assert.equal(byId<HTMLInputElement>('seed').value, '77');
    assert.equal(byId<HTMLSelectElement>('seed-mode').value, 'lock');
  });

  it('leaves letters typed into the form to the form, not to the player\'s shortcuts', () => {
    const video = byId<HTMLVideoElement>('player');
    const loop = video.loop;
    key(byId('prompt'), { key: 'l' });
    key(byId('prompt'), { key: ' ' });
    assert.equal(video.loop, loop);
  });

  it('loads a preset through the host, and asks which providers serve a model typed in', () => {
    const preset = byId<HTMLSelectElement>('preset');
    preset.value = '';
    preset.dispatchEvent(new dom.window.Event('change'));
    assert.deepEqual(sentOf('loadPreset'), [{ type: 'loadPreset', name: '' }]);
    byId<HTMLInputElement>('model').value = 'genmo/mochi-1-preview';
    byId('model').dispatchEvent(new dom.window.Event('change'));
    assert.deepEqual(sentOf('lookupModel'), [{ type: 'lookupModel', model: 'genmo/mochi-1-preview' }]);
  });
});
