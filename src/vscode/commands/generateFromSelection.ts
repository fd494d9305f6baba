import * as vscode from 'vscode';
import type { Generator } from '../generator';

/** The text of every non-empty selection of the active editor, in document order. */
export function selectedText(editor: vscode.TextEditor): string {
  return [...editor.selections]
    .sort((a, b) => a.start.compareTo(b.start))
    .map((selection) => editor.document.getText(selection))
    .filter((text) => text.trim())
    .join('\n');
}

export function registerGenerateFromSelection(generator: Generator): vscode.Disposable {
  return vscode.commands.registerCommand('hfVideo.generateFromSelection', async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showWarningMessage('Open a file and select the text that describes your video first.');
      return undefined;
    }
    const result = await generator.generate(selectedText(editor), editor.document.uri);
    return result && { file: result.file };
  });
}
