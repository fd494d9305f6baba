import type { ProviderName } from '../types';
import { falAi } from './falAi';
import type { ProviderAdapter } from './provider';

/** Every provider the client can drive, by the name the Hub mapping uses. */
export const PROVIDER_ADAPTERS: Partial<Record<ProviderName, ProviderAdapter>> = {
  'fal-ai': falAi,
};
