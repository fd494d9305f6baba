// Each provider's own JS SDK, unmodified, runs a text-to-video job against the emulator's direct host
// (only its host is pointed there, through the option or `fetch` it offers), and direct mode's submit body
// is held to the body that SDK sends for the same request, both as the emulator recorded them.
import * as assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createFalClient } from '@fal-ai/client';
import { NovitaSDK, TaskStatus, type ProgressResponse } from 'novita-sdk';
import Replicate from 'replicate';
import Together from 'together-ai';
import { Client as WavespeedClient } from 'wavespeed';
import type { JobRequest } from '../../src/core/jobs/record';
import type { ProviderName } from '../../src/core/types';
import { startEmulator } from '../emulator/server';
import type { Emulator, RecordedRequest } from '../emulator/types';
import { JobHarness, PROVIDER_KEYS, TOKEN } from '../jobHarness';

const SDK_PACKAGES = ['@fal-ai/client', 'replicate', 'novita-sdk', 'wavespeed', 'together-ai'];
const PROMPT = 'A red fox running through fresh snow';
/** How often the tests poll where an SDK leaves polling to its caller (Novita, Together), as their docs do. */
const POLL_MS = 50;

describe('the providers’ own SDKs against the emulator’s direct hosts', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let harness: JobHarness;
  const direct = (provider: ProviderName | 'fal-ai-sync') => `${emulator.url}/direct/${provider}`;

  before(async () => {
    emulator = await startEmulator({ queueMs: 100, runMs: 200 });
  });
  after(() => emulator.close());
  beforeEach(async () => {
    emulator.reset();
    harness = await JobHarness.create(emulator);
  });
  afterEach(() => harness.dispose());

  /** The job the extension runs in direct mode, with the provider's own key; it must finish. */
  async function runDirect(provider: ProviderName, request: Partial<JobRequest>): Promise<void> {
    const record = await harness.run({ prompt: PROMPT, provider, ...request }, { credentials: { hfToken: TOKEN, providerKeys: { [provider]: PROVIDER_KEYS[provider] } } });
    assert.equal(record.state, 'done', record.failure?.message);
    assert.equal(record.routed, false);
  }

  /** The submits the emulator received at `path`, in order. */
  const submitsTo = (path: string): RecordedRequest[] => emulator.requests.filter((request) => request.method === 'POST' && request.path === path);

  /** The SDK's submit and then direct mode's, both at `path`: the same fields with the same values. */
  function assertSameSubmit(path: string): void {
    const [sdk, ours, ...more] = submitsTo(path);
    assert.ok(sdk && ours && more.length === 0, `one submit each at ${path}`);
    assert.deepEqual(ours.body, sdk.body);
  }

  function assertEmulatorVideo(url: unknown): void {
    assert.ok(typeof url === 'string' && url.startsWith(`${emulator.url}/cdn/`), `a video URL of the emulator's CDN: ${String(url)}`);
  }

  /** Asks `read` again every POLL_MS until `done` holds; every answer is kept. */
  async function pollUntil<T>(read: () => Promise<T>, done: (answer: T) => boolean): Promise<T[]> {
    const answers: T[] = [];
    for (;;) {
      answers.push(await read());
      if (done(answers[answers.length - 1]!)) return answers;
      await delay(POLL_MS);
    }
  }

  describe('fal-ai (@fal-ai/client)', () => {
    const model = 'fal-ai/wan/v2.2-5b/text-to-video';
    const parameters = { num_frames: 81, seed: 42, negative_prompt: 'blurry', num_inference_steps: 30, guidance_scale: 5 };
    // Typed by the SDK's own schema of this endpoint.
    const input = { prompt: PROMPT, ...parameters, resolution: '720p' as const };

    /** The SDK has no base-URL option: its `fetch` sends the queue host and the synchronous host here. */
    const fal = () =>
      createFalClient({
        credentials: PROVIDER_KEYS['fal-ai'],
        fetch: redirectedFetch({ 'https://queue.fal.run': direct('fal-ai'), 'https://fal.run': direct('fal-ai-sync') }),
      });

    it('subscribe (polling) completes, with the request id read from the result, and direct mode submits the same body', async () => {
      let enqueued: string | undefined;
      const result = await fal().subscribe(model, { input, pollInterval: POLL_MS, onEnqueue: (id) => (enqueued = id) });
      assertEmulatorVideo((result.data as { video?: { url?: string } }).video?.url);
      assert.ok(enqueued);
      assert.equal(result.requestId, enqueued, 'x-fal-request-id on the result answer');

      await runDirect('fal-ai', { model: 'Wan-AI/Wan2.2-TI2V-5B', parameters, extra: { resolution: '720p' } });
      assertSameSubmit(`/direct/fal-ai/${model}`);
    });

    it('subscribe (streaming) completes, and the logs it appends from each event hold every line once', async () => {
      const updates: Array<{ status: string; logs?: Array<{ message: string }> }> = [];
      const result = await fal().subscribe(model, { input, mode: 'streaming', logs: true, onQueueUpdate: (status) => updates.push(status) });
      assertEmulatorVideo((result.data as { video?: { url?: string } }).video?.url);
      assert.ok(emulator.requests.some((request) => request.path.endsWith('/status/stream')), 'followed through the status stream');
      const last = updates[updates.length - 1]!;
      assert.equal(last.status, 'COMPLETED');
      assert.deepEqual(
        last.logs?.map((entry) => entry.message),
        [`Generating video for: ${PROMPT}`, 'Denoising step 1/4', 'Denoising step 2/4', 'Denoising step 3/4', 'Denoising step 4/4'],
      );
    });

    it('run answers the result from the synchronous host', async () => {
      const result = await fal().run(model, { input });
      assertEmulatorVideo((result.data as { video?: { url?: string } }).video?.url);
      assert.ok(result.requestId, 'x-fal-request-id on the synchronous answer');
      assert.equal(submitsTo(`/direct/fal-ai-sync/${model}`).length, 1);
    });
  });

  describe('replicate (replicate)', () => {
    const model = 'wan-video/wan-2.2-5b-fast';
    const parameters = { num_frames: 81, seed: 42, negative_prompt: 'blurry' };
    const input = { prompt: PROMPT, ...parameters, resolution: '720p' };
    const replicate = () => new Replicate({ auth: PROVIDER_KEYS.replicate, baseUrl: `${direct('replicate')}/v1` });

    it('run (Prefer: wait, held past the job) completes, and direct mode submits the same body', async () => {
      assertEmulatorVideo(await replicate().run(model, { input }));
      await runDirect('replicate', { model: 'Wan-AI/Wan2.2-TI2V-5B', parameters, extra: { resolution: '720p' } });
      assertSameSubmit(`/direct/replicate/v1/models/${model}/predictions`);
    });

    it('run in poll mode completes', async () => {
      const statuses: string[] = [];
      assertEmulatorVideo(await replicate().run(model, { input, wait: { mode: 'poll', interval: POLL_MS } }, (prediction) => statuses.push(prediction.status)));
      assert.equal(statuses[statuses.length - 1], 'succeeded');
    });
  });

  describe('novita (novita-sdk)', () => {
    const novita = () => {
      const sdk = new NovitaSDK(PROVIDER_KEYS.novita);
      sdk.setBaseUrl(direct('novita'));
      return sdk;
    };

    /** The SDK has no polling loop: its caller polls `progress` until the task ends. */
    async function finishedTask(sdk: NovitaSDK, taskId: string): Promise<ProgressResponse & { extra?: { seed?: string } }> {
      const answers = await pollUntil(() => sdk.progress({ task_id: taskId }), (answer) => answer.task.status === TaskStatus.SUCCEED || answer.task.status === TaskStatus.FAILED);
      const done = answers[answers.length - 1]!;
      assert.equal(done.task.status, TaskStatus.SUCCEED, done.task.reason);
      assertEmulatorVideo(done.videos?.[0]?.video_url);
      return done;
    }

    it('wanT2v as the SDK’s own example fills it completes, its key sent bare and its seed -1 meaning random', async () => {
      const sdk = novita();
      const { task_id: taskId } = await sdk.wanT2v({ model_name: 'wan-t2v', width: 480, height: 832, seed: -1, prompt: PROMPT, frames: 85 });
      const done = await finishedTask(sdk, taskId);
      assert.equal(emulator.requests[0]!.headers.authorization, '[redacted]', 'the key went with no scheme');
      assert.match(done.extra?.seed ?? '', /^\d+$/, 'a seed was picked');
    });

    it('wanT2v completes, and direct mode submits the same body', async () => {
      const sdk = novita();
      const { task_id: taskId } = await sdk.wanT2v({ model_name: 'wan-t2v', width: 480, height: 832, seed: 42, prompt: PROMPT, frames: 85 });
      await finishedTask(sdk, taskId);
      await runDirect('novita', { model: 'Wan-AI/Wan2.1-T2V-14B', parameters: { num_frames: 85, seed: 42 }, extra: { width: 480, height: 832 } });
      assertSameSubmit('/direct/novita/v3/async/wan-t2v');
    });
  });

  describe('wavespeed (wavespeed)', () => {
    const model = 'wavespeed-ai/wan-2.1/t2v-480p';
    const parameters = { num_frames: 81, seed: 42, negative_prompt: 'blurry' };
    const input = { prompt: PROMPT, ...parameters, size: '832*480' };
    const wavespeed = () => new WavespeedClient(PROVIDER_KEYS.wavespeed, { baseUrl: direct('wavespeed'), maxRetries: 0 });

    it('run completes, and direct mode submits the same body', async () => {
      const { outputs } = await wavespeed().run(model, input, { pollInterval: POLL_MS / 1000, timeout: 20 });
      assertEmulatorVideo(outputs[0]);
      await runDirect('wavespeed', { model: 'Wan-AI/Wan2.1-T2V-14B', parameters, extra: { size: '832*480' } });
      assertSameSubmit(`/direct/wavespeed/api/v3/${model}`);
    });

    it('run in synchronous mode gets the finished prediction in the submit answer', async () => {
      const { outputs } = await wavespeed().run(model, input, { enableSyncMode: true, timeout: 20 });
      assertEmulatorVideo(outputs[0]);
      assert.equal(emulator.requests.filter((request) => request.path.includes('/predictions/')).length, 0, 'no poll');
    });
  });

  describe('together (together-ai)', () => {
    it('videos.create and retrieve complete with only the statuses its type has, and direct mode submits the same body', async () => {
      // The SDK overrides its per-endpoint /v2 base only while its base URL is the default, so ours names /v2.
      const together = new Together({ apiKey: PROVIDER_KEYS.together, baseURL: `${direct('together')}/v2`, maxRetries: 0 });
      const created = await together.videos.create({
        model: 'Wan-AI/Wan2.2-T2V-A14B',
        prompt: PROMPT,
        negative_prompt: 'blurry',
        width: 832,
        height: 480,
        seed: 42,
        steps: 30,
        guidance_scale: 5,
        seconds: '5',
      });
      const jobs = [created, ...(await pollUntil(() => together.videos.retrieve(created.id), (job) => job.status === 'completed' || job.status === 'failed'))];
      const done = jobs[jobs.length - 1]!;
      assert.equal(done.status, 'completed', done.error?.message);
      assertEmulatorVideo(done.outputs?.video_url);
      const typed: string[] = ['in_progress', 'completed', 'failed'];
      assert.deepEqual(jobs.filter((job) => !typed.includes(job.status)), []);

      // 120 frames at Together's default 24 fps are the 5 seconds above.
      const parameters = { num_frames: 120, seed: 42, negative_prompt: 'blurry', num_inference_steps: 30, guidance_scale: 5 };
      await runDirect('together', { model: 'Wan-AI/Wan2.2-T2V-A14B', parameters, extra: { width: 832, height: 480 } });
      assertSameSubmit('/direct/together/v2/videos');
    });
  });

  it('no SDK is imported by the extension’s sources, so none reaches a bundle', async () => {
    const sources = join(__dirname, '../../../src');
    const files = (await readdir(sources, { recursive: true })).filter((file) => file.endsWith('.ts'));
    assert.ok(files.length > 0);
    for (const file of files) {
      const text = await readFile(join(sources, file), 'utf8');
      for (const name of SDK_PACKAGES) assert.ok(!new RegExp(`(from|require\\(|import\\()\\s*['"]${name}['"]`).test(text), `${file} imports ${name}`);
    }
  });
});

/** A `fetch` that sends requests for each origin in `hosts` to its stand-in base instead. */
function redirectedFetch(hosts: Record<string, string>): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const origin = Object.keys(hosts).find((candidate) => url.startsWith(`${candidate}/`));
    const target = origin ? `${hosts[origin]}${url.slice(origin.length)}` : url;
    return fetch(input instanceof Request ? new Request(target, input) : target, init);
  };
}
