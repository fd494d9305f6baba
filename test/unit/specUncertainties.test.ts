// Where the spec marks a point (U), the emulator can answer either way; the client must work with both.
import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HfVideoError } from '../../src/core/errors';
import { VideoClient, type GenerationResult } from '../../src/core/generate';
import { HttpClient } from '../../src/core/http';
import type { GenerationRequest, ProviderChoice } from '../../src/core/types';
import { startEmulator } from '../emulator/server';
import type { Emulator, EmulatorOptions } from '../emulator/types';

const WAN21 = 'Wan-AI/Wan2.1-T2V-14B';

describe('spec uncertainties: the client works with either answer', function () {
  this.timeout(30_000);
  const running: Emulator[] = [];
  const folders: string[] = [];
  after(async () => {
    await Promise.all(running.map((emulator) => emulator.close()));
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  async function emulatorWith(options: EmulatorOptions): Promise<Emulator> {
    const emulator = await startEmulator({ queueMs: 100, runMs: 150, replicateWaitMs: 50, ...options });
    running.push(emulator);
    return emulator;
  }

  async function generate(emulator: Emulator, provider: ProviderChoice, request: Partial<GenerationRequest> = {}, signal = new AbortController().signal): Promise<{ result: GenerationResult; outputDir: string }> {
    const outputDir = await mkdtemp(join(tmpdir(), 'hfv-u-'));
    folders.push(outputDir);
    const client = new VideoClient(new HttpClient({ userAgent: 't', retryDelayMs: 10 }));
    const result = await client.generate(
      { prompt: 'a lighthouse in a storm', model: WAN21, provider, parameters: {}, extra: {}, ...request },
      { routerUrl: emulator.url, hubUrl: emulator.url, timeoutMinutes: 1, pollIntervalMs: 20 },
      { hfToken: 'hf_emulator_token' },
      { signal, onProgress: () => undefined, outputDir },
    );
    return { result, outputDir };
  }

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => assert.fail('expected a failure'),
      (error: unknown) => {
        assert.ok(error instanceof HfVideoError, String(error));
        return error;
      },
    );

  it('the router rewrites provider URLs to router URLs (fal, replicate, wavespeed)', async () => {
    const emulator = await emulatorWith({ routerRewritesUrls: true });
    for (const provider of ['fal-ai', 'replicate', 'wavespeed'] as const) {
      const { result } = await generate(emulator, provider);
      assert.equal(result.provider, provider);
    }
  });

  it('the Hub returns the mapping in list form', async () => {
    const emulator = await emulatorWith({ hubMappingShape: 'list' });
    assert.equal((await generate(emulator, 'auto')).result.provider, 'fal-ai');
  });

  it('fal reports failures as a FAILED status instead of COMPLETED with an error', async () => {
    const emulator = await emulatorWith({ falFailureStyle: 'failed-status' });
    emulator.injectFault({ kind: 'job-failed', provider: 'fal-ai', message: 'GPU out of memory' });
    const error = await failure(generate(emulator, 'fal-ai'));
    assert.equal(error.kind, 'providerFailed');
    assert.match(error.userMessage, /GPU out of memory/);
  });

  it('fal answers a result request before completion with the status instead of 400', async () => {
    const emulator = await emulatorWith({ falResultWhilePending: 'status' });
    assert.equal((await generate(emulator, 'fal-ai')).result.provider, 'fal-ai');
  });

  it('Replicate returns an array output, or sets output while still processing', async () => {
    for (const options of [{ replicateOutputShape: 'array' as const }, { replicateOutputWhileProcessingMs: 500 }]) {
      const emulator = await emulatorWith(options);
      assert.equal((await generate(emulator, 'replicate')).result.provider, 'replicate');
    }
  });

  it('Replicate rejects unknown input keys: the message names the field', async () => {
    const emulator = await emulatorWith({ replicateUnknownInputKeys: 'reject' });
    const error = await failure(generate(emulator, 'replicate', { extra: { not_a_real_field: 1 } }));
    assert.equal(error.kind, 'rejected');
    assert.match(error.userMessage, /not_a_real_field/);
  });

  it('Novita’s async route is gone: the legacy synchronous route is used', async () => {
    const emulator = await emulatorWith({ novitaLegacyHf: 'sync' });
    emulator.injectFault({ kind: 'http-error', provider: 'novita', phase: 'submit', status: 404 });
    await generate(emulator, 'novita');
    assert.ok(emulator.requests.some((request) => request.method === 'POST' && request.path === '/novita/v3/hf/wan-t2v'));
  });

  it('Novita requires width and height: the message says so, and extra parameters supply them', async () => {
    const emulator = await emulatorWith({ novitaRequiresSize: true });
    const error = await failure(generate(emulator, 'novita'));
    assert.equal(error.kind, 'rejected');
    assert.match(error.userMessage, /width|height/);
    await generate(emulator, 'novita', { extra: { width: 832, height: 480 } });
  });

  it('providers reject negative_prompt arrays: the client always sends a string', async () => {
    const emulator = await emulatorWith({ negativePromptArrays: 'reject' });
    for (const provider of ['fal-ai', 'novita', 'wavespeed'] as const) {
      await generate(emulator, provider, { parameters: { negative_prompt: 'blurry, low quality' } });
    }
  });

  it('router error bodies in every shape still give the server’s words', async () => {
    for (const routerErrorShape of ['error-string', 'error-object', 'message'] as const) {
      const emulator = await emulatorWith({ routerErrorShape });
      emulator.injectFault({ kind: 'http-error', provider: 'fal-ai', phase: 'submit', status: 402, message: 'You have exceeded your monthly included credits' });
      const error = await failure(generate(emulator, 'fal-ai'));
      assert.equal(error.kind, 'credits');
      assert.match(error.userMessage, /exceeded your monthly included credits/, routerErrorShape);
    }
  });

  it('the router does not forward cancel: the job still stops here and nothing is kept', async () => {
    const emulator = await emulatorWith({ routerForwardsCancel: false });
    emulator.injectFault({ kind: 'never-finish', provider: 'fal-ai', stage: 'running' });
    const controller = new AbortController();
    const outputDir = await mkdtemp(join(tmpdir(), 'hfv-u-'));
    folders.push(outputDir);
    const client = new VideoClient(new HttpClient({ userAgent: 't' }));
    const error = await failure(
      client.generate(
        { prompt: 'x', model: WAN21, provider: 'fal-ai', parameters: {}, extra: {} },
        { routerUrl: emulator.url, hubUrl: emulator.url, timeoutMinutes: 1, pollIntervalMs: 20 },
        { hfToken: 'hf_emulator_token' },
        // Cancel once the job runs at the provider, so there is a job the router could have stopped.
        { signal: controller.signal, onProgress: (event) => event.phase === 'running' && controller.abort(), outputDir },
      ),
    );
    assert.equal(error.kind, 'cancelled');
    assert.deepEqual(await readdir(outputDir), []);
  });
});
