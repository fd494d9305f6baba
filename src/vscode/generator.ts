import * as vscode from 'vscode';
import { isCancellation } from '../core/errors';
import { DownloadFailedError, validatePrompt, type GenerationResult, type VideoClient } from '../core/generate';
import { formatBytes, formatElapsed } from '../core/progressText';
import type { ProgressListener } from '../core/types';
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
    const outputDir = vscode.Uri.joinPath(this.context.globalStorageUri, 'videos').fsPath;
    return this.run(`Generating video with ${settings.model}`, (signal, onProgress) =>
      this.client().generate(
        { prompt, model: settings.model, provider: settings.provider, parameters: settings.parameters, extra: settings.extra },
        settings.client,
        credentials,
        { signal, onProgress, outputDir, log: (line) => this.log.info(line) },
      ),
    () => this.generate(prompt, source),
    );
  }

  /**
   * Runs a job under the progress notification and shows its video. A failure is reported with
   * its next step while the command itself returns: `again` runs when the user asks to retry.
   */
  private async run(
    title: string,
    job: (signal: AbortSignal, onProgress: ProgressListener) => Promise<GenerationResult>,
    again: () => Promise<GenerationResult | undefined>,
  ): Promise<GenerationResult | undefined> {
    try {
      const result = await runWithProgress(title, this.log, job);
      if (result.warning) void vscode.window.showWarningMessage(result.warning);
      this.log.info(`Finished in ${formatElapsed(result.timings.totalMs)}: ${formatBytes(result.bytes)} from ${result.provider}`);
      PlayerPanel.show(this.context, this.player, playable(result));
      return result;
    } catch (error) {
      if (isCancellation(error)) {
        this.log.info('Cancelled by the user; nothing was kept.');
      } else {
        void this.offerNextStep(error, again);
      }
      return undefined;
    }
  }

  private async offerNextStep(error: unknown, again: () => Promise<GenerationResult | undefined>): Promise<void> {
    const action = await showError(error, this.log);
    if ((action === 'setToken' && (await this.tokens.ask())) || action === 'retry') await again();
    if (action === 'downloadAgain' && error instanceof DownloadFailedError) {
      // Fetches the finished video again; no new job, nothing paid twice.
      await this.run('Downloading the video again', (signal, onProgress) => error.downloadAgain({ signal, onProgress }), again);
    }
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
