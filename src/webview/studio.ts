import { PROVIDERS } from '../core/types';
import {
  isHostMessage,
  isStudioHostMessage,
  SEED_MODES,
  STUDIO_NUMBER_FIELDS,
  type StudioForm,
  type StudioHostMessage,
  type StudioInit,
  type StudioJob,
  type StudioModel,
  type StudioPreset,
  type StudioProvider,
  type StudioResult,
  type StudioState,
  type StudioWebviewMessage,
} from '../shared/protocol';
import { checkForm, differencesFrom, PROMPT_LIMITS, type FormProblem } from '../shared/studioForm';
import { isModelId } from '../core/parameterTable';
import { formatElapsed } from '../core/progressText';
import { fill } from './format';
import { Messaging, type VsCodeApi } from './messaging';

/** How long typing may go on before the host keeps the form (it survives a reload from there). */
const KEEP_AFTER_MS = 300;

/**
 * The studio's form and job, wired to the page the host rendered: every field checked as the user
 * types with the parameter table's words, what differs from the loaded preset marked, Ctrl+Enter to
 * generate and Escape to cancel. The result plays in the player's modules, started beside this one.
 */
export function startStudio(document: Document, api: VsCodeApi): void {
  const window = document.defaultView!;
  const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const messaging = new Messaging<StudioWebviewMessage, StudioHostMessage, StudioState>(api, window, isStudioHostMessage);
  const textField = (id: string) => byId<HTMLInputElement | HTMLTextAreaElement>(id);
  const [prompt, negativePrompt, model, seed] = ['prompt', 'negative_prompt', 'model', 'seed'].map(textField);
  const provider = byId<HTMLSelectElement>('provider');
  const preset = byId<HTMLSelectElement>('preset');
  const seedMode = byId<HTMLSelectElement>('seed-mode');
  const extras = byId<HTMLElement>('extras');
  const generate = byId<HTMLButtonElement>('generate');
  const cancel = byId<HTMLButtonElement>('cancel-job');
  const status = byId<HTMLElement>('studio-status');

  let init: StudioInit | undefined;
  let models: StudioModel[] = [];
  /** Providers of models typed in that are not in the Hub's list, as the host looked them up. */
  const lookedUp = new Map<string, StudioProvider[]>();
  let presets: StudioPreset[] = [];
  let job: StudioJob | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let keepTimer: ReturnType<typeof setTimeout> | undefined;
  const strings = () => init!.strings;

  const read = (): StudioForm => ({
    prompt: prompt.value,
    negativePrompt: negativePrompt.value,
    model: model.value.trim(),
    provider: provider.value || 'auto',
    numbers: Object.fromEntries(STUDIO_NUMBER_FIELDS.map((field) => [field, textField(field).value])) as StudioForm['numbers'],
    seed: seed.value,
    seedMode: SEED_MODES.find((mode) => mode === seedMode.value) ?? 'random',
    extras: [...extras.querySelectorAll<HTMLElement>('.extra')].map((row) => ({ key: row.querySelector<HTMLInputElement>('.extra-key')!.value, value: row.querySelector<HTMLInputElement>('.extra-value')!.value })),
    preset: preset.value,
  });

  const fillForm = (form: StudioForm) => {
    prompt.value = form.prompt;
    negativePrompt.value = form.negativePrompt;
    model.value = form.model;
    for (const field of STUDIO_NUMBER_FIELDS) textField(field).value = form.numbers[field];
    seed.value = form.seed;
    seedMode.value = form.seedMode;
    extras.replaceChildren(...form.extras.map((row) => extraRow(row.key, row.value)));
    renderPresets(form.preset);
    renderProviders(form.provider);
    changed();
  };

  const extraRow = (key: string, value: string): HTMLElement => {
    const row = document.createElement('div');
    row.className = 'extra';
    row.setAttribute('role', 'group');
    const keyInput = document.createElement('input');
    keyInput.className = 'extra-key';
    keyInput.value = key;
    keyInput.setAttribute('aria-label', strings().key);
    keyInput.placeholder = strings().key;
    const valueInput = document.createElement('input');
    valueInput.className = 'extra-value';
    valueInput.value = value;
    valueInput.setAttribute('aria-label', strings().value);
    valueInput.placeholder = strings().value;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'icon';
    remove.title = strings().remove;
    remove.setAttribute('aria-label', strings().remove);
    remove.innerHTML = '<span class="codicon codicon-close" aria-hidden="true"></span>';
    remove.addEventListener('click', () => {
      const next = row.nextElementSibling?.querySelector('input') ?? byId('add-extra');
      row.remove();
      (next as HTMLElement).focus();
      changed();
    });
    for (const element of [keyInput, valueInput]) {
      element.type = 'text';
      element.spellcheck = false;
      element.autocomplete = 'off';
    }
    row.append(keyInput, valueInput, remove);
    return row;
  };

  const renderPresets = (selected: string) => {
    const none = new window.Option(strings().noPreset, '');
    preset.replaceChildren(none, ...presets.map(({ name }) => new window.Option(name, name)));
    preset.value = presets.some(({ name }) => name === selected) ? selected : '';
  };

  /** `auto`, then the providers serving the model (the settings' model when none is typed) with their state; all providers when its are not known. */
  const renderProviders = (selected: string) => {
    const id = model.value.trim() || init?.inherited.model || '';
    const known = models.find((candidate) => candidate.id === id)?.providers ?? lookedUp.get(id);
    const choices: StudioProvider[] = known ?? PROVIDERS.map((name) => ({ provider: name, status: '' }));
    const options = [new window.Option(strings().auto, 'auto'), ...choices.map(({ provider: name, status: state }) => new window.Option(state ? `${name} (${state})` : name, name))];
    // A provider chosen before (a preset, a prompt file) stays selectable, even if the Hub does not list it.
    if (selected !== 'auto' && !choices.some((choice) => choice.provider === selected)) options.push(new window.Option(selected, selected));
    provider.replaceChildren(...options);
    provider.value = selected;
  };

  const renderModels = () => {
    byId('model-list').replaceChildren(...models.map((served) => new window.Option(served.providers.map(({ provider: name, status: state }) => `${name} (${state})`).join(', '), served.id)));
  };

  /** Counters, placeholders, problems and preset differences for the form as it is now. */
  const changed = () => {
    if (!init) return;
    const form = read();
    const inherited = init.inherited;
    const placeholder = (field: string) => (inherited[field] ? fill(strings().fromSettings, inherited[field]) : strings().providerDefault);
    for (const field of [...STUDIO_NUMBER_FIELDS, 'negative_prompt', 'model']) textField(field).placeholder = placeholder(field);
    seed.placeholder = form.seedMode === 'random' ? '' : placeholder('seed');
    byId('prompt-hint').textContent = fill(strings().characters, form.prompt.trim().length.toLocaleString(), PROMPT_LIMITS.prompt.toLocaleString());
    byId('negative_prompt-hint').textContent = fill(strings().characters, form.negativePrompt.trim().length.toLocaleString(), PROMPT_LIMITS.negativePrompt.toLocaleString());
    showProblems(checkForm(form));
    const loaded = presets.find(({ name }) => name === form.preset);
    const differences = new Set(loaded ? differencesFrom(form, loaded.values) : []);
    for (const element of document.querySelectorAll<HTMLElement>('.field[id]')) {
      const differs = differences.has(element.id.replace(/-field$/, ''));
      element.classList.toggle('changed', differs);
      element.querySelector('label')?.setAttribute('title', differs ? strings().changed : '');
      // Said by screen readers with the field, as the bar is seen.
      const control = element.querySelector('input, textarea, select');
      if (differs) control?.setAttribute('aria-description', strings().changed);
      else control?.removeAttribute('aria-description');
    }
    for (const row of extras.querySelectorAll<HTMLElement>('.extra')) row.classList.toggle('changed', differences.has(`extra.${row.querySelector<HTMLInputElement>('.extra-key')!.value.trim()}`));
    byId('update-preset').hidden = !loaded;
    byId('insert-shot').hidden = !init.canInsert;
    messaging.remember({ ...((api.getState() ?? {}) as StudioState), form });
    clearTimeout(keepTimer);
    keepTimer = setTimeout(() => messaging.send({ type: 'formChanged', form }), KEEP_AFTER_MS);
  };

  /** Each problem under its field (aria-invalid on the control); the extras' together under the extras. */
  const showProblems = (problems: FormProblem[]) => {
    const byField = new Map(problems.map((problem) => [problem.field, problem.message]));
    for (const element of document.querySelectorAll<HTMLElement>('.field[id] .problem')) {
      const field = element.id.replace(/-problem$/, '');
      element.textContent = byField.get(field) ?? '';
      document.getElementById(field)?.setAttribute('aria-invalid', String(byField.has(field) && !(field === 'prompt' && !prompt.value)));
    }
    // An empty prompt is not shouted about while the user has not typed one; Generate says it.
    if (!prompt.value) byId('prompt-problem').textContent = '';
    const extraProblems = problems.filter((problem) => problem.field.startsWith('extra.'));
    byId('extras-problem').textContent = extraProblems.map((problem) => problem.message).join(' ');
    for (const row of extras.querySelectorAll<HTMLElement>('.extra')) {
      const key = row.querySelector<HTMLInputElement>('.extra-key')!;
      key.setAttribute('aria-invalid', String(extraProblems.some((problem) => problem.field === `extra.${key.value.trim()}`)));
    }
  };

  const say = (text: string, error = false) => {
    status.textContent = text;
    status.classList.toggle('error', error);
  };

  const startGeneration = () => {
    if (job?.state === 'active') return;
    const form = read();
    const problems = checkForm(form);
    if (problems.length) {
      showProblems(problems);
      byId('prompt-problem').textContent = problems.find((problem) => problem.field === 'prompt')?.message ?? '';
      say(`${strings().invalidForm} ${problems[0]!.message}`, true);
      (document.getElementById(problems[0]!.field) ?? extras.querySelector('input') ?? prompt).focus();
      return;
    }
    say('');
    messaging.send({ type: 'generate', form });
  };

  const renderJob = (next: StudioJob) => {
    job = next;
    const active = next.state === 'active';
    byId('job').hidden = false;
    byId('job-phase').textContent = next.phase;
    byId('job-ahead').textContent = next.ahead ? fill(strings().ahead, next.ahead) : '';
    const logs = byId('job-logs');
    logs.hidden = !next.logs.length;
    logs.textContent = next.logs.join('\n');
    logs.scrollTop = logs.scrollHeight;
    generate.disabled = active;
    cancel.hidden = !active;
    byId<HTMLButtonElement>('reuse-seed').disabled = next.seed === undefined;
    const tick = () => (byId('job-elapsed').textContent = fill(strings().elapsed, formatElapsed(Date.now() - next.startedAt)));
    tick();
    clearInterval(ticker);
    if (active) ticker = setInterval(tick, 1000);
    if (next.failure) say(next.failure, true);
  };

  const renderResults = (results: StudioResult[]) => {
    byId('results').replaceChildren(
      ...results.map((result) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'secondary result-chip';
        button.setAttribute('role', 'listitem');
        button.dataset.jobId = result.jobId;
        button.textContent = result.seed === undefined ? result.label : `${result.label} · ${fill(strings().seedOf, result.seed)}`;
        button.addEventListener('click', () => messaging.send({ type: 'showResult', jobId: result.jobId }));
        return button;
      }),
    );
  };

  messaging.onMessage((message) => {
    switch (message.type) {
      case 'studioInit':
        init = message.init;
        models = init.models;
        presets = init.presets;
        renderModels();
        for (const id of ['source', 'saving'] as const) {
          byId(id).hidden = !init[id];
          byId(id).textContent = init[id];
        }
        fillForm(init.form);
        renderResults(init.results);
        if (init.job) renderJob(init.job);
        return;
      case 'studioForm':
        fillForm(message.form);
        return;
      case 'studioModels':
        models = message.models;
        renderModels();
        renderProviders(provider.value || 'auto');
        return;
      case 'studioProviders':
        lookedUp.set(message.model, message.providers);
        if (model.value.trim() === message.model) renderProviders(provider.value || 'auto');
        return;
      case 'studioPresets':
        presets = message.presets;
        renderPresets(preset.value);
        changed();
        return;
      case 'studioJob':
        renderJob(message.job);
        return;
      case 'studioResults':
        renderResults(message.results);
        return;
      case 'studioStatus':
        say(message.text, message.error);
        return;
    }
  });
  // The player's own messages: a result to show makes its section appear, and the strip marks it.
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!isHostMessage(event.data) || event.data.type !== 'show') return;
    byId('result').hidden = false;
    const shown = event.data.video.jobId;
    for (const chip of byId('results').querySelectorAll<HTMLElement>('.result-chip')) chip.setAttribute('aria-current', String(chip.dataset.jobId === shown));
  });

  document.querySelector('.form')!.addEventListener('input', changed);
  seedMode.addEventListener('change', changed);
  provider.addEventListener('change', changed);
  model.addEventListener('change', () => {
    const id = model.value.trim();
    if (isModelId(id) && !models.some((candidate) => candidate.id === id) && !lookedUp.has(id)) messaging.send({ type: 'lookupModel', model: id });
    renderProviders(provider.value || 'auto');
    changed();
  });
  preset.addEventListener('change', () => messaging.send({ type: 'loadPreset', name: preset.value }));
  byId('save-preset').addEventListener('click', () => messaging.send({ type: 'savePreset', form: read() }));
  byId('update-preset').addEventListener('click', () => messaging.send({ type: 'updatePreset', form: read() }));
  byId('add-extra').addEventListener('click', () => {
    const row = extraRow('', '');
    extras.append(row);
    row.querySelector('input')!.focus();
    changed();
  });
  byId('reuse-seed').addEventListener('click', () => {
    if (job?.seed === undefined) return;
    seed.value = String(job.seed);
    seedMode.value = 'lock';
    changed();
  });
  byId('copy-prompt-file').addEventListener('click', () => messaging.send({ type: 'copyPromptFile', form: read() }));
  byId('insert-shot').addEventListener('click', () => messaging.send({ type: 'insertIntoPromptFile', form: read() }));
  generate.addEventListener('click', startGeneration);
  cancel.addEventListener('click', () => messaging.send({ type: 'cancelJob' }));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      startGeneration();
    } else if (event.key === 'Escape' && job?.state === 'active') {
      event.preventDefault();
      messaging.send({ type: 'cancelJob' });
    }
  });
  messaging.send({ type: 'studioReady' });
}
