import * as vscode from 'vscode';
import { escape, playbackControls, webviewPage, type PageOptions } from './playerHtml';

/**
 * The compare view's page: the player's page frame and playback toolbar around a grid the webview
 * fills with one tile per variation, and the one action that keeps the picked ones.
 */
export function compareHtml(options: PageOptions): string {
  return webviewPage({
    ...options,
    title: vscode.l10n.t('Variations'),
    // The player's styles, and the grid's on top.
    stylesheets: ['player.css', 'compare.css'],
    script: 'compare.js',
    body: `  <main>
    <h1 id="prompt" class="prompt"></h1>
    <div id="stage" class="stage grid" role="list" aria-label="${escape(vscode.l10n.t('Variations'))}"></div>
    ${playbackControls()}
    <div class="actions">
      <button id="save-selected" type="button" disabled><span class="codicon codicon-save" aria-hidden="true"></span>${escape(vscode.l10n.t('Save Selected'))}</button>
      <span id="selection" class="selection" aria-live="polite"></span>
    </div>
  </main>`,
  });
}
