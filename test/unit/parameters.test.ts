import * as assert from 'node:assert/strict';
import { HfVideoError } from '../../src/core/errors';
import { resolveParameters } from '../../src/core/parameters';

describe('parameter resolution', () => {
  it('maps settings to HF task parameters and leaves unset ones to the model', () => {
    const { parameters, extra } = resolveParameters({
      numFrames: 81,
      guidanceScale: 5.5,
      negativePrompt: 'blurry',
      numInferenceSteps: 30,
      seed: 42,
      extraParameters: { resolution: '720p' },
    });
    assert.deepEqual(parameters, { num_frames: 81, guidance_scale: 5.5, negative_prompt: 'blurry', num_inference_steps: 30, seed: 42 });
    assert.deepEqual(extra, { resolution: '720p' });
    assert.deepEqual(resolveParameters({ numFrames: null, negativePrompt: '', seed: undefined }), { parameters: {}, extra: {} });
  });

  it('names the setting and the allowed range when a value is out of range', () => {
    const cases: Array<[object, RegExp]> = [
      [{ numFrames: 0 }, /hfVideo\.numFrames must be a whole number from 1 to 1000, not 0/],
      [{ numFrames: 2.5 }, /hfVideo\.numFrames/],
      [{ guidanceScale: 'high' }, /hfVideo\.guidanceScale must be a number/],
      [{ seed: -1 }, /hfVideo\.seed/],
      [{ negativePrompt: 'x'.repeat(2001) }, /longer than 2000/],
      [{ extraParameters: ['a'] }, /must be an object/],
      [{ extraParameters: { prompt: 'sneaky' } }, /may not set "prompt"/],
    ];
    for (const [settings, message] of cases) {
      assert.throws(
        () => resolveParameters(settings),
        (error: unknown) => error instanceof HfVideoError && error.kind === 'invalidInput' && message.test(error.userMessage) && error.nextStep?.action === 'openSettings',
      );
    }
  });
});
