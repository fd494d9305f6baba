// Where the spec marks a point (U), the emulator can answer either way; the client must work with both.
import * as assert from 'node:assert/strict';
import type { JobRecord, JobRequest } from '../../src/core/jobs/record';
import type { ProviderChoice } from '../../src/core/types';
import { startEmulator } from '../emulator/server';
import type { Emulator, EmulatorOptions } from '../emulator/types';
import { JobHarness, PROVIDER_KEYS, TOKEN, cancelOnceRunning, until } from '../jobHarness';

describe('spec uncertainties: the client works with either answer', function () {
  this.timeout(30_000);
  const running: Emulator[] = [];
  const harnesses: JobHarness[] = [];
  after(async () => {
    await Promise.all(harnesses.map((harness) => harness.dispose()));
    await Promise.all(running.map((emulator) => emulator.close()));
  });

  async function emulatorWith(options: EmulatorOptions): Promise<Emulator> {
    const emulator = await startEmulator({ queueMs: 100, runMs: 150, replicateWaitMs: 50, ...options });
    running.push(emulator);
    return emulator;
  }

  async function harnessFor(emulator: Emulator): Promise<JobHarness> {
    const harness = await JobHarness.create(emulator);
    harnesses.push(harness);
    return harness;
  }

  /** A job on `provider`, run to its end; the record tells how it ended. */
  async function generate(emulator: Emulator, provider: ProviderChoice, request: Partial<JobRequest> = {}): Promise<JobRecord> {
    return (await harnessFor(emulator)).run({ prompt: 'a lighthouse in a storm', provider, ...request });
  }

  async function success(running: Promise<JobRecord>): Promise<JobRecord> {
    const record = await running;
    assert.equal(record.state, 'done', record.failure?.message);
    return record;
  }

  async function failure(running: Promise<JobRecord>): Promise<NonNullable<JobRecord['failure']>> {
    const record = await running;
    assert.equal(record.state, 'failed');
    return record.failure!;
  }

  it('the router rewrites provider URLs to router URLs (fal, replicate, wavespeed)', async () => {
    const emulator = await emulatorWith({ routerRewritesUrls: true });
    for (const provider of ['fal-ai', 'replicate', 'wavespeed'] as const) {
      assert.equal((await success(generate(emulator, provider))).provider, provider);
    }
  });

  it('the Hub returns the mapping in list form', async () => {
    const emulator = await emulatorWith({ hubMappingShape: 'list' });
    assert.equal((await success(generate(emulator, 'auto'))).provider, 'fal-ai');
  });

  it('fal reports failures as a FAILED status instead of COMPLETED with an error', async () => {
    const emulator = await emulatorWith({ falFailureStyle: 'failed-status' });
    emulator.injectFault({ kind: 'job-failed', provider: 'fal-ai', message: 'GPU out of memory' });
    const error = await failure(generate(emulator, 'fal-ai'));
    assert.equal(error.kind, 'providerFailed');
    assert.match(error.message, /GPU out of memory/);
  });

  it('fal answers a result request before completion with the status instead of 400', async () => {
    const emulator = await emulatorWith({ falResultWhilePending: 'status' });
    assert.equal((await success(generate(emulator, 'fal-ai'))).provider, 'fal-ai');
  });

  it('Replicate returns an array output, or sets output while still processing', async () => {
    for (const options of [{ replicateOutputShape: 'array' as const }, { replicateOutputWhileProcessingMs: 500 }]) {
      const emulator = await emulatorWith(options);
      assert.equal((await success(generate(emulator, 'replicate'))).provider, 'replicate');
    }
  });

  it('Replicate rejects unknown input keys: the message names the field', async () => {
    const emulator = await emulatorWith({ replicateUnknownInputKeys: 'reject' });
    const error = await failure(generate(emulator, 'replicate', { extra: { not_a_real_field: 1 } }));
    assert.equal(error.kind, 'rejected');
    assert.match(error.message, /not_a_real_field/);
  });

  it('Novita’s async route is gone: the legacy synchronous route is used', async () => {
    const emulator = await emulatorWith({ novitaLegacyHf: 'sync' });
    emulator.injectFault({ kind: 'http-error', provider: 'novita', phase: 'submit', status: 404 });
    await success(generate(emulator, 'novita'));
    assert.ok(emulator.requests.some((request) => request.method === 'POST' && request.path === '/novita/v3/hf/wan-t2v'));
  });

  it('Novita requires width and height: the message says so, and extra parameters supply them', async () => {
    const emulator = await emulatorWith({ novitaRequiresSize: true });
    const error = await failure(generate(emulator, 'novita'));
    assert.equal(error.kind, 'rejected');
    assert.match(error.message, /width|height/);
    await success(generate(emulator, 'novita', { extra: { width: 832, height: 480 } }));
  });

  it('providers reject negative_prompt arrays: the client always sends a string', async () => {
    const emulator = await emulatorWith({ negativePromptArrays: 'reject' });
    for (const provider of ['fal-ai', 'novita', 'wavespeed'] as const) {
      await success(generate(emulator, provider, { parameters: { negative_prompt: 'blurry, low quality' } }));
    }
  });

  it('router error bodies in every shape still give the server’s words', async () => {
    for (const routerErrorShape of ['error-string', 'error-object', 'message'] as const) {
      const emulator = await emulatorWith({ routerErrorShape });
      emulator.injectFault({ kind: 'http-error', provider: 'fal-ai', phase: 'submit', status: 402, message: 'You have exceeded your monthly included credits' });
      const error = await failure(generate(emulator, 'fal-ai'));
      assert.equal(error.kind, 'credits');
      assert.match(error.message, /exceeded your monthly included credits/, routerErrorShape);
    }
  });

  it('the router does not forward cancel: the job still stops here and nothing is kept', async () => {
    const emulator = await emulatorWith({ routerForwardsCancel: false });
    emulator.injectFault({ kind: 'never-finish', provider: 'fal-ai', stage: 'running' });
    const harness = await harnessFor(emulator);
    const record = await harness.run({ provider: 'fal-ai' }, cancelOnceRunning());
    assert.equal(record.state, 'cancelled');
    assert.deepEqual(await harness.videoFiles(), []);
  });

  it('Together names a waiting job in_progress or queued', async () => {
    for (const togetherQueuedStatus of ['in_progress', 'queued'] as const) {
      const emulator = await emulatorWith({ togetherQueuedStatus });
      assert.equal((await success(generate(emulator, 'together', { model: 'Wan-AI/Wan2.2-T2V-A14B' }))).provider, 'together');
    }
  });

  it('Novita’s own host refuses frames: the message names the field', async () => {
    const emulator = await emulatorWith({ novitaFrames: 'reject' });
    const harness = await harnessFor(emulator);
    const record = await harness.run(
      { prompt: 'a lighthouse in a storm', provider: 'novita', parameters: { num_frames: 85 } },
      { credentials: { hfToken: TOKEN, providerKeys: { novita: PROVIDER_KEYS.novita } } },
    );
    assert.equal(record.state, 'failed');
    assert.equal(record.failure?.kind, 'rejected');
    assert.match(record.failure!.message, /frames/);
  });

  describe('fal status stream logs on the direct host (falStreamLogs)', () => {
    const RUN_MS = 200;
    const LOG_STEPS = 4;
    for (const falStreamLogs of ['delta', 'cumulative'] as const) {
      it(`${falStreamLogs}: every line is reported once, none dropped`, async () => {
        let time = Date.now();
        const emulator = await emulatorWith({ falStreamLogs, queueMs: 100, runMs: RUN_MS, now: () => time });
        const harness = await harnessFor(emulator);
        const logs: string[] = [];
        const running = harness.run({ prompt: 'a lighthouse in a storm', provider: 'fal-ai' }, {
          credentials: { hfToken: TOKEN, providerKeys: { 'fal-ai': PROVIDER_KEYS['fal-ai'] } },
          onProgress: (event) => {
            if (event.phase === 'running') logs.push(...(event.logs ?? []));
          },
        });
        // The clock moves one log line at a time, each time once the line before has been reported.
        await until(() => emulator.requests.some((request) => request.path.endsWith('/status/stream')), 'the job is followed through the stream');
        time += 100;
        await until(() => logs.length === 1, 'the first line is reported');
        for (let step = 1; step < LOG_STEPS; step++) {
          time += RUN_MS / LOG_STEPS;
          await until(() => logs.length > step, `line ${step + 1} is reported`);
        }
        time += RUN_MS;
        await success(running);
        assert.deepEqual(logs, ['Generating video for: a lighthouse in a storm', 'Denoising step 1/4', 'Denoising step 2/4', 'Denoising step 3/4']);
      });
    }
  });

  describe('fal status stream (routerServesStatusStream)', () => {
    const isFal = (path: string): boolean => path.startsWith('/fal-ai/') || path.startsWith('/direct/fal-ai/');
    const statusPolls = (emulator: Emulator) => emulator.requests.filter((request) => request.method === 'GET' && isFal(request.path) && request.path.endsWith('/status'));
    const streams = (emulator: Emulator) => emulator.requests.filter((request) => request.method === 'GET' && isFal(request.path) && request.path.endsWith('/status/stream'));

    it('served: the job completes through the stream, without status polls, and its logs are reported', async () => {
      const emulator = await emulatorWith({ routerServesStatusStream: true });
      const logs: string[] = [];
      const harness = await harnessFor(emulator);
      const record = await success(
        harness.run({ prompt: 'a lighthouse in a storm', provider: 'fal-ai' }, {
          onProgress: (event) => {
            if (event.phase === 'running') logs.push(...(event.logs ?? []));
          },
        }),
      );
      assert.equal(record.provider, 'fal-ai');
      assert.equal(streams(emulator).length, 1);
      assert.equal(streams(emulator)[0]!.query.logs, '1');
      assert.equal(statusPolls(emulator).length, 0);
      assert.ok(logs.some((line) => /Denoising step/.test(line)), logs.join('\n'));
    });

    it('not served by the router (405): routed jobs poll the status and still complete', async () => {
      const emulator = await emulatorWith({ routerServesStatusStream: false });
      assert.equal((await success(generate(emulator, 'fal-ai'))).provider, 'fal-ai');
      assert.equal(streams(emulator).length, 1);
      assert.ok(statusPolls(emulator).length > 0);
    });

    it('a 404 on the stream also falls back to polling', async () => {
      const emulator = await emulatorWith({ routerServesStatusStream: true });
      emulator.injectFault({ kind: 'http-error', provider: 'fal-ai', phase: 'status', status: 404, origin: 'router' });
      assert.equal((await success(generate(emulator, 'fal-ai'))).provider, 'fal-ai');
      assert.ok(statusPolls(emulator).length > 0);
    });

    it('cancel while streaming sends fal’s PUT …/cancel', async () => {
      const emulator = await emulatorWith({ routerServesStatusStream: true });
      emulator.injectFault({ kind: 'never-finish', provider: 'fal-ai', stage: 'running' });
      const harness = await harnessFor(emulator);
      const record = await harness.run({ provider: 'fal-ai' }, cancelOnceRunning());
      assert.equal(record.state, 'cancelled');
      assert.equal(statusPolls(emulator).length, 0);
      assert.ok(emulator.requests.some((request) => request.method === 'PUT' && request.path.endsWith('/cancel')));
      assert.deepEqual(await harness.videoFiles(), []);
    });
  });
});
