// The client's phases (resolve, submit, follow, download) as a job runs them: a stored record taken
// to its end by the real JobRunner, checked on the record and on the requests the emulator received.
import * as assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ErrorKind } from '../../src/core/errors';
import type { JobRecord, JobRequest } from '../../src/core/jobs/record';
import type { ProviderName } from '../../src/core/types';
import { startEmulator } from '../emulator/server';
import type { Emulator, Fault, RecordedRequest } from '../emulator/types';
import { JobHarness, PROVIDER_KEYS, cancelOnceRunning, until, type JobOptions } from '../jobHarness';

const PARAMETERS = { num_frames: 33, guidance_scale: 5, negative_prompt: 'blurry', num_inference_steps: 20, seed: 7 };
const EXTRA = { resolution: '480p' };
const HF_BODY = { resolution: '480p', num_frames: 33, guidance_scale: 5, negative_prompt: 'blurry', num_inference_steps: 20, seed: 7, prompt: 'a red fox in the snow' };
const { num_inference_steps: steps, ...WITHOUT_STEPS } = HF_BODY;
/** Longer than any test: a request delayed this long is still pending when the test ends. */
const FOREVER_MS = 10 * 60_000;

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
    cancel: { method: 'PUT', path: /\/requests\/[^/]+\/cancel$/ },
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

describe('VideoClient phases run as a job, against the emulator', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let harness: JobHarness;

  before(async () => {
    emulator = await startEmulator({ queueMs: 150, runMs: 250, replicateWaitMs: 100 });
  });
  after(() => emulator.close());
  beforeEach(async () => {
    emulator.reset();
    // A new harness each time, so the Hub mapping cache starts empty.
    harness = await JobHarness.create(emulator);
  });
  afterEach(() => harness.dispose());

  function generate(testCase: ProviderCase, options: JobOptions & { request?: Partial<JobRequest> } = {}): Promise<JobRecord> {
    return harness.run({ prompt: '  a red fox in the snow ', model: testCase.model, provider: testCase.provider, parameters: PARAMETERS, extra: EXTRA, ...options.request }, options);
  }

  /** The job ended `failed` (or `cancelled`) with a plain message, and left no file. */
  async function expectFailure(running: Promise<JobRecord>, kind: ErrorKind, message?: RegExp): Promise<JobRecord> {
    const record = await running;
    if (kind === 'cancelled') {
      assert.equal(record.state, 'cancelled');
    } else {
      assert.equal(record.state, 'failed');
      assert.equal(record.failure?.kind, kind, record.failure?.message);
      if (message) assert.match(record.failure.message, message);
      assert.doesNotMatch(record.failure.message, /[{}]|at .*\(.*:\d+\)/, 'no JSON or stack in what the user reads');
    }
    assert.equal(record.file, undefined);
    assert.deepEqual(await harness.videoFiles(), [], 'no file is left behind');
    return record;
  }

  async function expectVideo(record: JobRecord): Promise<Buffer> {
    assert.equal(record.state, 'done', record.failure?.message);
    const bytes = await readFile(record.file!);
    assert.equal(bytes.subarray(4, 8).toString('latin1'), 'ftyp');
    assert.equal(record.bytes, bytes.length);
    assert.deepEqual(await harness.videoFiles(), [basename(record.file!)], 'only the finished video, no partial file');
    return bytes;
  }

  const submitOf = (testCase: ProviderCase, prefix: string): RecordedRequest | undefined =>
    emulator.requests.find((request) => request.method === 'POST' && request.path === `${prefix}${testCase.submitPath}`);
  const routedSubmits = (testCase: ProviderCase) =>
    emulator.requests.filter((request) => request.method === 'POST' && request.path === `/${testCase.provider}${testCase.submitPath}`);
  const downloads = () => emulator.requests.filter((request) => request.path.startsWith('/cdn/'));

  for (const testCase of CASES) {
    describe(testCase.provider, () => {
      it('generates a video through the router, with the spec’s request on the wire', async () => {
        const record = await generate(testCase, { settings: { billTo: 'my-org' } });
        await expectVideo(record);
        assert.equal(record.provider, testCase.provider);
        assert.equal(record.routed, true);
        assert.equal(record.seed, 7);
        assert.ok(record.handle?.requestId || record.handle?.output, 'the handle to follow the job again is stored');

        const submit = submitOf(testCase, `/${testCase.provider}`);
        assert.ok(submit, `submit request at /${testCase.provider}${testCase.submitPath}`);
        assert.deepEqual(submit.body, testCase.body, 'the prompt is sent trimmed, with the parameters and extras');
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
        const phases = harness.events.map((event) => event.phase);
        for (const phase of ['resolving', 'submitted', 'downloading', 'done'] as const) assert.ok(phases.includes(phase), `reported ${phase}`);
      });

      it('goes straight to the provider with its own key and auth scheme', async () => {
        const record = await generate(testCase, { credentials: { providerKeys: { [testCase.provider]: PROVIDER_KEYS[testCase.provider] } }, settings: { billTo: 'my-org' } });
        await expectVideo(record);
        assert.equal(record.routed, false);
        const submit = submitOf(testCase, `/direct/${testCase.provider}`);
        assert.ok(submit, 'submit went to the provider host');
        assert.equal(submit.headers.authorization, `${testCase.directAuth} [redacted]`);
        assert.equal(submit.headers['x-use-cache'], undefined, 'HF headers stay with the router');
        assert.equal(submit.headers['x-hf-bill-to'], undefined, 'billing to an HF organization means nothing to the provider');
        assert.equal(emulator.requests.filter((request) => request.path.startsWith(`/${testCase.provider}/`)).length, 0, 'nothing went through the router');
      });

      it('sends a list of negative prompts as one string, which is what the provider takes', async () => {
        const record = await generate(testCase, { request: { parameters: { ...PARAMETERS, negative_prompt: ['blurry', 'watermark'] } } });
        await expectVideo(record);
        const body = submitOf(testCase, `/${testCase.provider}`)?.body as { input?: Record<string, unknown>; negative_prompt?: unknown };
        assert.equal((body.input ?? body).negative_prompt, 'blurry, watermark');
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
          const record = await expectFailure(generate(testCase), kind, message);
          assert.equal(record.failure?.canDownloadAgain, false);
        });
      }

      it('waits out a 429 with Retry-After and a 503, then succeeds', async () => {
        emulator.injectFault({ kind: 'http-error', provider: testCase.provider, phase: 'submit', status: 429, retryAfter: 0 });
        emulator.injectFault({ kind: 'http-error', provider: testCase.provider, phase: 'status', status: 503 });
        await expectVideo(await generate(testCase));
        assert.equal(routedSubmits(testCase).length, 2);
      });

      it('never repeats a submit after a 502, which may hide a started job', async () => {
        emulator.injectFault({ kind: 'http-error', provider: testCase.provider, phase: 'submit', status: 502 });
        await expectFailure(generate(testCase), 'unavailable', /HTTP 502/);
        assert.equal(routedSubmits(testCase).length, 1);
      });

      it('gives up after bounded retries of a lasting outage', async () => {
        emulator.injectFault({ kind: 'http-error', provider: testCase.provider, phase: 'submit', status: 503, times: 'always' });
        await expectFailure(generate(testCase), 'unavailable', /unavailable right now \(HTTP 503\)/);
        assert.equal(routedSubmits(testCase).length, 4);
      });

      it('reports the provider’s own failure reason', async () => {
        emulator.injectFault({ kind: 'job-failed', provider: testCase.provider, message: 'NSFW content detected' });
        await expectFailure(generate(testCase), 'providerFailed', /could not generate the video: .*NSFW content detected/);
      });

      it('stops a job that never finishes at the overall timeout and cancels it upstream', async () => {
        emulator.injectFault({ kind: 'never-finish', provider: testCase.provider });
        await expectFailure(generate(testCase, { settings: { timeoutMinutes: 0.01 } }), 'timeout', /did not finish within/);
        await assertUpstreamCancel(testCase);
      });

      it('cancels mid-run: the job stops at the provider and no file is left', async () => {
        emulator.injectFault({ kind: 'never-finish', provider: testCase.provider, stage: 'running' });
        await expectFailure(generate(testCase, cancelOnceRunning()), 'cancelled');
        await assertUpstreamCancel(testCase);
      });

      it('downloads again after a connection reset: the paid video is not lost', async () => {
        emulator.injectFault({ kind: 'connection-reset', provider: testCase.provider, phase: 'download' });
        await expectVideo(await generate(testCase));
        assert.equal(downloads().length, 2);
      });

      it('resumes a broken download with a Range request: the file is the same as an unbroken one', async () => {
        const clean = await generate(testCase);
        const whole = await expectVideo(clean);
        await rm(clean.file!);
        emulator.reset();
        emulator.injectFault({ kind: 'connection-reset', provider: testCase.provider, phase: 'download', afterBytes: 1000 });
        const resumed = await expectVideo(await generate(testCase));
        const [first, second] = downloads();
        assert.equal(downloads().length, 2);
        assert.equal(first!.headers.range, undefined);
        assert.match(second!.headers.range ?? '', /^bytes=[1-9]\d*-$/, 'the second request asks for the rest');
        assert.equal(second!.headers.authorization, undefined, 'no token is sent to the CDN');
        assert.ok(resumed.equals(whole), 'byte-identical to a download without faults');
      });

      it('offers to download a finished video again without a new job', async () => {
        emulator.injectFault({ kind: 'connection-reset', provider: testCase.provider, phase: 'download', times: 3 });
        const failed = await expectFailure(generate(testCase), 'network', /you can download it again/);
        assert.equal(failed.failure?.canDownloadAgain, true);
        assert.equal(failed.failure?.nextStep?.action, 'downloadAgain');
        assert.equal((await harness.store.get(failed.id))?.state, 'failed', 'the failure is stored');

        await expectVideo(await harness.downloadAgain(failed));
        assert.equal(routedSubmits(testCase).length, 1, 'one job, paid once');
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

  /** The job was stopped at the provider; when the deadline struck during the submit, that happens once the submit is answered. */
  async function assertUpstreamCancel(testCase: ProviderCase): Promise<void> {
    if (!testCase.cancel) return;
    const { method, path } = testCase.cancel;
    await until(() => emulator.requests.some((request) => request.method === method && path.test(request.path)), `a ${method} cancel is sent to ${testCase.provider}`);
  }

  describe('choosing the provider', () => {
    it('auto takes the first live provider in the Hub order and sends the token to the Hub', async () => {
      const record = await generate(CASES[0], { request: { provider: 'auto' } });
      assert.equal(record.provider, 'fal-ai');
      assert.equal(record.request.provider, 'auto', 'the request is stored as the user made it');
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
      const record = await expectFailure(
        generate(CASES[0], { request: { model: 'Lightricks/LTX-Video-0.9.8-13B-distilled', provider: 'auto' } }),
        'noProvider',
        /No Inference Provider serves Lightricks\/LTX-Video-0\.9\.8-13B-distilled .* Models that are served: Wan-AI\/Wan2\.1-T2V-14B/,
      );
      assert.equal(record.failure?.nextStep?.action, 'openSettings');
      assert.ok(emulator.requests.some((request) => request.path === '/api/models' && request.query.pipeline_tag === 'text-to-video'));
    });

    it('names the providers that would serve when the chosen one does not', async () => {
      await expectFailure(generate(CASES[0], { request: { provider: 'together' } }), 'noProvider', /together does not serve .* served by fal-ai/);
    });
  });

  describe('the download from the CDN', () => {
    const fal = CASES[0];

    it('blames the CDN, not the token, for a 403 and offers Download Again', async () => {
      emulator.injectFault({ kind: 'http-error', provider: 'cdn', phase: 'download', status: 403 });
      const failed = await expectFailure(generate(fal), 'badOutput', /^The fal-ai CDN answered HTTP 403 for the video: the link may have expired\./);
      assert.equal(failed.failure?.nextStep?.action, 'downloadAgain');
      assert.doesNotMatch(failed.failure!.message, /token/i);
      assert.equal(downloads().length, 1, 'a refused link is not retried');
      assert.equal(routedSubmits(fal).length, 1);
    });

    it('downloads again after a busy CDN (503 twice), paying once', async () => {
      emulator.injectFault({ kind: 'http-error', provider: 'cdn', phase: 'download', status: 503, times: 2 });
      await expectVideo(await generate(fal));
      assert.equal(downloads().length, 3);
      assert.equal(routedSubmits(fal).length, 1, 'one job, paid once');
    });

    it('follows redirects (to loopback http, as the video URL is) without a token', async () => {
      emulator.injectFault({ kind: 'redirect', provider: 'cdn', phase: 'download', to: 'output.mp4', times: 2 });
      await expectVideo(await generate(fal));
      assert.equal(downloads().length, 3);
      assert.ok(downloads().every((request) => request.headers.authorization === undefined));
    });

    it('refuses a redirect to plain http on another host', async () => {
      emulator.injectFault({ kind: 'redirect', provider: 'cdn', phase: 'download', to: 'http://files.example/output.mp4' });
      await expectFailure(generate(fal), 'badOutput', /fal-ai CDN gave a video address that is not https/);
      assert.equal(downloads().length, 1);
    });

    it('stops after 5 redirects', async () => {
      emulator.injectFault({ kind: 'redirect', provider: 'cdn', phase: 'download', to: 'output.mp4', times: 6 });
      await expectFailure(generate(fal), 'badOutput', /redirected the video more than 5 times/);
      assert.equal(downloads().length, 6);
    });

    it('refuses a video larger than hfVideo.maxDownloadMB from its Content-Length, pointing at the setting, the download kept for later', async () => {
      const failed = await expectFailure(generate(fal, { settings: { maxDownloadBytes: 1000 } }), 'badOutput', /the limit set by hfVideo\.maxDownloadMB/);
      assert.deepEqual(failed.failure?.nextStep, { action: 'openSettings', label: failed.failure?.nextStep?.label, setting: 'hfVideo.maxDownloadMB' });
      assert.equal(failed.failure?.canDownloadAgain, true);
    });

    for (const kind of ['truncated-body', 'connection-reset'] as const) {
      it(`reads a status answer again when its body breaks off (${kind})`, async () => {
        emulator.injectFault({ kind, provider: 'fal-ai', phase: 'status', afterBytes: 5 });
        await expectVideo(await generate(fal));
        assert.equal(routedSubmits(fal).length, 1);
      });

      it(`names the network when a status answer keeps breaking off (${kind}), without a second submit`, async () => {
        emulator.injectFault({ kind, provider: 'fal-ai', phase: 'status', afterBytes: 5, times: 'always' });
        const failed = await expectFailure(generate(fal), 'network');
        assert.match(failed.failure!.message, /fal-ai/);
        assert.equal(routedSubmits(fal).length, 1);
      });
    }

    it('caps a long provider failure reason', async () => {
      emulator.injectFault({ kind: 'job-failed', provider: 'fal-ai', message: `GPU melted ${'x'.repeat(5000)}` });
      const failed = await expectFailure(generate(fal), 'providerFailed', /GPU melted x+…$/);
      assert.ok(failed.failure!.message.length < 400, `${failed.failure!.message.length} characters`);
    });

    // Plain http is refused by the download's own check; other schemes are not taken for URLs at all.
    const refusedBases: Array<[string, RegExp]> = [
      ['http://files.example', /not https, so it was not fetched/],
      ['ftp://files.example', /no video URL/],
    ];
    for (const [videoUrlBase, message] of refusedBases) {
      it(`refuses a video URL at ${videoUrlBase} and fetches nothing`, async () => {
        const elsewhere = await startEmulator({ queueMs: 50, runMs: 50, videoUrlBase });
        const local = await JobHarness.create(elsewhere);
        try {
          const record = await local.run({ prompt: 'a red fox', model: fal.model, provider: fal.provider });
          assert.equal(record.state, 'failed');
          assert.match(record.failure!.message, message);
          assert.equal(record.failure?.canDownloadAgain, false, 'an unusable address is not offered again');
          assert.equal(record.videoUrl, undefined);
          assert.deepEqual(await local.videoFiles(), []);
          assert.ok(!elsewhere.requests.some((request) => request.path.startsWith('/cdn/')), 'nothing fetched');
        } finally {
          await local.dispose();
          await elsewhere.close();
        }
      });
    }
  });

  describe('cancelling in any phase', () => {
    const arrived: Record<'hub' | 'submit' | 'status' | 'download', (request: RecordedRequest) => boolean> = {
      hub: (request) => request.path.startsWith('/api/models/'),
      submit: (request) => request.method === 'POST' && request.path.startsWith('/fal-ai/'),
      status: (request) => request.path.endsWith('/status'),
      download: (request) => request.path.startsWith('/cdn/'),
    };
    for (const phase of ['hub', 'submit', 'status', 'download'] as const) {
      it(`stops at once while the ${phase} request is pending, leaving nothing`, async () => {
        // The answer never comes within the test: the job can only end by not waiting for it.
        emulator.injectFault({ kind: 'delay', provider: phase === 'hub' ? 'hub' : 'fal-ai', phase, ms: FOREVER_MS });
        const controller = new AbortController();
        const running = generate(CASES[0], { signal: controller.signal });
        await until(() => emulator.requests.some(arrived[phase]), `the ${phase} request is pending`);
        controller.abort();
        await expectFailure(running, 'cancelled');
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
        generate(CASES[0], { settings: { routerUrl: 'http://127.0.0.1:9', hubUrl: 'http://127.0.0.1:9' } }),
        'network',
        /nothing is listening at 127\.0\.0\.1:9/,
      );
    });
  });
});
