/**
 * The video studio's host side, which activation does not load: esbuild.mjs bundles it on its own
 * (dist/studioPanel.js), and src/vscode/studio.ts requires it when the studio is first opened or restored.
 */
export { StudioManager } from './panel/studioManager';
export { studioInputFor } from './vscode/commands/studioCommands';
