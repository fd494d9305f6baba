import * as assert from 'node:assert/strict';
import { HfVideoError } from '../../src/core/errors';
import { HttpClient } from '../../src/core/http';
import { chooseProvider, HubClient, parseMapping } from '../../src/core/hub';
import { isProviderName } from '../../src/core/types';
import { MODELS } from '../emulator/models';
import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/types';

const MODEL = 'Wan-AI/Wan2.1-T2V-14B';
const dict = {
  id: MODEL,
  inferenceProviderMapping: {
    'hf-inference': { status: 'live', providerId: 'x', task: 'text-to-video' },
    novita: { status: 'staging', providerId: 'wan-t2v', task: 'text-to-video' },
    'fal-ai': { status: 'live', providerId: 'fal-ai/wan-t2v', task: 'text-to-video' },
    replicate: { status: 'error', providerId: 'wavespeedai/wan-2.1-t2v-480p', task: 'text-to-video' },
    together: { status: 'live', providerId: 'm', task: 'text-to-image' },
  },
};

describe('Hub provider mapping', () => {
  it('reads the dict form and the list form alike, keeping the Hub order', () => {
    const fromDict = parseMapping(dict, MODEL);
    const fromList = parseMapping({ inferenceProviderMapping: fromDict.map((entry) => ({ ...entry, hfModelId: MODEL })) }, MODEL);
    assert.deepEqual(fromDict.map((entry) => entry.provider), ['hf-inference', 'novita', 'fal-ai', 'replicate', 'together']);
    assert.deepEqual(fromList.map((entry) => entry.provider), fromDict.map((entry) => entry.provider));
  });

  it('auto takes the first live text-to-video provider this client supports', () => {
    const resolved = chooseProvider(MODEL, 'auto', parseMapping(dict, MODEL));
    assert.equal(resolved.provider, 'fal-ai');
    assert.equal(resolved.warning, undefined);
  });

  it('a named staging or error provider is used with a warning', () => {
    assert.match(chooseProvider(MODEL, 'novita', parseMapping(dict, MODEL)).warning ?? '', /staging/);
    assert.match(chooseProvider(MODEL, 'replicate', parseMapping(dict, MODEL)).warning ?? '', /health check/);
  });

  it('says which providers would serve when the named one does not, or which models when none does', () => {
    assert.throws(() => chooseProvider(MODEL, 'wavespeed', parseMapping(dict, MODEL)), /wavespeed does not serve .* It is served by fal-ai/);
    assert.throws(() => chooseProvider(MODEL, 'together', parseMapping(dict, MODEL)), /for text-to-image, not for text-to-video/);
    const none = { inferenceProviderMapping: { novita: { status: 'staging', providerId: 'a', task: 'text-to-video' } } };
    assert.throws(
      () => chooseProvider(MODEL, 'auto', parseMapping(none, MODEL), ['Wan-AI/Wan2.2-TI2V-5B', MODEL]),
      (error: unknown) =>
        error instanceof HfVideoError &&
        error.kind === 'noProvider' &&
        /No Inference Provider serves/.test(error.userMessage) &&
        /novita \(staging\)/.test(error.userMessage) &&
        /Models that are served: Wan-AI\/Wan2\.2-TI2V-5B\./.test(error.userMessage),
    );
  });

  it('a model without mapping information gets a clear message', () => {
    assert.throws(() => parseMapping({ id: MODEL }, MODEL), /no Inference Provider information/);
  });
});

describe('the Hub\'s list of text-to-video models (the studio\'s model choices)', function () {
  this.timeout(10_000);
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator({});
  });
  after(() => emulator.close());

  it('lists the models some provider serves live, each with the providers this extension can call and their state', async () => {
    const models = await new HubClient(new HttpClient({ userAgent: 'hub-test' })).textToVideoModels(emulator.url, AbortSignal.timeout(5000));
    assert.ok(models.length > 0);
    const expected = MODELS.filter((model) => model.pipelineTag === 'text-to-video' && model.mapping.some((entry) => entry.status === 'live'));
    assert.deepEqual(
      models.map((model) => model.id),
      expected.map((model) => model.id),
    );
    for (const [index, model] of models.entries()) {
      const served = expected[index]!.mapping.filter((entry) => entry.task === 'text-to-video' && isProviderName(entry.provider));
      assert.deepEqual(model.providers, served.map(({ provider, status }) => ({ provider, status })), model.id);
    }
    const [request] = emulator.requests.filter((recorded) => recorded.path === '/api/models');
    assert.ok(request, 'one list request');
  });
});
