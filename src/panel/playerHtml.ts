import * as vscode from 'vscode';

/** Plain text for an HTML text node or attribute. */
export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A button with a codicon and a label for screen readers and the tooltip; the key is part of both. */
function iconButton(id: string, icon: string, label: string, key?: string, extra = ''): string {
  const text = escape(key ? `${label} (${key})` : label);
  return `<button id="${id}" type="button" class="icon" title="${text}" aria-label="${text}"${extra}><span class="codicon codicon-${icon}" aria-hidden="true"></span></button>`;
}

function actionButton(action: string, icon: string, label: string, secondary = true): string {
  return `<button type="button" id="${action === 'openExternally' ? 'open-externally' : action}" data-action="${action}" class="${secondary ? 'secondary' : ''}" hidden><span class="codicon codicon-${icon}" aria-hidden="true"></span>${escape(label)}</button>`;
}

/** A page's Content Security Policy: nothing but the extension's own assets, its videos, and one nonce'd script. */
function webviewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `media-src ${cspSource}`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** What a page is rendered with: the webview's CSP source, a fresh nonce, and the URI of an asset of the extension. */
export interface PageOptions {
  cspSource: string;
  nonce: string;
  asset: (...path: string[]) => string;
}

/** A page up to its body: the CSP first, then codicons, the player's styles and any of the page's own. */
export function pageStart(options: PageOptions, title: string, styles: string[] = []): string {
  const { cspSource, nonce, asset } = options;
  return `<!DOCTYPE html>
<html lang="${escape(vscode.env.language)}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${webviewCsp(cspSource, nonce)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  ${[['dist', 'codicons', 'codicon.css'], ['media', 'player.css'], ...styles.map((style) => ['media', style])].map((path) => `<link rel="stylesheet" href="${asset(...path)}">`).join('\n  ')}
  <title>${escape(title)}</title>
</head>`;
}

/**
 * The player page: a strict CSP with a fresh nonce, the extension's own script and styles, codicons,
 * and every label translated here (the webview gets its changing texts with the video).
 */
export function playerHtml(options: PageOptions): string {
  const { nonce, asset } = options;
  return `${pageStart(options, vscode.l10n.t('Video'))}
<body class="loading">
  <main>
    ${playerMarkup()}
  </main>
  <script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
}

/** The player itself (video, controls, shortcuts, status, actions, details): the player page's and the studio's. */
export function playerMarkup(): string {
  const shortcuts: Array<[string, string]> = [
    [vscode.l10n.t('Space'), vscode.l10n.t('Play or pause')],
    ['← →', vscode.l10n.t('Previous or next frame')],
    [`${vscode.l10n.t('Home')} / ${vscode.l10n.t('End')}`, vscode.l10n.t('First or last frame')],
    ['< >', vscode.l10n.t('Slower or faster (0.25× to 2×)')],
    ['L', vscode.l10n.t('Loop on or off')],
    ['M', vscode.l10n.t('Mute or unmute')],
    ['F', vscode.l10n.t('Fit to panel or actual size')],
    ['?', vscode.l10n.t('Show or hide this list')],
  ];
  return `<div id="stage" class="stage">
      <video id="player" playsinline crossorigin="anonymous" aria-label="${escape(vscode.l10n.t('Video'))}"></video>
      <div id="overlay" class="overlay" role="alert" hidden></div>
    </div>
    <div class="controls" role="toolbar" aria-label="${escape(vscode.l10n.t('Player controls'))}">
      ${iconButton('play', 'play', vscode.l10n.t('Play'), vscode.l10n.t('Space'))}
      ${iconButton('frame-back', 'chevron-left', vscode.l10n.t('Previous frame'), '←')}
      ${iconButton('frame-forward', 'chevron-right', vscode.l10n.t('Next frame'), '→')}
      <input id="seek" type="range" min="0" max="0" step="0.001" value="0" aria-label="${escape(vscode.l10n.t('Position'))}">
      <span id="time" class="time">0:00.000 / 0:00.000</span>
      ${iconButton('slower', 'remove', vscode.l10n.t('Slower'), '<')}
      <span id="speed" class="speed" aria-label="${escape(vscode.l10n.t('Speed'))}">1×</span>
      ${iconButton('faster', 'add', vscode.l10n.t('Faster'), '>')}
      ${iconButton('loop', 'sync', vscode.l10n.t('Loop'), 'L', ' aria-pressed="true"')}
      ${iconButton('mute', 'unmute', vscode.l10n.t('Mute'), 'M', ' aria-pressed="false"')}
      ${iconButton('fit', 'screen-full', vscode.l10n.t('Actual size'), 'F', ' aria-pressed="false"')}
      ${iconButton('save-frame', 'device-camera', vscode.l10n.t('Save Frame as PNG'))}
      ${iconButton('shortcuts-button', 'keyboard', vscode.l10n.t('Keyboard shortcuts'), '?', ' aria-expanded="false" aria-controls="shortcuts"')}
    </div>
    <div id="shortcuts" class="shortcuts" role="region" aria-label="${escape(vscode.l10n.t('Keyboard shortcuts'))}" hidden>
      <dl>${shortcuts.map(([key, what]) => `<dt><kbd>${escape(key)}</kbd></dt><dd>${escape(what)}</dd>`).join('')}</dl>
    </div>
    <div id="status" class="status" role="status" aria-live="polite"></div>
    <div id="notices" class="notices"></div>
    <div class="actions">
      ${actionButton('save', 'save', vscode.l10n.t('Save to Workspace'), false)}
      ${actionButton('saveAs', 'save-as', vscode.l10n.t('Save As…'))}
      ${actionButton('copyPrompt', 'copy', vscode.l10n.t('Copy Prompt'))}
      ${actionButton('copySeed', 'symbol-number', vscode.l10n.t('Copy Seed'))}
      ${actionButton('regenerate', 'refresh', vscode.l10n.t('Regenerate'))}
      ${actionButton('varySeed', 'symbol-misc', vscode.l10n.t('Vary Seed'))}
      ${actionButton('reveal', 'folder-opened', vscode.l10n.t('Reveal'))}
      ${actionButton('openExternally', 'link-external', vscode.l10n.t('Open in System Player'))}
    </div>
    <details class="details-pane" open>
      <summary>${escape(vscode.l10n.t('Details'))}</summary>
      <dl id="details" class="details"></dl>
    </details>`;
}
