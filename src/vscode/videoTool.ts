import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { HfVideoError } from '../core/errors';
import { elapsedMs, type JobRecord, type JobRequest } from '../core/jobs/record';
import { sidecarPath } from '../core/jobs/sidecar';
import { formatBytes, formatElapsed } from '../core/progressText';
import { prepareToolRequest, type GenerateOptions, type Generations } from './generations';

/** The name under which package.json's `languageModelTools` declares the tool. */
export const VIDEO_TOOL_NAME = 'hfVideo_generateVideo';

/** What an agent (or another extension) may ask for; everything else comes from the user's settings and preset. */
export interface VideoToolInput {
  prompt: string;
  preset?: string;
  model?: string;
  provider?: string;
  seed?: number;
  negative_prompt?: string;
  num_frames?: number;
}

/**
 * "Generate Video" for Copilot's agent mode and any extension: the user confirms each run (it spends
 * their credits), the job runs in the same queue as the commands', and the video is saved into the
 * workspace with its sidecar. Bad input is refused before the confirmation, with the commands' messages.
 */
export class VideoTool implements vscode.LanguageModelTool<VideoToolInput> {
  constructor(private readonly generations: Generations) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<VideoToolInput>): vscode.PreparedToolInvocation {
    const request = prepareToolRequest(options.input.prompt, toolOptions(options.input));
    const message = new vscode.MarkdownString(undefined, false);
    message.appendText(vscode.l10n.t('Prompt: {0}', request.prompt));
    message.appendMarkdown('\n\n');
    message.appendText(vscode.l10n.t('Model: {0} · provider: {1}', request.model, request.provider));
    message.appendMarkdown('\n\n');
    message.appendText(vscode.l10n.t('This uses your Hugging Face credits (or your own provider key), and the video is saved into the workspace.'));
    return {
      invocationMessage: vscode.l10n.t('Generating a video with {0}', request.model),
      confirmationMessages: { title: vscode.l10n.t('Generate a video with Hugging Face?'), message },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<VideoToolInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    try {
      const { record, saved } = await this.generations.generateAndSave(options.input.prompt, toolOptions(options.input), token);
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(summary(record, saved))]);
    } catch (error) {
      if (error instanceof HfVideoError && error.kind === 'cancelled') throw new vscode.CancellationError();
      throw error instanceof HfVideoError ? new Error(error.userMessage) : error;
    }
  }
}

/** The input's values as a layer over the settings and the preset, as if picked for this run. */
function toolOptions(input: VideoToolInput): GenerateOptions {
  const { prompt: _prompt, preset, ...values } = input ?? {};
  return { preset, layers: [{ origin: { kind: 'run' }, values: { model: values.model, provider: values.provider, seed: values.seed, negative_prompt: values.negative_prompt, num_frames: values.num_frames } }] };
}

/** What the sidecar says about the generation, in a few lines the agent can pass on. */
function summary(record: JobRecord, saved: string): string {
  const relative = (file: string) => vscode.workspace.asRelativePath(file, false);
  const sidecar = [sidecarPath(saved), `${saved}.json`].find((file) => existsSync(file));
  const took = elapsedMs(record.timings.createdAt, record.timings.finishedAt);
  return [
    `Saved the video to ${relative(saved)}${sidecar ? ` (how it was made: ${relative(sidecar)})` : ''}.`,
    `Prompt: ${record.request.prompt}`,
    `Model: ${record.request.model}; provider: ${record.provider ?? record.request.provider}; seed: ${record.seed}.`,
    ...parameterLine(record.request),
    [took === undefined ? undefined : `Took ${formatElapsed(took)}`, record.bytes ? formatBytes(record.bytes) : undefined].filter(Boolean).join(', ') + '.',
  ].join('\n');
}

function parameterLine(request: JobRequest): string[] {
  const { seed: _seed, ...parameters } = request.parameters;
  const values = { ...parameters, ...request.extra };
  const entries = Object.entries(values).map(([name, value]) => `${name} ${Array.isArray(value) ? value.join(', ') : JSON.stringify(value)}`);
  return entries.length ? [`Parameters: ${entries.join('; ')}.`] : [];
}
