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

/** What every page of the extension's webviews is built from: the webview's CSP source, a fresh nonce, and its asset URLs. */
export interface PageOptions {
  cspSource: string;
  nonce: string;
  asset: (...path: string[]) => string;
}

/**
 * A webview page: a strict CSP with the nonce (only the extension's assets and the allowed media),
 * codicons, the extension's stylesheets (from media/) and one script of it.
 */
export function webviewPage(options: PageOptions & { title: string; stylesheets: string[]; script?: string; body: string; bodyClass?: string }): string {
  const { cspSource, nonce, asset } = options;
  const csp = [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `media-src ${cspSource}`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escape(vscode.env.language)}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
${options.stylesheets.map((sheet) => `  <link rel="stylesheet" href="${asset('media', sheet)}">`).join('\n')}
  <title>${escape(options.title)}</title>
</head>
<body class="${options.bodyClass ?? 'loading'}">
${options.body}
${options.script ? `  <script nonce="${nonce}" src="${asset('dist', options.script)}"></script>` : ''}
</body>
</html>`;
}

/**
 * The playback toolbar PlayerControls drives, with its list of keyboard shortcuts; `extra` holds
 * buttons a page adds at the end. The player drives one video with it, the compare view all of them.
 */
export function playbackControls(extra = ''): string {
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
  return `<div class="controls" role="toolbar" aria-label="${escape(vscode.l10n.t('Player controls'))}">
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
      ${extra}
      ${iconButton('shortcuts-button', 'keyboard', vscode.l10n.t('Keyboard shortcuts'), '?', ' aria-expanded="false" aria-controls="shortcuts"')}
    </div>
    <div id="shortcuts" class="shortcuts" role="region" aria-label="${escape(vscode.l10n.t('Keyboard shortcuts'))}" hidden>
      <dl>${shortcuts.map(([key, what]) => `<dt><kbd>${escape(key)}</kbd></dt><dd>${escape(what)}</dd>`).join('')}</dl>
    </div>
    <div id="status" class="status" role="status" aria-live="polite"></div>`;
}

/** The player page; every label is translated here (the webview gets its changing texts with the video). */
export function playerHtml(options: PageOptions): string {
  return webviewPage({
    ...options,
    title: vscode.l10n.t('Video'),
    stylesheets: ['player.css'],
    script: 'webview.js',
    body: `  <main>
    ${playerMarkup()}
  </main>`,
  });
}

/** A player page without a video, saying why (a restored panel whose file cannot be shown again). */
export function unavailableHtml(options: PageOptions, message: string): string {
  return webviewPage({ ...options, title: vscode.l10n.t('Video'), stylesheets: ['player.css'], bodyClass: 'unavailable', body: `  <main>\n    <p role="status">${escape(message)}</p>\n  </main>` });
}

/** The player itself (video, controls, status, notices, actions, details): the player page's and the studio's. */
export function playerMarkup(): string {
  return `<div id="stage" class="stage">
      <video id="player" playsinline crossorigin="anonymous" aria-label="${escape(vscode.l10n.t('Video'))}"></video>
      <div id="overlay" class="overlay" role="alert" hidden></div>
    </div>
    ${playbackControls(iconButton('save-frame', 'device-camera', vscode.l10n.t('Save Frame as PNG')))}
    <div id="notices" class="notices"></div>
    <div class="actions">
      ${actionButton('save', 'save', vscode.l10n.t('Save to Workspace'), false)}
      ${actionButton('saveAs', 'save-as', vscode.l10n.t('Save As…'))}
      ${actionButton('copyPrompt', 'copy', vscode.l10n.t('Copy Prompt'))}
      ${actionButton('copySeed', 'symbol-number', vscode.l10n.t('Copy Seed'))}
      ${actionButton('copyAsPython', 'code', vscode.l10n.t('Copy as Python'))}
      ${actionButton('copyAsJavaScript', 'code', vscode.l10n.t('Copy as JavaScript'))}
      ${actionButton('copyAsCurl', 'terminal', vscode.l10n.t('Copy as curl'))}
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
