// The elements the player's webview modules find by id, as the host's pages (the player's, the studio's) have them.
import { PLAYER_ACTIONS } from '../src/shared/protocol';

export const PLAYER_ELEMENTS = `
  <div id="stage"><video id="player"></video><div id="overlay" hidden></div></div>
  ${['play', 'frame-back', 'frame-forward', 'slower', 'faster', 'loop', 'mute', 'fit', 'save-frame', 'shortcuts-button'].map((id) => `<button id="${id}"><span class="codicon"></span></button>`).join('')}
  <input id="seek" type="range"><span id="time"></span><span id="speed"></span>
  <div id="shortcuts" hidden></div><div id="status"></div><div id="notices"></div>
  ${PLAYER_ACTIONS.map((action) => `<button data-action="${action}"${action === 'openExternally' ? ' id="open-externally"' : ''}>${action}</button>`).join('')}
  <dl id="details"></dl>`;
