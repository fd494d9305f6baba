import * as assert from 'node:assert/strict';
import { HfVideoError } from '../../src/core/errors';
import { chooseProvider, parseMapping } from '../../src/core/hub';

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
