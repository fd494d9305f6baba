import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HfVideoError, type ErrorKind } from '../../src/core/errors';
import { DownloadFailedError, VideoClient, type ClientSettings, type Credentials, type GenerationResult } from '../../src/core/generate';
import { HttpClient } from '../../src/core/http';
import type { GenerationRequest, ProgressEvent, ProviderName } from '../../src/core/types';
import { startEmulator } from '../emulator/server';
import type { Emulator, Fault, RecordedRequest } from '../emulator/types';

const TOKEN = 'hf_emulator_token';
const PROVIDER_KEYS: Record<ProviderName, string> = {
  'fal-ai': 'fal_emulator_key',
  replicate: 'r8_emulator_key',
  novita: 'novita_emulator_key',
  wavespeed: 'wavespeed_emulator_key',
  together: 'together_emulator_key',
};
const PARAMETERS = { num_frames: 33, guidance_scale: 5, negative_prompt: 'blurry', num_inference_steps: 20, seed: 7 };
const EXTRA = { resolution: '480p' };
const HF_BODY = { resolution: '480p', num_frames: 33, guidance_scale: 5, negative_prompt: 'blurry', num_inference_steps: 20, seed: 7, prompt: 'a red fox in the snow' };
const { num_inference_steps: steps, ...WITHOUT_STEPS } = HF_BODY;

interface ProviderCase {
  provider: ProviderName;
  model: string;
  /** The submit path below the provider's base. */
  submitPath: string;
  body: Record<string, unknown>;
  /** How the provider's own key is sent in direct mode. */
  directAuth: string;
  /** The request that stops the job at the provider, where its API has one. */
  cancel?: { method: string; path: RegExp };
}

const CASES: ProviderCase[] = [
  {
    provider: 'fal-ai',
    model: 'Wan-AI/Wan2.1-T2V-14B',
    submitPath: '/fal-ai/wan-t2v',
    body: HF_BODY,
    directAuth: 'Key',
    cancel: { method: 'PUT', path: /\/fal-ai\/wan-t2v\/requests\/[^/]+\/cancel$|\/fal-ai\/wan\/requests\/[^/]+\/cancel$|requests\/[^/]+\/cancel$/ },
  },
  {
    provider: 'replicate',
    model: 'Wan-AI/Wan2.1-T2V-14B',
    submitPath: '/v1/models/wavespeedai/wan-2.1-t2v-480p/predictions',
    body: { input: HF_BODY },
    directAuth: 'Bearer',
    cancel: { method: 'POST', path: /\/v1\/predictions\/[^/]+\/cancel$/ },
  },
  { provider: 'novita', model: 'Wan-AI/Wan2.1-T2V-14B', submitPath: '/v3/async/wan-t2v', body: { ...WITHOUT_STEPS, steps }, directAuth: 'Bearer' },
  { provider: 'wavespeed', model: 'Wan-AI/Wan2.1-T2V-14B', submitPath: '/api/v3/wavespeed-ai/wan-2.1/t2v-480p', body: HF_BODY, directAuth: 'Bearer' },
  {
    provider: 'together',
    model: 'Wan-AI/Wan2.2-T2V-A14B',
    submitPath: '/v2/videos',
    body: { ...WITHOUT_STEPS, steps, model: 'Wan-AI/Wan2.2-T2V-A14B' },
    directAuth: 'Bearer',
  },
];

describe('VideoClient against the emulator', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let outputDir: string;
  let events: ProgressEvent[];
  let client: VideoClient;

  before(async () => {
    emulator = await startEmulator({ queueMs: 150, runMs: 250, replicateWaitMs: 100 });
  });
  after(() => emulator.close());
  afterEach(() => rm(outputDir, { recursive: true, force: true }));
  beforeEach(async () => {
    emulator.reset();
    outputDir = await mkdtemp(join(tmpdir(), 'hfv-client-'));
    events = [];
    // A new client each time, so the Hub mapping cache starts empty.
    client = new VideoClient(new HttpClient({ userAgent: 'hf-text-to-video-tests/1.0', retryDelayMs: 20 }), { downloadRetryDelayMs: 20 });
  });

  function settings(overrides: Partial<ClientSettings> = {}): ClientSettings {
    const directBaseUrls = Object.fromEntries(CASES.map(({ provider }) => [provider, `${emulator.url}/direct/${provider}`]));
    return { routerUrl: emulator.url, hubUrl: emulator.url, timeoutMinutes: 1, pollIntervalMs: 25, directBaseUrls, ...overrides };
  }

  function generate(
    testCase: ProviderCase,
    options: {
      credentials?: Credentials;
      settings?: Partial<ClientSettings>;
      signal?: AbortSignal;
      request?: Partial<GenerationRequest>;
      onProgress?: (event: ProgressEvent) => void;
    } = {},
  ): Promise<GenerationResult> {
    const onProgress = (event: ProgressEvent) => {
      events.push(event);
      options.onProgress?.(event);
    };
    return client.generate(
      { prompt: '  a red fox in the snow ', model: testCase.model, provider: testCase.provider, parameters: PARAMETERS, extra: EXTRA, ...options.request },
      settings(options.settings),
      options.credentials ?? { hfToken: TOKEN },
      { signal: options.signal ?? new AbortController().signal, onProgress, outputDir },
    );
  }

  async function expectFailure(promise: Promise<unknown>, kind: ErrorKind, message?: RegExp): Promise<HfVideoError> {
    const error = await promise.then(
      () => assert.fail('expected the generation to fail'),
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof HfVideoError, `expected HfVideoError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.userMessage);
    if (message) assert.match(error.userMessage, message);
    assert.doesNotMatch(error.userMessage, /[{}]|at .*\(.*:\d+\)/, 'no JSON or stack in what the user reads');
    assert.deepEqual(await readdir(outputDir), [], 'no file is left behind');
    return error;
  }

  const submitOf = (testCase: ProviderCase, prefix: string): RecordedRequest | undefined =>
    emulator.requests.find((request) => request.method === 'POST' && request.path === `${prefix}${testCase.submitPath}`);
  const downloads = () => emulator.requests.filter((request) => request.path.startsWith('/cdn/'));

  for (const testCase of CASES) {
    describe(testCase.provider, () => {
      it('generates a video through the router, with the spec’s request on the wire', async () => {
        const result = await generate(testCase, { settings: { billTo: 'my-org' } });
        const bytes = await readFile(result.file);
        assert.equal(bytes.subarray(4, 8).toString('latin1'), 'ftyp');
        assert.equal(result.bytes, bytes.length);
        assert.equal(result.provider, testCase.provider);
        assert.equal(result.routed, true);
        assert.equal(result.prompt, 'a red fox in the snow');

        const submit = submitOf(testCase, `/${testCase.provider}`);
        assert.ok(submit, `submit request at /${testCase.provider}${testCase.submitPath}`);
        assert.deepEqual(submit.body, testCase.body);
        assert.equal(submit.headers.authorization, 'Bearer [redacted]');
        assert.match(submit.headers['user-agent'] ?? '', /^hf-text-to-video-tests\/1\.0/);
        assert.equal(submit.headers['x-use-cache'], 'true');
        assert.equal(submit.headers['x-wait-for-model'], 'false');
        const routed = emulator.requests.filter((request) => request.path.startsWith(`/${testCase.provider}/`));
        assert.ok(routed.every((request) => request.headers['x-hf-bill-to'] === 'my-org'), 'X-HF-Bill-To on the submit and every status request');
        if (testCase.provider === 'fal-ai') assert.equal(submit.query._subdomain, 'queue');
        if (testCase.provider === 'replicate') assert.equal(submit.headers.prefer, 'wait');

        const [download] = downloads();
        assert.ok(download, 'the video came from the CDN');
        assert.equal(download.headers.authorization, undefined, 'no token is sent to the CDN');
        const phases = events.map((event) => event.phase);
        for (const phase of ['resolving', 'submitted', 'downloading', 'done'] as const) assert.ok(phases.includes(phase), `reported ${phase}`);
        assert.deepEqual(await readdir(outputDir), [result.file.split('/').pop()]);
      });

      it('goes straight to the provider with its own key and auth scheme', async () => {
        const result = await generate(testCase, { credentials: { providerKeys: { [testCase.provider]: PROVIDER_KEYS[testCase.provider] } }, settings: { billTo: 'my-org' } });
        assert.equal(result.routed, false);
        const submit = submitOf(testCase, `/direct/${testCase.provider}`);
        assert.ok(submit, 'submit went to the provider host');
        assert.equal(submit.headers.authorization, `${testCase.directAuth} [redacted]`);
        assert.equal(submit.headers['x-use-cache'], undefined, 'HF headers stay with the router');
        assert.equal(submit.headers['x-hf-bill-to'], undefined, 'billing to an HF organization means nothing to the provider');
        assert.equal(emulator.requests.filter((request) => request.path.startsWith(`/${testCase.provider}/`)).length, 0, 'nothing went through the router');
      });

      const httpFailures: Array<[number, ErrorKind, RegExp]> = [
        [401, 'auth', /access token was refused/],
        [402, 'credits', /credits are used up/],
        [403, 'permission', /not allowed to call Inference Providers/],
        [404, 'notFound', /does not know this model or provider/],
        [422, 'rejected', /rejected the request/],
      ];
      for (const [status, kind, message] of httpFailures) {
        it(`explains HTTP ${status} on submit and leaves nothing`, async () => {
          // Always: novita falls back to its legacy route on a 404, which must fail too.
          emulator.injectFault({ kind: 'http-error', provider: testCase.provider, phase: 'submit', status, times: 'always' });
          await expectFailure(generate(testCase), kind, message);
        });
      }

      it('waits out a 429 with Retry-After and a 503, then succeeds', async () => {
        emulator.injectFault({ kind: 'http-error', provider: testCase.provider, phase: 'submit', status: 429, retryAfter: 0 });
        emulator.injectFault({ kind: 'http-error', provider: testCase.provider, phase: 'status', status: 503 });
        const result = await generate(testCase);
        assert.ok(result.file);
        assert.equal(emulator.requests.filter((request) => request.method === 'POST' && request.path === `/${testCase.provider}${testCase.submitPath}`).length, 2);
      });

      it('never repeats a submit after a 502, which may hide a started job', async () => {
        emulator.injectFault({ kind: 'http-error', provider: testCase.provider, phase: 'submit', status: 502 });
        await expectFailure(generate(testCase), 'unavailable', /HTTP 502/);
        assert.equal(emulator.requests.filter((request) => request.method === 'POST' && request.path === `/${testCase.provider}${testCase.submitPath}`).length, 1);
      });

      it('gives up after bounded retries of a lasting outage', async () => {
        emulator.injectFault({ kind: 'http-error', provider: testCase.provider, phase: 'submit', status: 503, times: 'always' });
        await expectFailure(generate(testCase), 'unavailable', /unavailable right now \(HTTP 503\)/);
        assert.equal(emulator.requests.filter((request) => request.method === 'POST' && request.path === `/${testCase.provider}${testCase.submitPath}`).length, 4);
      });

      it('reports the provider’s own failure reason', async () => {
        emulator.injectFault({ kind: 'job-failed', provider: testCase.provider, message: 'NSFW content detected' });
        await expectFailure(generate(testCase), 'providerFailed', /could not generate the video: .*NSFW content detected/);
      });

      it('stops a job that never finishes at the overall timeout and cancels it upstream', async () => {
        emulator.injectFault({ kind: 'never-finish', provider: testCase.provider });
        await expectFailure(generate(testCase, { settings: { timeoutMinutes: 0.01 } }), 'timeout', /did not finish within/);
        // The deadline is wall-clock time: on a busy machine it can strike before the submit is answered, and a
        // job the client never heard of cannot be cancelled. Every job it did hear of must be.
        if (events.some((event) => event.phase === 'submitted')) assertUpstreamCancel(testCase);
      });

      it('cancels mid-run: the job stops at the provider and no file is left', async () => {
        const controller = new AbortController();
        emulator.injectFault({ kind: 'never-finish', provider: testCase.provider, stage: 'running' });
        // Cancel once the client has seen the job running: by then it knows which job to stop.
        const running = generate(testCase, { signal: controller.signal, onProgress: (event) => event.phase === 'running' && controller.abort() });
        await expectFailure(running, 'cancelled');
        assertUpstreamCancel(testCase);
      });

      it('downloads again after a connection reset: the paid video is not lost', async () => {
        emulator.injectFault({ kind: 'connection-reset', provider: testCase.provider, phase: 'download' });
        const result = await generate(testCase);
        assert.equal((await readFile(result.file)).subarray(4, 8).toString('latin1'), 'ftyp');
        assert.equal(downloads().length, 2);
        assert.deepEqual(await readdir(outputDir), [result.file.split('/').pop()], 'no partial file from the broken attempt');
      });

      it('offers to download a finished video again without a new job', async () => {
        emulator.injectFault({ kind: 'connection-reset', provider: testCase.provider, phase: 'download', times: 3 });
        const error = await expectFailure(generate(testCase), 'network', /you can download it again/);
        assert.ok(error instanceof DownloadFailedError);
        assert.equal(error.nextStep?.action, 'downloadAgain');
        const result = await error.downloadAgain({ signal: new AbortController().signal, onProgress: () => undefined });
        assert.equal((await readFile(result.file)).subarray(4, 8).toString('latin1'), 'ftyp');
        const submits = emulator.requests.filter((request) => request.method === 'POST' && request.path === `/${testCase.provider}${testCase.submitPath}`);
        assert.equal(submits.length, 1, 'one job, paid once');
      });

      const downloadFaults: Array<[Fault['kind'], ErrorKind, RegExp]> = [
        ['connection-reset', 'network', /download from the .* CDN broke off after/],
        ['truncated-body', 'network', /download from the .* CDN (was cut off|broke off)/],
        ['html-page', 'badOutput', /sent an HTML page instead of a video/],
        ['json-error-page', 'badOutput', /sent a JSON document instead of a video/],
      ];
      for (const [kind, errorKind, message] of downloadFaults) {
        it(`rejects a download with ${kind} every time and removes the partial file`, async () => {
          emulator.injectFault({ kind, provider: testCase.provider, phase: 'download', times: 'always' } as Fault);
          await expectFailure(generate(testCase), errorKind, message);
          // Broken connections are tried three times in all; a wrong body is not a network problem and is not.
          assert.equal(downloads().length, errorKind === 'network' ? 3 : 1);
        });
      }
    });
  }

  function assertUpstreamCancel(testCase: ProviderCase): void {
    if (!testCase.cancel) return;
    const { method, path } = testCase.cancel;
    assert.ok(
      emulator.requests.some((request) => request.method === method && path.test(request.path)),
      `a ${method} cancel was sent to ${testCase.provider}: ${emulator.requests.map((request) => `${request.method} ${request.path}`).join(', ')}`,
    );
  }

  describe('choosing the provider', () => {
    it('auto takes the first live provider in the Hub order and sends the token to the Hub', async () => {
      const result = await generate(CASES[0], { request: { provider: 'auto' } });
      assert.equal(result.provider, 'fal-ai');
      const hub = emulator.requests.find((request) => request.path.startsWith('/api/models/'));
      assert.equal(hub?.headers.authorization, 'Bearer [redacted]');
    });

    it('caches the Hub mapping between jobs', async () => {
      await generate(CASES[0], { request: { provider: 'auto' } });
      await generate(CASES[0], { request: { provider: 'auto' } });
      assert.equal(emulator.requests.filter((request) => request.path.startsWith('/api/models/Wan-AI')).length, 1);
    });

    it('explains an unknown model', async () => {
      await expectFailure(generate(CASES[0], { request: { model: 'nobody/no-such-model', provider: 'auto' } }), 'notFound', /Hugging Face Hub/);
    });

    it('names served models, from the Hub, when no provider serves the chosen model', async () => {
      const error = await expectFailure(
        generate(CASES[0], { request: { model: 'Lightricks/LTX-Video-0.9.8-13B-distilled', provider: 'auto' } }),
        'noProvider',
        /No Inference Provider serves Lightricks\/LTX-Video-0\.9\.8-13B-distilled .* Models that are served: Wan-AI\/Wan2\.1-T2V-14B/,
      );
      assert.equal(error.nextStep?.action, 'openSettings');
      assert.ok(emulator.requests.some((request) => request.path === '/api/models' && request.query.pipeline_tag === 'text-to-video'));
    });

    it('names the providers that would serve when the chosen one does not', async () => {
      await expectFailure(generate(CASES[0], { request: { provider: 'together' } }), 'noProvider', /together does not serve .* served by fal-ai/);
    });
  });

  describe('cancelling in any phase', () => {
    const arrived: Record<'hub' | 'submit' | 'status' | 'download', (request: RecordedRequest) => boolean> = {
      hub: (request) => request.path.startsWith('/api/models/'),
      submit: (request) => request.method === 'POST' && request.path.startsWith('/fal-ai/'),
      status: (request) => request.path.endsWith('/status'),
      download: (request) => request.path.startsWith('/cdn/'),
    };
    for (const phase of ['hub', 'submit', 'status', 'download'] as const) {
      it(`stops at once while the ${phase} request is pending, leaving nothing`, async function () {
        // The request is held for longer than the test may run, so the test only ends if cancelling does not wait for it.
        emulator.injectFault({ kind: 'delay', provider: phase === 'hub' ? 'hub' : 'fal-ai', phase, ms: 2 * this.timeout() });
        const controller = new AbortController();
        // Cancel once the delayed request has reached the emulator, so it is really pending.
        const watcher = setInterval(() => emulator.requests.some(arrived[phase]) && controller.abort(), 10);
        try {
          await expectFailure(generate(CASES[0], { signal: controller.signal }), 'cancelled');
        } finally {
          clearInterval(watcher);
        }
      });
    }
  });

  describe('bad input', () => {
    it('sends nothing for an empty or whitespace prompt', async () => {
      await expectFailure(generate(CASES[0], { request: { prompt: ' \n\t ' } }), 'invalidInput', /prompt is empty/);
      assert.equal(emulator.requests.length, 0);
    });

    it('sends nothing for a huge prompt', async () => {
      await expectFailure(generate(CASES[0], { request: { prompt: 'x'.repeat(10_001) } }), 'invalidInput', /limit is 10,000/);
      assert.equal(emulator.requests.length, 0);
    });

    it('says plainly when nothing is listening', async () => {
      await expectFailure(
        client.generate(
          { prompt: 'x', model: CASES[0].model, provider: 'fal-ai', parameters: {}, extra: {} },
          { routerUrl: 'http://127.0.0.1:9', hubUrl: 'http://127.0.0.1:9', timeoutMinutes: 1 },
          { hfToken: TOKEN },
          { signal: new AbortController().signal, onProgress: () => undefined, outputDir },
        ),
        'network',
        /nothing is listening at 127\.0\.0\.1:9/,
      );
    });
  });
});
