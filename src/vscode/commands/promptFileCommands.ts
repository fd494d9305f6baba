import { basename } from 'node:path';
import * as vscode from 'vscode';
import { HfVideoError } from '../../core/errors';
import type { PromptFile, PromptFileValues, Shot } from '../../core/promptFile';
import type { RequestLayer } from '../../core/requestLayers';
import type { GenerateOptions, Generations } from '../generations';
import type { Log } from '../log';
import { onDemand } from '../onDemand';
import { definedPresets } from '../settings';
import { showError } from '../showError';
import { commandResult } from './generateCommands';

/**
 * "Generate Video from File" (every shot of a prompt file, or any text file as one prompt) and
 * "Generate" on one shot (its CodeLens). Every shot becomes a job in the queue.
 */
export function registerPromptFileCommands(generations: Generations, log: Log): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('hfVideo.generateFromFile', async (target?: unknown) => {
      try {
        const document = await documentFor(target);
        const file = parse(document);
        const records = await generations.generateAll(file.shots.map((shot) => ({ prompt: shot.prompt, options: shotOptions(document, file, shot) })), { uri: document.uri, kind: 'file' }, basename(document.uri.path));
        return records.map(commandResult);
      } catch (error) {
        void showError(error, log);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('hfVideo.generateShot', async (target?: unknown, index?: unknown) => {
      try {
        const document = await documentFor(target);
        const { prompt, options } = shotRun(document, typeof index === 'number' ? index : undefined);
        return commandResult(await generations.generate(prompt, { uri: document.uri, kind: 'file' }, options));
      } catch (error) {
        void showError(error, log);
        return undefined;
      }
    }),
  ];
}

/** The file the command was run on (Explorer, editor title, CodeLens), else the active editor's. */
export async function documentFor(target: unknown): Promise<vscode.TextDocument> {
  const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
  if (!uri) throw new HfVideoError('invalidInput', vscode.l10n.t('Open a prompt file (or any text file) first: its text describes the video.'));
  return vscode.workspace.openTextDocument(uri);
}

/**
 * The file as the diagnostics show it. Its mistakes stop the run before anything is sent, with the same
 * message the squiggle gives; for one shot, only the front matter's and that shot's mistakes count.
 */
export function parse(document: vscode.TextDocument, onlyShot?: number): PromptFile {
  const { parsePromptFile, isPromptFileName } = onDemand();
  const file = parsePromptFile(document.getText(), { knownPresets: definedPresets(document.uri), splitShots: isPromptFileName(document.uri.path) });
  const errors = file.diagnostics.filter((problem) => problem.severity === 'error' && (onlyShot === undefined || problem.shot === undefined || problem.shot === onlyShot));
  if (errors.length) {
    const [first] = errors;
    const [name, line] = [basename(document.uri.path), first.range.start.line + 1];
    const message =
      errors.length === 1
        ? vscode.l10n.t('{0}, line {1}: {2}', name, line, first.message)
        : errors.length === 2
          ? vscode.l10n.t('{0}, line {1}: {2} (and 1 more problem)', name, line, first.message)
          : vscode.l10n.t('{0}, line {1}: {2} (and {3} more problems)', name, line, first.message, errors.length - 1);
    throw new HfVideoError('invalidInput', message, { nextStep: { action: 'showProblems', label: vscode.l10n.t('Show Problems') } });
  }
  if (!file.shots.length) throw new HfVideoError('invalidInput', vscode.l10n.t('{0} has no prompt text.', basename(document.uri.path)));
  return file;
}

/**
 * What "Generate" on shot `index` (the first when none) runs: its prompt and options. The studio takes
 * where and how it saves from here, so a shot saves the same from either.
 */
export function shotRun(document: vscode.TextDocument, index?: number): { prompt: string; options: GenerateOptions } {
  const file = parse(document, index);
  const shot = file.shots.find((candidate) => candidate.index === index) ?? file.shots[0];
  return { prompt: shot.prompt, options: shotOptions(document, file, shot) };
}

/** The front matter, then the shot's own block, each a layer over the settings and the preset they name. */
export function shotOptions(document: vscode.TextDocument, file: PromptFile, shot: Shot): GenerateOptions {
  const name = basename(document.uri.path);
  const layer = (origin: RequestLayer['origin'], values: PromptFileValues): RequestLayer => ({ origin, values: withoutChoices(values) });
  return {
    preset: stringValue(shot.values.preset) ?? stringValue(file.frontMatter.preset),
    layers: [layer({ kind: 'frontMatter', file: name }, file.frontMatter), layer({ kind: 'shot', file: name, shot: shot.name ?? `#${shot.index + 1}` }, shot.values)],
    // Numbered from 1 in file names, as people count shots.
    shot: { name: shot.name, index: shot.index + 1 },
    autoSave: booleanValue(shot.values.autoSave) ?? booleanValue(file.frontMatter.autoSave),
  };
}

/** `preset` and `autoSave` choose how the run goes; they are not values of the request itself. */
function withoutChoices(values: PromptFileValues): PromptFileValues {
  const { preset: _preset, autoSave: _autoSave, ...rest } = values;
  return rest;
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function booleanValue(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}
