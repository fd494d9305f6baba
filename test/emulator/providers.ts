// The providers: their facts in one table, their routes in one module each.
import { FAL_AI_ROUTES } from './falAi';
import { NOVITA_ROUTES } from './novita';
import type { Provider } from './provider';
import { REPLICATE_ROUTES } from './replicate';
import { TOGETHER_ROUTES } from './together';
import type { ProviderName } from './types';
import { WAVESPEED_ROUTES } from './wavespeed';

// prettier-ignore
export const PROVIDERS_BY_NAME: Record<ProviderName, Provider> = {
  'fal-ai': { name: 'fal-ai', apiHost: 'https://queue.fal.run', authScheme: 'Key', videoContentType: 'application/octet-stream', validationStatus: 422, routes: FAL_AI_ROUTES },
  replicate: { name: 'replicate', apiHost: 'https://api.replicate.com', authScheme: 'Bearer', videoContentType: 'video/mp4', validationStatus: 422, routes: REPLICATE_ROUTES },
  // (U) The Novita, WaveSpeed and Together CDN content types are not recorded; video/mp4 is assumed.
  // Novita's docs ask for `Bearer <key>`; its JS SDK sends the key with no scheme, so the API evidently takes both.
  novita: { name: 'novita', apiHost: 'https://api.novita.ai', authScheme: 'Bearer', acceptsBareKey: true, videoContentType: 'video/mp4', validationStatus: 400, routes: NOVITA_ROUTES },
  wavespeed: { name: 'wavespeed', apiHost: 'https://api.wavespeed.ai', authScheme: 'Bearer', videoContentType: 'video/mp4', validationStatus: 400, routes: WAVESPEED_ROUTES },
  // Together's OpenAPI spec and SDK (since 0.40.0) put /v2/videos on api.together.ai; api.together.xyz is the older host.
  together: { name: 'together', apiHost: 'https://api.together.ai', authScheme: 'Bearer', videoContentType: 'video/mp4', validationStatus: 400, routes: TOGETHER_ROUTES },
};

/** `/direct/fal-ai-sync/…` stands for fal's synchronous host (fal.run) as `/direct/fal-ai/…` does for its queue host. */
export const FAL_SYNC_HOST = 'fal-ai-sync';

export function findProvider(name: string): Provider | undefined {
  return Object.prototype.hasOwnProperty.call(PROVIDERS_BY_NAME, name) ? PROVIDERS_BY_NAME[name as ProviderName] : undefined;
}
