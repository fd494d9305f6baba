import * as vscode from 'vscode';
import type { PromptFile, SourceRange } from '../core/promptFile';
import { PROVIDERS } from '../core/types';
import { onDemand } from './onDemand';
import { definedPresets } from './settings';

/** Prompt files: Markdown whose front matter and `##` shots describe videos. */
export const PROMPT_FILE_SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.video.md' }];

export function isPromptFile(document: vscode.TextDocument): boolean {
  return vscode.languages.match(PROMPT_FILE_SELECTOR, document) > 0;
}

/** A prompt file as the run will read it; any other text is one prompt (front matter honoured). */
export function parseDocument(document: vscode.TextDocument): PromptFile {
  return onDemand().parsePromptFile(document.getText(), { knownPresets: definedPresets(document.uri) });
}

export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** Squiggles while typing, with the same messages a run would give. */
export function registerPromptFileDiagnostics(): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('hfVideo');
  const check = (document: vscode.TextDocument) => {
    if (!isPromptFile(document)) return;
    collection.set(
      document.uri,
      parseDocument(document).diagnostics.map((problem) => {
        const diagnostic = new vscode.Diagnostic(toRange(problem.range), problem.message, problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        diagnostic.source = vscode.l10n.t('Hugging Face Video');
        return diagnostic;
      }),
    );
  };
  vscode.workspace.textDocuments.forEach(check);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((event) => check(event.document)),
    vscode.workspace.onDidCloseTextDocument((document) => collection.delete(document.uri)),
    // A preset added or removed in settings changes what a prompt file may name.
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('hfVideo.presets') && vscode.workspace.textDocuments.forEach(check)),
  );
}

/** "Generate All (N)" above the front matter, "Generate" and "Variations…" above each shot. */
export class PromptFileCodeLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const file = parseDocument(document);
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses: vscode.CodeLens[] = [];
    if (file.shots.length > 1) {
      lenses.push(new vscode.CodeLens(file.frontMatterRange ? toRange(file.frontMatterRange).with({ end: toRange(file.frontMatterRange).start }) : top, {
        title: vscode.l10n.t('$(play) Generate All ({0})', file.shots.length),
        command: 'hfVideo.generateFromFile',
        arguments: [document.uri],
      }));
    }
    for (const shot of file.shots) {
      lenses.push(new vscode.CodeLens(shot.name ? toRange(shot.range) : top, {
        title: shot.name ? vscode.l10n.t('$(play) Generate "{0}"', shot.name) : vscode.l10n.t('$(play) Generate'),
        command: 'hfVideo.generateShot',
        arguments: [document.uri, shot.index],
      }));
      lenses.push(new vscode.CodeLens(shot.name ? toRange(shot.range) : top, {
        title: vscode.l10n.t('$(layers) Variations…'),
        command: 'hfVideo.generateVariations',
        arguments: [document.uri, shot.index],
      }));
      lenses.push(new vscode.CodeLens(shot.name ? toRange(shot.range) : top, {
        title: vscode.l10n.t('$(edit) Open in Studio'),
        command: 'hfVideo.openInStudio',
        arguments: [document.uri, shot.index],
      }));
    }
    return lenses;
  }
}

/** Completion in the front matter and a shot's yaml block: keys, preset names, providers. */
export class PromptFileCompletions implements vscode.CompletionItemProvider {
  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    if (!inYaml(document, position)) return [];
    const before = document.lineAt(position.line).text.slice(0, position.character);
    const valueOf = /^\s*([\w-]+)\s*:\s*[\w.-]*$/.exec(before)?.[1];
    if (valueOf === 'preset') return definedPresets(document.uri).map((name) => new vscode.CompletionItem(name, vscode.CompletionItemKind.Value));
    if (valueOf === 'provider') return ['auto', ...PROVIDERS].map((name) => new vscode.CompletionItem(name, vscode.CompletionItemKind.EnumMember));
    if (valueOf || !/^\s*[\w-]*$/.test(before)) return [];
    return onDemand().frontMatterKeys().map(({ key, description }) => {
      const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
      item.insertText = `${key}: `;
      item.documentation = description;
      return item;
    });
  }
}

/** Inside the front matter (between the first two `---`) or a fenced yaml block. */
function inYaml(document: vscode.TextDocument, position: vscode.Position): boolean {
  const lines = document.getText(new vscode.Range(0, 0, position.line, 0)).split(/\r?\n/).slice(0, -1);
  if (lines[0]?.trim() === '---' && !lines.slice(1).some((line) => line.trim() === '---')) return true;
  const fences = lines.filter((line) => /^\s*```/.test(line));
  return fences.length % 2 === 1 && /^\s*```ya?ml\s*$/.test(fences.at(-1)!);
}
