import * as vscode from 'vscode';
import type { JobQueue } from '../../core/jobs/queue';
import { randomSeed } from '../../core/jobs/record';
import { presetNames } from '../../core/presets';
import { PROVIDERS } from '../../core/types';
import type { GenerateOptions, Generations, PromptOrigin, Variation } from '../generations';
import type { Log } from '../log';
import { SETTINGS } from '../settings';
import { showError } from '../showError';
import { commandResult, selectedText } from './generateCommands';
import { documentFor, parse, shotOptions } from './promptFileCommands';

const MIN_SEEDS = 2;
const MAX_SEEDS = 8;

/** What to vary, as scripts and tests pass it instead of picking: each list makes one variation per entry. */
export interface VariationSpec {
  seeds?: number;
  models?: string[];
  providers?: string[];
  presets?: string[];
}

interface BasePrompt {
  prompt: string;
  source?: PromptOrigin;
  options: GenerateOptions;
}

/**
 * "Generate Variations…": one prompt (the selection, a prompt file's shot from its CodeLens, or typed in)
 * made with several seeds, or with several models, providers or presets picked at once. Each variation is
 * a job in the queue; all share a group id.
 */
export function registerVariationCommands(generations: Generations, queue: JobQueue, log: Log): vscode.Disposable[] {
  return [
    // Scripts pass what to vary last: (prompt, spec) or, for a shot, (file, shot index, spec).
    vscode.commands.registerCommand('hfVideo.generateVariations', async (target?: unknown, second?: unknown, third?: unknown) => {
      try {
        const base = await basePrompt(target, second);
        if (!base) return undefined;
        const spec = [second, third].find(isSpec);
        const variations = spec ? variationsOf(spec) : await pickVariations(base.source?.uri, queue);
        if (!variations?.length) return undefined;
        const records = await generations.generateVariations(base.prompt, base.source, base.options, variations);
        return records.map(commandResult);
      } catch (error) {
        void showError(error, log);
        return undefined;
      }
    }),
  ];
}

/** The prompt to vary: given by a script, a shot of a prompt file (CodeLens), the selection, or typed in. */
async function basePrompt(target: unknown, second: unknown): Promise<BasePrompt | undefined> {
  if (typeof target === 'string') return { prompt: target, source: { kind: 'input' }, options: {} };
  if (target instanceof vscode.Uri) {
    const document = await documentFor(target);
    const file = parse(document, typeof second === 'number' ? second : undefined);
    const shot = file.shots.find((candidate) => candidate.index === second) ?? file.shots[0];
    return { prompt: shot.prompt, source: { uri: document.uri, kind: 'file' }, options: shotOptions(document, file, shot) };
  }
  const editor = vscode.window.activeTextEditor;
  const selection = editor ? selectedText(editor) : '';
  if (selection.trim()) return { prompt: selection, source: { uri: editor!.document.uri, kind: 'selection' }, options: {} };
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Generate Variations'),
    prompt: vscode.l10n.t('Describe the video'),
    ignoreFocusOut: true,
    validateInput: (value) => (!value.trim() ? vscode.l10n.t('Describe the video, or press Escape to cancel.') : undefined),
  });
  return typed === undefined ? undefined : { prompt: typed, source: { uri: editor?.document.uri, kind: 'input' }, options: {} };
}

function isSpec(value: unknown): value is VariationSpec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One variation per seed, model, provider or preset. Values are checked later, as a run's choices, with the commands' messages. */
function variationsOf(spec: VariationSpec): Variation[] {
  const seeds = spec.seeds === undefined ? [] : distinctSeeds(spec.seeds);
  return [
    ...seeds.map((seed) => ({ label: vscode.l10n.t('seed {0}', seed), values: { seed } })),
    ...(spec.models ?? []).map((model) => ({ label: model, values: { model } })),
    ...(spec.providers ?? []).map((provider) => ({ label: vscode.l10n.t('provider {0}', provider), values: { provider } })),
    ...(spec.presets ?? []).map((preset) => ({ label: vscode.l10n.t('preset {0}', preset), preset, values: {} })),
  ];
}

function distinctSeeds(count: number): number[] {
  const seeds = new Set<number>();
  while (seeds.size < Math.min(Math.max(count, MIN_SEEDS), MAX_SEEDS)) seeds.add(randomSeed());
  return [...seeds];
}

type Dimension = 'seeds' | 'models' | 'providers' | 'presets';

/** Asks what to vary, then which values (a count of seeds, or several models, providers or presets). */
async function pickVariations(scope: vscode.Uri | undefined, queue: JobQueue): Promise<Variation[] | undefined> {
  const config = vscode.workspace.getConfiguration(SETTINGS.section, scope);
  const presets = presetNames(config.get(SETTINGS.presets));
  const dimensions: Array<vscode.QuickPickItem & { dimension: Dimension }> = [
    { dimension: 'seeds', label: vscode.l10n.t('$(symbol-misc) Seeds'), detail: vscode.l10n.t('The same request with {0} to {1} different seeds', MIN_SEEDS, MAX_SEEDS) },
    { dimension: 'models', label: vscode.l10n.t('$(symbol-class) Models'), detail: vscode.l10n.t('The same prompt and seed with several models') },
    { dimension: 'providers', label: vscode.l10n.t('$(server) Providers'), detail: vscode.l10n.t('The same prompt and seed with several providers') },
    ...(presets.length ? [{ dimension: 'presets' as const, label: vscode.l10n.t('$(settings) Presets'), detail: vscode.l10n.t('The same prompt and seed with several of your presets') }] : []),
  ];
  const picked = await vscode.window.showQuickPick(dimensions, { title: vscode.l10n.t('Generate Variations'), placeHolder: vscode.l10n.t('What should differ between the videos?') });
  switch (picked?.dimension) {
    case undefined:
      return undefined;
    case 'seeds': {
      const count = await vscode.window.showInputBox({
        title: vscode.l10n.t('Generate Variations'),
        prompt: vscode.l10n.t('How many videos, each with its own seed ({0} to {1})?', MIN_SEEDS, MAX_SEEDS),
        value: '4',
        validateInput: (value) => (/^\d+$/.test(value.trim()) && Number(value) >= MIN_SEEDS && Number(value) <= MAX_SEEDS ? undefined : vscode.l10n.t('A whole number from {0} to {1}.', MIN_SEEDS, MAX_SEEDS)),
      });
      return count === undefined ? undefined : variationsOf({ seeds: Number(count) });
    }
    case 'models': {
      const models = new Set([config.get<string>(SETTINGS.model, ''), ...presets.map((name) => modelOfPreset(config.get(SETTINGS.presets), name)), ...queue.list().map((record) => record.request.model)]);
      return pickMany(picked.label, [...models].filter(Boolean), (models) => variationsOf({ models }));
    }
    case 'providers':
      return pickMany(picked.label, [...PROVIDERS], (providers) => variationsOf({ providers }));
    case 'presets':
      return pickMany(picked.label, presets, (chosen) => variationsOf({ presets: chosen }));
  }
}

async function pickMany(title: string, values: string[], toVariations: (chosen: string[]) => Variation[]): Promise<Variation[] | undefined> {
  const chosen = await vscode.window.showQuickPick(
    values.map((label) => ({ label })),
    { title, canPickMany: true, placeHolder: vscode.l10n.t('Pick each one to generate a video with') },
  );
  return chosen?.length ? toVariations(chosen.map((item) => item.label)) : undefined;
}

function modelOfPreset(presets: unknown, name: string): string {
  const model = (presets as Record<string, { model?: unknown }> | undefined)?.[name]?.model;
  return typeof model === 'string' ? model : '';
}
