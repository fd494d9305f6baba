import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { JobRequest } from '../../core/jobs/record';
import type { Shot } from '../../core/promptFile';
import type { StudioInput } from '../../panel/studioManager';
import { prepareRequest } from '../generations';
import { onDemand } from '../onDemand';
import { definedPresets, SETTINGS } from '../settings';
import { studioPresets } from '../studioPresets';
import { selectedText } from './generateCommands';
import { shotRun } from './promptFileCommands';

/**
 * What "Open in Video Studio" brings to the form: the selection, else the prompt file (from the
 * Explorer or a shot's CodeLens) or the shot under the cursor, with the values that apply to it.
 */
export async function studioInputFor(target?: unknown, shotIndex?: unknown): Promise<StudioInput | undefined> {
  const editor = vscode.window.activeTextEditor;
  // The editor's context menu passes the document's URI: its selection is still what the user meant.
  const uri = target instanceof vscode.Uri ? target : editor?.document.uri;
  if (!uri) return undefined;
  const inEditor = editor?.document.uri.toString() === uri.toString() ? editor : undefined;
  const text = inEditor && typeof shotIndex !== 'number' ? selectedText(inEditor) : '';
  if (inEditor && text) return fromSelection(inEditor.document, text);
  const document = inEditor?.document ?? (await vscode.workspace.openTextDocument(uri));
  return fromPromptFile(document, typeof shotIndex === 'number' ? { index: shotIndex } : inEditor ? { line: inEditor.selection.active.line } : {});
}

/** A selection starts from the default preset's values, as "Generate Video from Selection" does. */
function fromSelection(document: vscode.TextDocument, prompt: string): StudioInput {
  const preset = vscode.workspace.getConfiguration(SETTINGS.section, document.uri).get<string>(SETTINGS.defaultPreset, '').trim();
  return { prompt, values: presetValues(document.uri, preset), preset, source: { uri: document.uri.toString(), kind: 'selection', label: vscode.l10n.t('From a selection in {0}', basename(document.uri.path)) } };
}

/**
 * A shot (see shotAt) with its file's values: the preset it names (or the
 * default one), the front matter, then its own block, the way a run layers them.
 */
function fromPromptFile(document: vscode.TextDocument, at: ShotPlace): StudioInput {
  const { parsePromptFile, isPromptFileName } = onDemand();
  const file = parsePromptFile(document.getText(), { knownPresets: definedPresets(document.uri), splitShots: isPromptFileName(document.uri.path) });
  const shot = shotAt(file.shots, at);
  const named = [shot.values.preset, file.frontMatter.preset].find((value): value is string => typeof value === 'string' && !!value.trim());
  const preset = named ?? vscode.workspace.getConfiguration(SETTINGS.section, document.uri).get<string>(SETTINGS.defaultPreset, '').trim();
  const label = shot.name ? vscode.l10n.t('From {0}, shot "{1}"', basename(document.uri.path), shot.name) : vscode.l10n.t('From {0}', basename(document.uri.path));
  return { prompt: shot.prompt, values: merged(presetValues(document.uri, preset), file.frontMatter, shot.values), preset, source: { uri: document.uri.toString(), kind: 'file', label, shot: shot.index } };
}

/** Where and how a run saves its video: the request fields a prompt file (or the preset it names) may choose. */
export type SaveChoices = Pick<JobRequest, 'outputFolder' | 'fileNameTemplate' | 'autoSave' | 'shot'>;

/**
 * How "Generate" on shot `shotIndex` of the file would save: taken from the request that command makes,
 * so the studio's runs of a shot save where and as its CodeLens does. Throws the file's mistakes as the command does.
 */
export async function shotSaveChoices(uri: vscode.Uri, shotIndex?: number): Promise<SaveChoices> {
  const { prompt, options } = shotRun(await vscode.workspace.openTextDocument(uri), shotIndex);
  const { outputFolder, fileNameTemplate, autoSave, shot } = prepareRequest(prompt, { uri, kind: 'file' }, options);
  return { outputFolder, fileNameTemplate, autoSave, shot };
}

/** A shot by its index (a CodeLens), by a line in it (the cursor), or the first. */
type ShotPlace = { index?: number; line?: number };

function shotAt(shots: readonly Shot[], at: ShotPlace): Shot {
  const { index, line } = at;
  return shots.find((shot) => shot.index === index) ?? [...shots].reverse().find((shot) => line !== undefined && shot.range.start.line <= line) ?? shots[0]!;
}

function presetValues(scope: vscode.Uri, name: string): Record<string, unknown> {
  return (name && studioPresets(scope).find((preset) => preset.name === name)?.values) || {};
}

/** Later values win; extras merge key by key. `preset` and `autoSave` choose how a run goes and are not form values. */
function merged(...layers: Array<Record<string, unknown>>): Record<string, unknown> {
  const { preset: _preset, autoSave: _autoSave, ...values } = Object.assign({}, ...layers) as Record<string, unknown>;
  const extras = layers.map((layer) => layer.extra).filter((extra): extra is Record<string, unknown> => !!extra && typeof extra === 'object' && !Array.isArray(extra));
  return { ...values, extra: Object.assign({}, ...extras) };
}
