// Hugging Face Hub API: model info with the provider mapping, whoami, tasks.
import type { Caller } from './auth';
import { ReplyError, errorReply } from './errors';
import { stableHex } from './ids';
import { findModel, MODELS, type HubModel, type MappingEntry } from './models';
import type { ResolvedOptions } from './options';
import { jsonReply, type Reply } from './reply';
import type { FaultPhase } from './types';

export interface HubRequest {
  options: ResolvedOptions;
  caller: Exclude<Caller, 'invalid'>;
  searchParams: URLSearchParams;
}

export interface HubRoute {
  method: 'GET';
  pattern: string;
  phase: FaultPhase;
  handle(request: HubRequest, params: Record<string, string>): Reply;
}

export const HUB_ROUTES: HubRoute[] = [
  { method: 'GET', pattern: 'api/whoami-v2', phase: 'whoami', handle: whoami },
  { method: 'GET', pattern: 'api/tasks', phase: 'hub', handle: () => jsonReply(200, tasks()) },
  { method: 'GET', pattern: 'api/models', phase: 'hub', handle: listModels },
  { method: 'GET', pattern: 'api/models/*id', phase: 'hub', handle: (request, params) => modelInfo(request, params.id) },
];

/**
 * `GET /api/models?inference_provider=all|{provider}&pipeline_tag=…&limit=…`: models that some
 * (or the named) provider serves live, in the table's order, with the mapping in list form as list
 * endpoints return it.
 */
function listModels(request: HubRequest): Reply {
  const provider = request.searchParams.get('inference_provider');
  const tag = request.searchParams.get('pipeline_tag');
  const limit = Number(request.searchParams.get('limit') ?? '') || MODELS.length;
  const served = (model: HubModel) =>
    model.mapping.some((entry) => entry.status === 'live' && (provider === 'all' || entry.provider === provider));
  const models = MODELS.filter((model) => (!provider || served(model)) && (!tag || model.pipelineTag === tag)).slice(0, limit);
  return jsonReply(
    200,
    models.map((model) => ({ _id: mongoId(model.id), id: model.id, pipeline_tag: model.pipelineTag, inferenceProviderMapping: mappingList(model) })),
  );
}

/** Fields the Hub adds to `_id`/`id` when asked through `expand` / `expand[]`. */
const EXPANDABLE: Record<string, (model: HubModel, options: ResolvedOptions) => unknown> = {
  inferenceProviderMapping: (model, options) => (options.hubMappingShape === 'list' ? mappingList(model) : mappingDict(model)),
  pipeline_tag: (model) => model.pipelineTag,
  inference: (model) => (model.mapping.some((entry) => entry.status === 'live') ? 'warm' : undefined),
};

function modelInfo(request: HubRequest, id: string): Reply {
  const model = findModel(id);
  if (!model) throw new ReplyError(errorReply('hub', 404, 'Repository not found'));
  const expand = [...request.searchParams.getAll('expand'), ...request.searchParams.getAll('expand[]')];
  if (expand.length === 0) return jsonReply(200, fullInfo(model));
  const body: Record<string, unknown> = { _id: mongoId(model.id), id: model.id };
  for (const field of expand) {
    const value = EXPANDABLE[field]?.(model, request.options);
    if (value !== undefined) body[field] = value;
  }
  return jsonReply(200, body);
}

function mongoId(id: string): string {
  return stableHex(id, 24);
}

function fullInfo(model: HubModel): Record<string, unknown> {
  return {
    _id: mongoId(model.id),
    id: model.id,
    modelId: model.id,
    author: model.id.split('/')[0],
    sha: stableHex(`${model.id}@main`, 40),
    private: false,
    gated: false,
    disabled: false,
    pipeline_tag: model.pipelineTag,
    library_name: 'diffusers',
    tags: ['diffusers', 'safetensors', model.pipelineTag],
    downloads: 1000,
    likes: 100,
    createdAt: '2025-01-01T00:00:00.000Z',
    lastModified: '2025-06-01T00:00:00.000Z',
    siblings: [{ rfilename: 'README.md' }, { rfilename: 'model_index.json' }],
  };
}

/** Dict form, as `model_info` returns it: provider → entry, in the Hub's order. */
function mappingDict(model: HubModel): Record<string, unknown> {
  return Object.fromEntries(model.mapping.map(({ provider, ...entry }) => [provider, entry]));
}

/** List form, as list endpoints return it (and maybe, some day, `model_info` — (U)). */
function mappingList(model: HubModel): Array<MappingEntry & { hfModelId: string }> {
  return model.mapping.map((entry) => ({ ...entry, hfModelId: model.id }));
}

function whoami(request: HubRequest): Reply {
  if (request.caller === 'anonymous') throw new ReplyError(errorReply('hub', 401));
  const canInfer = request.caller === 'user';
  return jsonReply(200, {
    type: 'user',
    id: mongoId('emulator-user'),
    name: 'emulator-user',
    fullname: 'Emulator User',
    email: 'emulator-user@example.com',
    emailVerified: true,
    isPro: false,
    canPay: false,
    periodEnd: null,
    orgs: [],
    auth: {
      type: 'access_token',
      accessToken: {
        displayName: canInfer ? 'emulator inference token' : 'emulator read token',
        role: canInfer ? 'fineGrained' : 'read',
        createdAt: '2025-01-01T00:00:00.000Z',
        ...(canInfer ? { fineGrained: { canReadGatedRepos: false, global: ['inference.serverless.write'], scoped: [] } } : {}),
      },
    },
  });
}

/** Just enough of `/api/tasks` for the JS client's default-model lookup. */
function tasks(): Record<string, unknown> {
  const models = MODELS.filter((model) => model.pipelineTag === 'text-to-video' && model.mapping.length > 0);
  // tencent/HunyuanVideo leads the task's model list upstream.
  const ordered = [...models].sort((a, b) => Number(b.id === 'tencent/HunyuanVideo') - Number(a.id === 'tencent/HunyuanVideo'));
  return {
    'text-to-video': {
      id: 'text-to-video',
      label: 'Text-to-Video',
      models: ordered.map((model) => ({ id: model.id, description: `${model.id} text-to-video model.` })),
    },
  };
}
