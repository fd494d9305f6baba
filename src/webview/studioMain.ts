// The studio webview's entry point: the player's modules for the result, the studio's for the form.
import { startPlayer } from './app';
import { nestedState, type VsCodeApi } from './messaging';
import { startStudio } from './studio';

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
startPlayer(document, nestedState(api, 'player'));
startStudio(document, api);
