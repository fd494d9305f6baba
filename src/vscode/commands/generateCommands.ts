import * as vscode from 'vscode';
import { MAX_PROMPT_LENGTH } from '../../core/prompt';
import type { JobRecord } from '../../core/jobs/record';
import type { Generations } from '../generations';

/** The text of every non-empty selection of the active editor, in document order. */
export function selectedText(editor: vscode.TextEditor): string {
  return [...editor.selections]
    .sort((a, b) => a.start.compareTo(b.start))
    .map((selection) => editor.document.getText(selection))
    .filter((text) => text.trim())
    .join('\n');
}

/** What a generate command returns to its caller (scripts, tests): the video and the job behind it. */
export function commandResult(record: JobRecord | undefined): { file: string; jobId: string } | undefined {
  return record?.state === 'done' && record.file ? { file: record.file, jobId: record.id } : undefined;
}

export const SAMPLE_PROMPT_FILE_NAME = 'sample.video.md';

/**
 * Copies the bundled sample prompt file into the first workspace folder (never over an existing file) and opens it;
 * without a folder it opens as an untitled document.
 */
async function openSamplePromptFile(bundledSample: vscode.Uri): Promise<vscode.Uri> {
  const content = await vscode.workspace.fs.readFile(bundledSample);
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    const untitled = await vscode.workspace.openTextDocument({ language: 'markdown', content: new TextDecoder().decode(content) });
    await vscode.window.showTextDocument(untitled);
    return untitled.uri;
  }
  const target = vscode.Uri.joinPath(folder.uri, SAMPLE_PROMPT_FILE_NAME);
  const exists = await vscode.workspace.fs.stat(target).then(
    () => true,
    () => false,
  );
  if (!exists) await vscode.workspace.fs.writeFile(target, content);
  await vscode.window.showTextDocument(target);
  return target;
}

export function registerGenerateCommands(generations: Generations, bundledSample: vscode.Uri): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('hfVideo.openSamplePromptFile', () => openSamplePromptFile(bundledSample)),
    vscode.commands.registerCommand('hfVideo.generateFromSelection', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Open a file and select the text that describes your video first.'));
        return undefined;
      }
      return commandResult(await generations.generate(selectedText(editor), { uri: editor.document.uri, kind: 'selection' }));
    }),
    // Typed in, or given by a script: the selection (if any) is offered as a start.
    vscode.commands.registerCommand('hfVideo.generate', async (prompt?: unknown) => {
      const editor = vscode.window.activeTextEditor;
      const text =
        typeof prompt === 'string'
          ? prompt
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Generate Video'),
              prompt: vscode.l10n.t('Describe the video'),
              placeHolder: vscode.l10n.t('A red fox trotting through fresh snow at sunrise, cinematic'),
              value: editor ? selectedText(editor) : '',
              ignoreFocusOut: true,
              validateInput: (value) =>
                !value.trim() ? vscode.l10n.t('Describe the video, or press Escape to cancel.') : value.trim().length > MAX_PROMPT_LENGTH ? vscode.l10n.t('At most {0} characters.', MAX_PROMPT_LENGTH.toLocaleString('en-US')) : undefined,
            });
      if (text === undefined) return undefined;
      return commandResult(await generations.generate(text, { uri: editor?.document.uri, kind: 'input' }));
    }),
  ];
}
