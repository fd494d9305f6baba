// What the extension-host tests share: the emulator's controls, the sample prompt selected in an editor,
// the extension's API, and checks on the files it writes.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { JobRecord } from '../../src/core/jobs/record';
import type { HfVideoApi } from '../../src/extension';

export const EMULATOR = process.env.HF_VIDEO_EMULATOR_URL ?? '';
export const TOKEN = process.env.HF_VIDEO_TEST_TOKEN ?? '';
/** Accepted by the emulated Hub, refused by its router (403). */
export const READ_ONLY_TOKEN = process.env.HF_VIDEO_TEST_READ_ONLY_TOKEN ?? '';
export const WORKSPACE = process.env.HF_VIDEO_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
export const EXTENSION_ID = 'hf-video-tools.hf-text-to-video';

export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** A suite's `before`: skipped without the emulator, else activates the extension and stores the test token. */
export async function activateAndSignIn(this: Mocha.Context): Promise<void> {
  if (!EMULATOR || !TOKEN) this.skip();
  await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  await vscode.commands.executeCommand('hfVideo.setToken', TOKEN);
}

export async function emulatorRequests(): Promise<Recorded[]> {
  const response = await fetch(`${EMULATOR}/__emulator/requests`);
  return (await response.json()) as Recorded[];
}

export async function resetEmulator(): Promise<void> {
  await fetch(`${EMULATOR}/__emulator/reset`, { method: 'POST' });
}

export async function injectFault(fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${EMULATOR}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  assert.equal(response.status, 201, await response.text());
}

/** The submit requests the emulator saw for a provider (routed). */
export async function submits(provider = 'fal-ai'): Promise<Recorded[]> {
  return (await emulatorRequests()).filter((request) => request.method === 'POST' && request.path.startsWith(`/${provider}/`) && !request.path.endsWith('/cancel'));
}

export async function selectPrompt(): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(join(WORKSPACE, 'prompt.txt'));
  const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
  editor.selection = new vscode.Selection(0, 0, document.lineCount - 1, document.lineAt(document.lineCount - 1).text.length);
  return editor;
}

export interface GenerateResult {
  file: string;
  jobId: string;
}

export async function generate(): Promise<GenerateResult | undefined> {
  await selectPrompt();
  return vscode.commands.executeCommand<GenerateResult | undefined>('hfVideo.generateFromSelection');
}

export async function api(): Promise<HfVideoApi> {
  const extension = vscode.extensions.getExtension<HfVideoApi>(EXTENSION_ID)!;
  return extension.activate();
}

export function generation(api: HfVideoApi, id: string): JobRecord {
  const record = api.listGenerations().find((candidate) => candidate.id === id);
  assert.ok(record, `job ${id} is in the history`);
  return record;
}

export const settings = () => vscode.workspace.getConfiguration('hfVideo');

export function assertVideo(file: string): void {
  assert.ok(existsSync(file), `${file} exists`);
  assert.equal(readFileSync(file).subarray(4, 8).toString('latin1'), 'ftyp', `${file} is an MP4`);
}

/** Polls until `check` holds; fails naming `what`. For state that other processes or the workbench change. */
export async function eventually<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
