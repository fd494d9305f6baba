// The compare view webview's entry point: everything else is in modules that tests load with a fake API.
import type { VsCodeApi } from './messaging';
import { startCompare } from './compareApp';

declare function acquireVsCodeApi(): VsCodeApi;

startCompare(document, acquireVsCodeApi());
