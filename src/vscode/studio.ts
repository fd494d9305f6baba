import * as vscode from 'vscode';
import type { StudioHost, StudioManager } from '../panel/studioManager';
import type { StudioState } from '../shared/protocol';
import type * as StudioPanel from '../studioPanel';

export const STUDIO_VIEW_TYPE = 'hfVideo.studio';

/** The studio's code (src/studioPanel.ts), loaded the first time it is needed; Node keeps it loaded. */
function studioPanel(): typeof StudioPanel {
  // A plain require, made lazy on purpose: esbuild.mjs keeps the module out of dist/extension.js and points this at dist/studioPanel.js.
  return require('../studioPanel') as typeof StudioPanel;
}

/**
 * "Open Video Studio", "Open in Video Studio" and the studio's restore after a reload. Only these
 * registrations are part of activation: the panel's code loads when one of them is first used (or
 * when `studio` is asked for, which the extension's API offers to drive it as its page does).
 */
export function registerStudio(extensionUri: vscode.Uri, host: StudioHost): { registrations: vscode.Disposable[]; studio: () => StudioManager } {
  let studio: StudioManager | undefined;
  const load = () => (studio ??= new (studioPanel().StudioManager)(extensionUri, host));
  const registrations = [
    vscode.window.registerWebviewPanelSerializer(STUDIO_VIEW_TYPE, { deserializeWebviewPanel: (panel, state: StudioState | undefined) => load().deserializeWebviewPanel(panel, state) }),
    vscode.commands.registerCommand('hfVideo.openStudio', () => load().open()),
    vscode.commands.registerCommand('hfVideo.openInStudio', async (target?: unknown, shotIndex?: unknown) => load().open(await studioPanel().studioInputFor(target, shotIndex))),
    { dispose: () => studio?.dispose() },
  ];
  return { registrations, studio: load };
}
