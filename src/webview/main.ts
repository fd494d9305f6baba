// The player webview's entry point: everything else is in modules that tests load with a fake API.
import type { VsCodeApi } from './messaging';
import { startPlayer } from './app';

declare function acquireVsCodeApi(): VsCodeApi;

startPlayer(document, acquireVsCodeApi());
