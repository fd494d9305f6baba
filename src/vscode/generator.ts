import * as vscode from 'vscode';
import { formatBytes } from '../core/download';
import { isCancellation } from '../core/errors';
import { validatePrompt, type GenerationResult, type VideoClient } from '../core/generate';
import { formatElapsed } from '../core/progressText';
import { PlayerPanel, type PlayableVideo, type PlayerActions } from '../panel/playerPanel';
import type { Log } from './log';
import { runWithProgress } from './runWithProgress';
import { readSettings, type ResolvedSettings } from './settings';
import { showError } from './showError';
import type { TokenStore } from './tokenStore';

/**
 * One generation from the user's point of view: a token, a progress notification, the player,
 * and a clear message when something fails.
 */
export class Generator {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: () => VideoClient,
    private readonly tokens: TokenStore,
    private readonly log: Log,
    private readonly player: PlayerActions,
  ) {}

  /** Returns the result, or undefined when the user cancelled or the job failed (already reported). */
  async generate(prompt: string, source?: vscode.Uri): Promise<GenerationResult | undefined> {
    let settings: ResolvedSettings;
    try {
      // Checked before asking for a token, so a bad prompt or setting costs the user nothing.
      validatePrompt(prompt);
      settings = readSettings(source);
    } catch (error) {
      void showError(error, this.log);
      return undefined;
    }
    const credentials = await this.tokens.credentials(settings.provider);
    if (!credentials) return undefined;

    this.log.info(`Generating a video with ${settings.model} (provider ${settings.provider}) from a ${prompt.trim().length}-character prompt`);
    try {
      const result = await runWithProgress(`Generating video with ${settings.model}`, this.log, (signal, onProgress) =>
        this.client().generate(
          { prompt, model: settings.model, provider: settings.provider, parameters: settings.parameters, extra: settings.extra },
          settings.client,
          credentials,
          { signal, onProgress, outputDir: vscode.Uri.joinPath(this.context.globalStorageUri, 'videos').fsPath, log: (line) => this.log.info(line) },
        ),
      );
      if (result.warning) void vscode.window.showWarningMessage(result.warning);
      this.log.info(`Finished in ${formatElapsed(result.timings.totalMs)}: ${formatBytes(result.bytes)} from ${result.provider}`);
      PlayerPanel.show(this.context, this.player, playable(result));
      return result;
    } catch (error) {
      if (isCancellation(error)) {
        this.log.info('Cancelled by the user; nothing was kept.');
      } else {
        // The message stays up until the user acts; the command itself is finished.
        void this.offerNextStep(error, prompt, source);
      }
      return undefined;
    }
  }

  private async offerNextStep(error: unknown, prompt: string, source: vscode.Uri | undefined): Promise<void> {
    const action = await showError(error, this.log);
    if (action === 'setToken' && (await this.tokens.ask())) await this.generate(prompt, source);
    if (action === 'retry') await this.generate(prompt, source);
  }
}

function playable(result: GenerationResult): PlayableVideo {
  return {
    file: result.file,
    info: {
      fileName: result.file.split(/[\\/]/).pop() ?? result.file,
      prompt: result.prompt,
      model: result.model,
      provider: `${result.provider}${result.routed ? ' (via Hugging Face)' : ' (direct)'}`,
      seed: result.seed,
      sizeLabel: formatBytes(result.bytes),
      elapsedLabel: `${formatElapsed(result.timings.totalMs)} (generation ${formatElapsed(result.timings.generateMs)}, download ${formatElapsed(result.timings.downloadMs)})`,
      warning: result.warning,
    },
  };
}
