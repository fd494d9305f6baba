import type { ProviderName } from '../types';
import { falAi } from './falAi';
import { novita } from './novita';
import type { ProviderAdapter } from './provider';
import { replicate } from './replicate';
import { together } from './together';
import { wavespeed } from './wavespeed';

/** Every provider the client can drive, by the name the Hub mapping uses. */
export const PROVIDER_ADAPTERS: Record<ProviderName, ProviderAdapter> = {
  'fal-ai': falAi,
  replicate,
  novita,
  wavespeed,
  together,
};
