// The provider modules by name.
import { falAi } from './falAi';
import { novita } from './novita';
import type { ProviderModule } from './provider';
import { replicate } from './replicate';
import { together } from './together';
import type { ProviderName } from './types';
import { wavespeed } from './wavespeed';

export const PROVIDER_MODULES: Record<ProviderName, ProviderModule> = {
  'fal-ai': falAi,
  replicate,
  novita,
  wavespeed,
  together,
};

export function providerModule(name: string): ProviderModule | undefined {
  return Object.prototype.hasOwnProperty.call(PROVIDER_MODULES, name) ? PROVIDER_MODULES[name as ProviderName] : undefined;
}
