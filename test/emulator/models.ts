// The Hub's model table as the emulator knows it: which providers serve which model.
import type { ProviderName } from './types';

export type MappingStatus = 'live' | 'staging' | 'error';

export interface MappingEntry {
  provider: ProviderName;
  providerId: string;
  status: MappingStatus;
  task: string;
  adapter?: 'lora';
  adapterWeightsPath?: string;
}

export interface HubModel {
  id: string;
  pipelineTag: string;
  /** Hub order = array order (the default "most requests first" sort). */
  mapping: MappingEntry[];
}

const T2V = 'text-to-video';

function live(provider: ProviderName, providerId: string, task = T2V): MappingEntry {
  return { provider, providerId, status: 'live', task };
}

export const MODELS: readonly HubModel[] = [
  {
    id: 'Wan-AI/Wan2.1-T2V-14B',
    pipelineTag: T2V,
    mapping: [
      live('fal-ai', 'fal-ai/wan-t2v'),
      live('replicate', 'wavespeedai/wan-2.1-t2v-480p'),
      live('novita', 'wan-t2v'),
      live('wavespeed', 'wavespeed-ai/wan-2.1/t2v-480p'),
    ],
  },
  {
    id: 'Wan-AI/Wan2.2-TI2V-5B',
    pipelineTag: T2V,
    mapping: [
      live('fal-ai', 'fal-ai/wan/v2.2-5b/text-to-video'),
      live('replicate', 'wan-video/wan-2.2-5b-fast'),
      live('wavespeed', 'wavespeed-ai/wan-2.2/t2v-5b-720p'),
    ],
  },
  {
    id: 'Wan-AI/Wan2.2-T2V-A14B',
    pipelineTag: T2V,
    mapping: [
      live('fal-ai', 'fal-ai/wan/v2.2-a14b/text-to-video'),
      live('replicate', 'wan-video/wan-2.2-t2v-fast'),
      live('together', 'Wan-AI/Wan2.2-T2V-A14B'),
    ],
  },
  {
    id: 'Lightricks/LTX-Video',
    pipelineTag: T2V,
    mapping: [
      live('fal-ai', 'fal-ai/ltx-video'),
      live('replicate', 'lightricks/ltx-video:8c47da666861d081eeb4d1261853087de23923a268a69b63febdf5dc1dee08e4'),
    ],
  },
  { id: 'tencent/HunyuanVideo', pipelineTag: T2V, mapping: [live('fal-ai', 'fal-ai/hunyuan-video')] },
  {
    id: 'tencent/HunyuanVideo-1.5',
    pipelineTag: T2V,
    mapping: [
      { provider: 'fal-ai', providerId: 'fal-ai/hunyuan-video-v1.5/text-to-video', status: 'staging', task: T2V },
      live('wavespeed', 'wavespeed-ai/hunyuan-video-1.5/text-to-video'),
    ],
  },
  {
    id: 'genmo/mochi-1-preview',
    pipelineTag: T2V,
    mapping: [
      { provider: 'fal-ai', providerId: 'fal-ai/mochi-v1', status: 'error', task: T2V },
      live('replicate', 'genmoai/mochi-1:1944af04d098ef69bed7f9d335d102e652203f268ec4aaa2d836f6217217e460'),
    ],
  },
  {
    id: 'larryvrh/MiniMax-H3-Turbo-Lora',
    pipelineTag: T2V,
    mapping: [
      {
        ...live('wavespeed', 'wavespeed-ai/minimax-h3/text-to-video-lora'),
        adapter: 'lora',
        adapterWeightsPath: 'lora.safetensors',
      },
    ],
  },
  // Served, but not for text-to-video: clients must reject the mapping.
  { id: 'black-forest-labs/FLUX.1-dev', pipelineTag: 'text-to-image', mapping: [live('fal-ai', 'fal-ai/flux/dev', 'text-to-image')] },
  // On the Hub, served by nobody.
  { id: 'Lightricks/LTX-Video-0.9.8-13B-distilled', pipelineTag: T2V, mapping: [] },
];

export function findModel(id: string): HubModel | undefined {
  return MODELS.find((model) => model.id === id);
}

/** Every mapping a provider has, whatever the model: the router resolves these from the request. */
export function providerMappings(provider: ProviderName): MappingEntry[] {
  return MODELS.flatMap((model) => model.mapping.filter((entry) => entry.provider === provider));
}

export function findMapping(provider: ProviderName, providerId: string): MappingEntry | undefined {
  return providerMappings(provider).find((entry) => entry.providerId === providerId);
}

/** Replicate versioned ids are `owner/name:hash`; the versioned route sends only the hash. */
export function findReplicateVersion(version: string): MappingEntry | undefined {
  return providerMappings('replicate').find((entry) => entry.providerId.endsWith(`:${version}`));
}

/** Input keys each Replicate model's schema declares, for the (U) strict-input switch. */
export const REPLICATE_INPUT_SCHEMAS: Record<string, readonly string[]> = {
  'wavespeedai/wan-2.1-t2v-480p': ['prompt', 'negative_prompt', 'num_frames', 'aspect_ratio', 'frames_per_second', 'sample_steps', 'sample_guide_scale', 'sample_shift', 'seed', 'fast_mode', 'lora_weights', 'lora_scale'],
  'wan-video/wan-2.2-5b-fast': ['prompt', 'negative_prompt', 'num_frames', 'resolution', 'aspect_ratio', 'frames_per_second', 'go_fast', 'sample_shift', 'seed', 'disable_safety_checker', 'optimize_prompt'],
  'wan-video/wan-2.2-t2v-fast': ['prompt', 'negative_prompt', 'num_frames', 'resolution', 'aspect_ratio', 'frames_per_second', 'go_fast', 'sample_shift', 'seed', 'disable_safety_checker', 'interpolate_output', 'optimize_prompt'],
};

/** Schema used for models without their own entry above (LTX, Mochi). */
export const REPLICATE_DEFAULT_INPUTS: readonly string[] = ['prompt', 'negative_prompt', 'num_frames', 'guidance_scale', 'num_inference_steps', 'seed', 'width', 'height', 'aspect_ratio', 'fps', 'frames_per_second'];
