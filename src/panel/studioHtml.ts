import * as vscode from 'vscode';
import { fieldDefinition } from '../core/parameterTable';
import { STUDIO_NUMBER_FIELDS } from '../shared/protocol';
import { escape, playerMarkup, webviewPage, type PageOptions } from './playerHtml';

/** The names of the number fields in the form; the table's field name follows in the hint. */
function numberLabel(field: (typeof STUDIO_NUMBER_FIELDS)[number]): string {
  switch (field) {
    case 'num_frames':
      return vscode.l10n.t('Frames');
    case 'guidance_scale':
      return vscode.l10n.t('Guidance scale');
    case 'num_inference_steps':
      return vscode.l10n.t('Inference steps');
  }
}

/** A labelled field with its hint (range, limit) and its live problem, both tied to it for screen readers. */
function field(id: string, label: string, control: string, hint = ''): string {
  return `<div class="field" id="${id}-field">
        <label for="${id}">${escape(label)}</label>
        ${control}
        <div class="hint" id="${id}-hint">${escape(hint)}</div>
        <div class="problem" id="${id}-problem" role="alert"></div>
      </div>`;
}

function input(id: string, extra = ''): string {
  return `<input id="${id}" type="text" autocomplete="off" spellcheck="false" aria-describedby="${id}-hint ${id}-problem"${extra}>`;
}

/**
 * The studio page: the form (prompts, model, provider, the task parameters, seed, extras, presets),
 * the job's progress, the player's markup for the result, and the strip of earlier results. The same
 * strict CSP as the player's; every label is translated here.
 */
export function studioHtml(options: PageOptions): string {
  const numbers = STUDIO_NUMBER_FIELDS.map((name) => {
    const { min, max, description } = fieldDefinition(name)!;
    return field(name, numberLabel(name), input(name, ' inputmode="decimal"'), `${name}: ${min}–${max}. ${description}`);
  }).join('\n      ');
  const seedRange = fieldDefinition('seed')!;
  return webviewPage({
    ...options,
    title: vscode.l10n.t('Video Studio'),
    // The player's styles (its player shows the results), and the form's on top.
    stylesheets: ['player.css', 'studio.css'],
    script: 'studio.js',
    bodyClass: 'studio loading',
    body: `  <main>
    <section class="form" aria-label="${escape(vscode.l10n.t('Generation'))}">
      <p id="source" class="source" hidden></p>
      <p id="saving" class="source" hidden></p>
      ${field('prompt', vscode.l10n.t('Prompt'), `<textarea id="prompt" rows="5" aria-describedby="prompt-hint prompt-problem" aria-required="true"></textarea>`, '')}
      ${field('negative_prompt', vscode.l10n.t('Negative prompt'), `<textarea id="negative_prompt" rows="2" aria-describedby="negative_prompt-hint negative_prompt-problem"></textarea>`, '')}
      <div class="row">
        ${field('model', vscode.l10n.t('Model'), `${input('model', ' list="model-list" role="combobox"')}<datalist id="model-list"></datalist>`, vscode.l10n.t('Type to search the Hub’s text-to-video models, or any owner/name.'))}
        ${field('provider', vscode.l10n.t('Provider'), `<select id="provider" aria-describedby="provider-hint provider-problem"></select>`, '')}
      </div>
      <div class="row presets">
        ${field('preset', vscode.l10n.t('Preset'), `<select id="preset" aria-describedby="preset-hint preset-problem"></select>`, '')}
        <div class="buttons">
          <button type="button" id="save-preset" class="secondary">${escape(vscode.l10n.t('Save as Preset…'))}</button>
          <button type="button" id="update-preset" class="secondary" hidden>${escape(vscode.l10n.t('Update Preset'))}</button>
        </div>
      </div>
      <div class="row numbers">
      ${numbers}
      </div>
      <div class="row seed">
        ${field('seed', vscode.l10n.t('Seed'), input('seed', ' inputmode="numeric"'), `seed: ${seedRange.min}–${seedRange.max}`)}
        <div class="field">
          <label for="seed-mode">${escape(vscode.l10n.t('Seed mode'))}</label>
          <select id="seed-mode">
            <option value="random">${escape(vscode.l10n.t('Random each time'))}</option>
            <option value="lock">${escape(vscode.l10n.t('Locked'))}</option>
          </select>
        </div>
        <div class="buttons">
          <button type="button" id="reuse-seed" class="secondary" disabled>${escape(vscode.l10n.t('Reuse Last Seed'))}</button>
        </div>
      </div>
      <fieldset class="extras">
        <legend>${escape(vscode.l10n.t('Provider-specific fields'))}</legend>
        <div id="extras"></div>
        <div class="problem" id="extras-problem" role="alert"></div>
        <button type="button" id="add-extra" class="secondary"><span class="codicon codicon-add" aria-hidden="true"></span>${escape(vscode.l10n.t('Add Field'))}</button>
      </fieldset>
      <div class="buttons generate">
        <button type="button" id="generate" title="${escape(vscode.l10n.t('Generate (Ctrl+Enter)'))}"><span class="codicon codicon-play" aria-hidden="true"></span>${escape(vscode.l10n.t('Generate'))}</button>
        <button type="button" id="cancel-job" class="secondary" title="${escape(vscode.l10n.t('Cancel (Escape)'))}" hidden>${escape(vscode.l10n.t('Cancel'))}</button>
        <button type="button" id="copy-prompt-file" class="secondary">${escape(vscode.l10n.t('Copy Prompt File'))}</button>
        <button type="button" id="insert-shot" class="secondary" hidden>${escape(vscode.l10n.t('Insert into Prompt File'))}</button>
      </div>
      <div id="studio-status" class="studio-status" role="status" aria-live="polite"></div>
    </section>
    <section id="job" class="job" aria-label="${escape(vscode.l10n.t('Generation progress'))}" hidden>
      <div class="job-line"><span id="job-phase"></span> <span id="job-ahead"></span> <span id="job-elapsed" class="time"></span></div>
      <pre id="job-logs" class="job-logs" tabindex="0" aria-label="${escape(vscode.l10n.t('Provider logs'))}" hidden></pre>
    </section>
    <section id="result" class="result" aria-label="${escape(vscode.l10n.t('Result'))}" hidden>
      ${playerMarkup()}
    </section>
    <section class="results-strip" aria-label="${escape(vscode.l10n.t('Earlier results'))}">
      <div id="results" class="strip" role="list"></div>
    </section>
  </main>`,
  });
}
