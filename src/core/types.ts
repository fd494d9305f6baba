/** The vocabulary shared by the client, the providers and the VS Code layer. */

export const PROVIDERS = ['fal-ai', 'replicate', 'novita', 'wavespeed', 'together'] as const;
export type ProviderName = (typeof PROVIDERS)[number];
export type ProviderChoice = ProviderName | 'auto';

export function isProviderName(value: unknown): value is ProviderName {
  return typeof value === 'string' && (PROVIDERS as readonly string[]).includes(value);
}

/** The Hugging Face task parameters for text-to-video (HF names; providers rename on the wire). */
export interface VideoParameters {
  num_frames?: number;
  guidance_scale?: number;
  /** One prompt or a list; providers receive a single string (see baseBody). */
  negative_prompt?: string | string[];
  num_inference_steps?: number;
  seed?: number;
}

export interface GenerationRequest {
  prompt: string;
  model: string;
  provider: ProviderChoice;
  parameters: VideoParameters;
  /** Provider-specific fields (resolution, aspect_ratio, frames_per_second, duration…), sent as they are. */
  extra: Record<string, unknown>;
}

/** What the user sees while a job runs, in order. */
export type ProgressEvent =
  | { phase: 'resolving'; model: string }
  | { phase: 'submitted'; provider: ProviderName; providerId: string; requestId?: string }
  | { phase: 'queued'; position?: number }
  | { phase: 'running'; logs: string[]; percent?: number }
  | { phase: 'downloading'; receivedBytes: number; totalBytes?: number }
  | { phase: 'done'; file: string };

export type ProgressListener = (event: ProgressEvent) => void;
