// Tests of the emulator itself: each service's wire format, state machines, auth, faults,
// recording, video serving and the CLI.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { request } from 'undici';
import { parseCliArgs } from '../emulator/cliArgs';
import { startEmulator } from '../emulator/server';
import type { Emulator, EmulatorOptions, Fault, HttpErrorFault } from '../emulator/types';

const TOKEN = 'hf_emulator_token';
const BEARER = `Bearer ${TOKEN}`;
const QUEUE_MS = 120;
const RUN_MS = 200;
const FAST: EmulatorOptions = { queueMs: QUEUE_MS, runMs: RUN_MS };
/** How far a stepped clock moves to show that a stuck job stays stuck: far past any job's own timing. */
const A_DAY_MS = 24 * 3600_000;

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

interface CallOptions {
  method?: string;
  auth?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One HTTP exchange; Authorization defaults to the HF token. */
async function call(base: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  const auth = options.auth === undefined ? BEARER : options.auth;
  if (auth !== null) headers.authorization = auth;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await request(`${base}${path}`, {
    method: (options.method ?? (options.body === undefined ? 'GET' : 'POST')) as 'GET',
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await response.body.text();
  const flatHeaders = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, String(value)]));
  return { status: response.statusCode, headers: flatHeaders, text, json: parseJson(text) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function download(url: string): Promise<{ status: number; headers: Record<string, string>; bytes: Buffer }> {
  const response = await request(url);
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, String(value)]));
  return { status: response.statusCode, headers, bytes };
}

function assertMp4(bytes: Buffer): void {
  assert.equal(bytes.subarray(4, 8).toString('latin1'), 'ftyp', 'starts with an ftyp box');
}

/** Polls until `done` holds for the answer; every answer seen is kept, in order. */
async function pollUntil(fetchOnce: () => Promise<Answer>, done: (answer: Answer) => boolean, timeoutMs = 5000): Promise<Answer[]> {
  const seen: Answer[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await fetchOnce();
    seen.push(answer);
    if (done(answer)) return seen;
    if (Date.now() > deadline) assert.fail(`condition not reached; last answer ${answer.text}`);
    await delay(20);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The `data:` payloads of a server-sent event stream, one per event. */
async function* sseData(body: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of body) {
    pending += chunk.toString('utf8');
    let end: number;
    while ((end = pending.indexOf('\n\n')) >= 0) {
      const event = pending.slice(0, end);
      pending = pending.slice(end + 2);
      yield event.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
    }
  }
}

/** Resolves once `condition` holds; a condition that never does fails the test at its timeout. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await delay(5);
}

interface SteppedClock {
  now(): number;
  advance(ms: number): void;
}

/**
 * Runs `body` against an emulator of its own whose clock stands still until the test moves it, so each
 * state of a job can be looked at however slow the machine is.
 */
async function onSteppedClock(options: EmulatorOptions, body: (target: Emulator, clock: SteppedClock) => Promise<void>): Promise<void> {
  let time = Date.now();
  const clock: SteppedClock = { now: () => time, advance: (ms) => void (time += ms) };
  const target = await startEmulator({ ...FAST, ...options, now: clock.now });
  try {
    await body(target, clock);
  } finally {
    await target.close();
  }
}

/** One answer at each point of a job's life: queued, half-way through the queue, running, half-way through the run, ended. */
async function answersThroughJob(clock: SteppedClock, fetchOnce: () => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const step of [0, QUEUE_MS / 2, QUEUE_MS / 2, RUN_MS / 2, RUN_MS / 2]) {
    clock.advance(step);
    answers.push(await fetchOnce());
  }
  return answers;
}

/**
 * A raw GET that tells how the connection ended, which fetch-style clients hide. It runs in a child
 * process: within one process the kernel's reset can surface as a plain end of stream.
 */
async function rawGet(base: string, path: string): Promise<{ head: string; bodyBytes: number; ending: 'end' | 'reset' }> {
  const { hostname, port } = new URL(base);
  const script = `
    const socket = require('node:net').connect(${Number(port)}, '${hostname}', () => socket.write('GET ${path} HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'));
    const chunks = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    const finish = (ending) => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\\r\\n\\r\\n');
      process.stdout.write(JSON.stringify({ head: all.subarray(0, split).toString('latin1'), bodyBytes: all.length - split - 4, ending }));
    };
    socket.on('end', () => finish('end'));
    socket.on('error', () => finish('reset'));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise((resolve) => child.once('close', resolve));
  return JSON.parse(output) as { head: string; bodyBytes: number; ending: 'end' | 'reset' };
}

function lowerHeaderValue(head: string, name: string): string | undefined {
  const line = head.split('\r\n').find((candidate) => candidate.toLowerCase().startsWith(`${name}:`));
  return line?.slice(name.length + 1).trim();
}

describe('emulator', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  const get = (path: string, options: CallOptions = {}) => call(emulator.url, path, options);
  const post = (path: string, body: unknown, options: CallOptions = {}) => call(emulator.url, path, { ...options, body });

  before(async () => {
    emulator = await startEmulator(FAST);
  });
  after(() => emulator.close());
  beforeEach(() => emulator.reset());

  describe('Hub', () => {
    const MAPPING_PATH = '/api/models/Wan-AI/Wan2.1-T2V-14B';

    for (const spelling of ['expand[]', 'expand']) {
      it(`answers ${spelling}=inferenceProviderMapping with the dict form`, async () => {
        const answer = await get(`${MAPPING_PATH}?${spelling}=inferenceProviderMapping`, { auth: null });
        assert.equal(answer.status, 200);
        assert.equal(answer.headers['content-type'], 'application/json');
        assert.deepEqual(Object.keys(answer.json), ['_id', 'id', 'inferenceProviderMapping']);
        assert.equal(answer.json.id, 'Wan-AI/Wan2.1-T2V-14B');
        assert.deepEqual(answer.json.inferenceProviderMapping, {
          'fal-ai': { providerId: 'fal-ai/wan-t2v', status: 'live', task: 'text-to-video' },
          replicate: { providerId: 'wavespeedai/wan-2.1-t2v-480p', status: 'live', task: 'text-to-video' },
          novita: { providerId: 'wan-t2v', status: 'live', task: 'text-to-video' },
          wavespeed: { providerId: 'wavespeed-ai/wan-2.1/t2v-480p', status: 'live', task: 'text-to-video' },
        });
      });
    }

    it('knows the Hub’s models, including staging, error, other-task and unmapped ones', async () => {
      const mapping = async (id: string) => (await get(`/api/models/${id}?expand[]=inferenceProviderMapping`)).json.inferenceProviderMapping;
      assert.equal((await mapping('Wan-AI/Wan2.2-T2V-A14B')).together.providerId, 'Wan-AI/Wan2.2-T2V-A14B');
      assert.match((await mapping('Lightricks/LTX-Video')).replicate.providerId, /^lightricks\/ltx-video:[0-9a-f]{64}$/);
      assert.ok((await mapping('Wan-AI/Wan2.2-TI2V-5B'))['fal-ai']);
      assert.ok((await mapping('tencent/HunyuanVideo'))['fal-ai']);
      assert.equal((await mapping('tencent/HunyuanVideo-1.5'))['fal-ai'].status, 'staging');
      assert.equal((await mapping('genmo/mochi-1-preview'))['fal-ai'].status, 'error');
      assert.equal((await mapping('black-forest-labs/FLUX.1-dev'))['fal-ai'].task, 'text-to-image');
      assert.deepEqual(await mapping('Lightricks/LTX-Video-0.9.8-13B-distilled'), {});
    });

    it('serves the list form when asked (U)', async () => {
      const listEmulator = await startEmulator({ hubMappingShape: 'list' });
      try {
        const answer = await call(listEmulator.url, '/api/models/Lightricks/LTX-Video?expand=inferenceProviderMapping');
        assert.deepEqual(answer.json.inferenceProviderMapping[0], {
          provider: 'fal-ai',
          providerId: 'fal-ai/ltx-video',
          status: 'live',
          task: 'text-to-video',
          hfModelId: 'Lightricks/LTX-Video',
        });
      } finally {
        await listEmulator.close();
      }
    });

    it('answers plain model info without the mapping', async () => {
      const answer = await get('/api/models/tencent/HunyuanVideo');
      assert.equal(answer.json.pipeline_tag, 'text-to-video');
      assert.equal(answer.json.inferenceProviderMapping, undefined);
    });

    it('answers 404 Repository not found for an unknown model', async () => {
      const answer = await get('/api/models/nobody/nothing?expand[]=inferenceProviderMapping');
      assert.equal(answer.status, 404);
      assert.deepEqual(answer.json, { error: 'Repository not found' });
      assert.equal(answer.headers['x-error-code'], 'RepoNotFound');
    });

    it('allows anonymous calls but refuses a bad token', async () => {
      assert.equal((await get(MAPPING_PATH, { auth: null })).status, 200);
      const bad = await get(MAPPING_PATH, { auth: 'Bearer hf_wrong' });
      assert.equal(bad.status, 401);
      assert.deepEqual(bad.json, { error: 'Invalid credentials in Authorization header' });
    });

    it('answers whoami-v2 for a good token and 401 otherwise', async () => {
      const me = await get('/api/whoami-v2');
      assert.equal(me.status, 200);
      assert.equal(me.json.type, 'user');
      assert.equal(me.json.name, 'emulator-user');
      assert.equal(me.json.auth.accessToken.role, 'fineGrained');
      assert.ok(me.json.auth.accessToken.displayName);
      for (const auth of [null, 'Bearer hf_wrong']) {
        const refused = await get('/api/whoami-v2', { auth });
        assert.equal(refused.status, 401);
        assert.deepEqual(refused.json, { error: 'Invalid credentials in Authorization header' });
      }
    });

    it('serves /api/tasks with a text-to-video default model', async () => {
      const answer = await get('/api/tasks', { auth: null });
      assert.equal(answer.json['text-to-video'].models[0].id, 'tencent/HunyuanVideo');
    });
  });

  describe('fal-ai', () => {
    const PID = 'fal-ai/wan/v2.2-5b/text-to-video';
    const submit = (options: CallOptions = {}, pid = PID) => post(`/fal-ai/${pid}?_subdomain=queue`, { prompt: 'a fox', seed: 7 }, options);
    const queuePath = (id: string, suffix = '') => `/fal-ai/fal-ai/wan/requests/${id}${suffix}?_subdomain=queue`;

    it('runs a job IN_QUEUE → IN_PROGRESS → COMPLETED and serves the video', () =>
      onSteppedClock({}, async (stepped, clock) => {
        const submitted = await call(stepped.url, `/fal-ai/${PID}?_subdomain=queue`, { body: { prompt: 'a fox', seed: 7 } });
        assert.equal(submitted.status, 200);
        const id: string = submitted.json.request_id;
        assert.equal(submitted.json.status, 'IN_QUEUE');
        assert.equal(submitted.json.queue_position, 2);
        // fal drops the endpoint sub-path, and names its own host.
        assert.equal(submitted.json.response_url, `https://queue.fal.run/fal-ai/wan/requests/${id}`);
        assert.equal(submitted.json.status_url, `https://queue.fal.run/fal-ai/wan/requests/${id}/status`);
        assert.equal(submitted.json.cancel_url, `https://queue.fal.run/fal-ai/wan/requests/${id}/cancel`);

        const early = await call(stepped.url, queuePath(id));
        assert.equal(early.status, 400);
        assert.deepEqual(early.json, { detail: 'Request is still in progress' });

        const polls = (await answersThroughJob(clock, () => call(stepped.url, queuePath(id, '/status')))).map((answer) => answer.json);
        assert.deepEqual(polls.map((poll) => poll.status), ['IN_QUEUE', 'IN_QUEUE', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED']);
        assert.deepEqual(polls.slice(0, 2).map((poll) => poll.queue_position), [2, 1], 'queue position counts down');
        assert.deepEqual(polls.slice(2).map((poll) => poll.logs.length), [1, 3, 5], 'logs accumulate');
        const completed = polls[4];
        assert.deepEqual(Object.keys(completed.logs[0]).sort(), ['level', 'message', 'source', 'timestamp']);
        assert.equal(completed.metrics.inference_time, RUN_MS / 1000);

        const result = await call(stepped.url, queuePath(id));
        assert.equal(result.status, 200);
        assert.equal(result.json.seed, 7);
        assert.equal(result.json.prompt, 'a fox');
        assert.equal(result.json.video.content_type, 'application/octet-stream');
        assert.equal(result.json.video.file_name, 'output.mp4');
        const video = await download(result.json.video.url);
        assert.equal(video.status, 200);
        assert.equal(video.headers['content-type'], 'application/octet-stream');
        assert.equal(Number(video.headers['content-length']), result.json.video.file_size);
        assertMp4(video.bytes);
      }));

    it('serves the direct host with `Key` auth and names itself in the URLs', async () => {
      const key = 'Key fal_emulator_key';
      const submitted = await post(`/direct/fal-ai/${PID}`, { prompt: 'a fox' }, { auth: key });
      assert.equal(submitted.status, 200);
      const id = submitted.json.request_id;
      assert.equal(submitted.json.response_url, `${emulator.url}/direct/fal-ai/fal-ai/wan/requests/${id}`);
      await pollUntil(() => get(`/direct/fal-ai/fal-ai/wan/requests/${id}/status`, { auth: key }), (answer) => answer.json.status === 'COMPLETED');
      const result = await get(`/direct/fal-ai/fal-ai/wan/requests/${id}`, { auth: key });
      assertMp4((await download(result.json.video.url)).bytes);
      const bearer = await post(`/direct/fal-ai/${PID}`, { prompt: 'a fox' }, { auth: 'Bearer fal_emulator_key' });
      assert.equal(bearer.status, 401);
      assert.equal(typeof bearer.json.detail, 'string');
    });

    it('names the job in x-fal-request-id on its status and result answers', async () => {
      const key = 'Key fal_emulator_key';
      const id = (await post(`/direct/fal-ai/${PID}`, { prompt: 'a fox' }, { auth: key })).json.request_id;
      const polls = await pollUntil(() => get(`/direct/fal-ai/fal-ai/wan/requests/${id}/status`, { auth: key }), (answer) => answer.json.status === 'COMPLETED');
      assert.ok(polls.every((answer) => answer.headers['x-fal-request-id'] === id));
      assert.equal((await get(`/direct/fal-ai/fal-ai/wan/requests/${id}`, { auth: key })).headers['x-fal-request-id'], id);
    });

    it('stands in for fal’s synchronous host at /direct/fal-ai-sync: the submit answers the result, and it has no /requests/ paths', async () => {
      const key = 'Key fal_emulator_key';
      const answer = await post(`/direct/fal-ai-sync/${PID}`, { prompt: 'a fox', seed: 7 }, { auth: key });
      assert.equal(answer.status, 200);
      assert.equal(answer.json.seed, 7);
      assert.ok(answer.headers['x-fal-request-id']);
      assertMp4((await download(answer.json.video.url)).bytes);
      assert.equal((await get(`/direct/fal-ai-sync/fal-ai/wan/requests/${answer.headers['x-fal-request-id']}/status`, { auth: key })).status, 404);
      assert.equal((await post(`/direct/fal-ai-sync/${PID}`, { prompt: 'a fox' }, { auth: 'Bearer fal_emulator_key' })).status, 401);
    });

    // (U) falStreamLogs: fal's JS client appends each event's logs, so by default an event carries only new lines.
    const streamedLogs: Record<'delta' | 'cumulative', Array<string[] | undefined>> = {
      delta: [undefined, ['Generating video for: a fox'], ['Denoising step 1/4', 'Denoising step 2/4'], ['Denoising step 3/4', 'Denoising step 4/4']],
      cumulative: [
        undefined,
        ['Generating video for: a fox'],
        ['Generating video for: a fox', 'Denoising step 1/4', 'Denoising step 2/4'],
        ['Generating video for: a fox', 'Denoising step 1/4', 'Denoising step 2/4', 'Denoising step 3/4', 'Denoising step 4/4'],
      ],
    };
    for (const falStreamLogs of ['delta', 'cumulative'] as const) {
      it(`streams the status with ${falStreamLogs} logs, one event per change, and ends after the final one`, () =>
        onSteppedClock({ falStreamLogs }, async (stepped, clock) => {
          const key = 'Key fal_emulator_key';
          const id = (await call(stepped.url, `/direct/fal-ai/${PID}`, { body: { prompt: 'a fox' }, auth: key })).json.request_id;
          const response = await request(`${stepped.url}/direct/fal-ai/fal-ai/wan/requests/${id}/status/stream?logs=1`, { headers: { authorization: key, accept: 'application/json, text/event-stream' } });
          assert.equal(response.headers['content-type'], 'text/event-stream');
          assert.equal(response.headers['x-fal-request-id'], id);
          const events: Array<{ status: string; logs?: Array<{ message: string }> }> = [];
          // The clock moves only once the event before has arrived, so each change makes one event.
          const steps = [QUEUE_MS, RUN_MS / 2, RUN_MS / 2];
          for await (const data of sseData(response.body)) {
            events.push(JSON.parse(data));
            const step = steps.shift();
            if (step !== undefined) clock.advance(step);
          }
          assert.deepEqual(events.map((event) => event.status), ['IN_QUEUE', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED']);
          assert.deepEqual(events.map((event) => event.logs?.map((entry) => entry.message)), streamedLogs[falStreamLogs]);
        }));
    }

    it('rewrites the URLs to the router when the (U) switch says so', async () => {
      const rewriting = await startEmulator({ ...FAST, routerRewritesUrls: true });
      try {
        const submitted = await call(rewriting.url, `/fal-ai/${PID}?_subdomain=queue`, { body: { prompt: 'x' } });
        const id = submitted.json.request_id;
        assert.equal(submitted.json.status_url, `${rewriting.url}/fal-ai/fal-ai/wan/requests/${id}/status?_subdomain=queue`);
        assert.equal((await call(rewriting.url, new URL(submitted.json.status_url).pathname + '?_subdomain=queue')).status, 200);
      } finally {
        await rewriting.close();
      }
    });

    it('cancels a queued job, and refuses to cancel a finished one', () =>
      onSteppedClock({}, async (stepped, clock) => {
        const id = (await call(stepped.url, `/fal-ai/${PID}?_subdomain=queue`, { body: { prompt: 'a fox' } })).json.request_id;
        const canceled = await call(stepped.url, queuePath(id, '/cancel'), { method: 'PUT' });
        assert.equal(canceled.status, 202);
        assert.deepEqual(canceled.json, { status: 'CANCELLATION_REQUESTED' });
        clock.advance(QUEUE_MS + RUN_MS);
        const status = await call(stepped.url, queuePath(id, '/status'));
        assert.equal(status.json.status, 'COMPLETED', 'past the time it would have finished, it stays cancelled');
        assert.ok(status.json.error);
        assert.equal((await call(stepped.url, queuePath(id))).status, 400);
        const again = await call(stepped.url, queuePath(id, '/cancel'), { method: 'PUT' });
        assert.equal(again.status, 400);
        assert.deepEqual(again.json, { status: 'ALREADY_COMPLETED' });
      }));

    it('answers 404 to routed cancels when the router does not forward them (U)', async () => {
      const noCancel = await startEmulator({ ...FAST, routerForwardsCancel: false });
      try {
        noCancel.injectFault({ kind: 'never-finish', provider: 'fal-ai' });
        const id = (await call(noCancel.url, `/fal-ai/${PID}?_subdomain=queue`, { body: { prompt: 'x' } })).json.request_id;
        const answer = await call(noCancel.url, queuePath(id, '/cancel'), { method: 'PUT' });
        assert.equal(answer.status, 404);
        assert.deepEqual(answer.json, { error: 'Not Found' });
        const direct = await call(noCancel.url, `/direct/fal-ai/fal-ai/wan/requests/${id}/cancel`, { method: 'PUT', auth: 'Key fal_emulator_key' });
        assert.equal(direct.status, 202, 'the provider itself still cancels');
      } finally {
        await noCancel.close();
      }
    });

    it('refuses an unknown provider id with the router 400', async () => {
      const answer = await submit({}, 'fal-ai/no-such-model');
      assert.equal(answer.status, 400);
      assert.deepEqual(answer.json, { error: 'Model not supported by provider fal-ai' });
    });

    it('answers a missing prompt with a FastAPI 422', async () => {
      const answer = await post(`/fal-ai/${PID}?_subdomain=queue`, { seed: 1 });
      assert.equal(answer.status, 422);
      assert.deepEqual(answer.json.detail[0].loc, ['body', 'prompt']);
      assert.equal(typeof answer.json.detail[0].msg, 'string');
    });

    it('answers synchronously without _subdomain=queue, and has no queue paths there', async () => {
      const answer = await post(`/fal-ai/${PID}`, { prompt: 'now' });
      assert.equal(answer.status, 200);
      assertMp4((await download(answer.json.video.url)).bytes);
      assert.equal((await get('/fal-ai/fal-ai/wan/requests/x/status')).status, 404);
    });

    it('reports a failed job as COMPLETED with an error, or as FAILED (U)', async () => {
      emulator.injectFault({ kind: 'job-failed', provider: 'fal-ai', message: 'NSFW content detected' });
      const id = (await submit()).json.request_id;
      const polls = await pollUntil(() => get(queuePath(id, '/status')), (answer) => answer.json.status === 'COMPLETED');
      assert.equal(polls[polls.length - 1].json.error, 'NSFW content detected');
      const result = await get(queuePath(id));
      assert.equal(result.status, 500);
      assert.deepEqual(result.json, { detail: 'NSFW content detected' });

      const failing = await startEmulator({ ...FAST, falFailureStyle: 'failed-status' });
      try {
        failing.injectFault({ kind: 'job-failed', message: 'boom', during: 'queued' });
        const failedId = (await call(failing.url, `/fal-ai/${PID}?_subdomain=queue`, { body: { prompt: 'x' } })).json.request_id;
        const status = await call(failing.url, queuePath(failedId, '/status'));
        assert.equal(status.json.status, 'FAILED');
        assert.equal(status.json.error, 'boom');
      } finally {
        await failing.close();
      }
    });

    it('answers the result GET while pending with the status body when the (U) switch says so', async () => {
      const other = await startEmulator({ ...FAST, falResultWhilePending: 'status' });
      try {
        other.injectFault({ kind: 'never-finish', provider: 'fal-ai' });
        const id = (await call(other.url, `/fal-ai/${PID}?_subdomain=queue`, { body: { prompt: 'x' } })).json.request_id;
        const early = await call(other.url, queuePath(id));
        assert.equal(early.status, 202);
        assert.equal(early.json.status, 'IN_QUEUE');
      } finally {
        await other.close();
      }
    });
  });

  describe('replicate', () => {
    const MODEL_PATH = '/replicate/v1/models/wan-video/wan-2.2-5b-fast/predictions';

    it('holds a Prefer: wait request until the prediction succeeds', async () => {
      const answer = await post(MODEL_PATH, { input: { prompt: 'a fox', num_frames: 81 } }, { headers: { prefer: 'wait' } });
      assert.equal(answer.status, 201);
      assert.equal(answer.headers['preference-applied'], 'wait=60');
      assert.equal(answer.json.status, 'succeeded');
      assert.equal(answer.json.model, 'wan-video/wan-2.2-5b-fast');
      assert.deepEqual(answer.json.input, { prompt: 'a fox', num_frames: 81 });
      assert.equal(answer.json.error, null);
      assert.equal(answer.json.urls.get, `https://api.replicate.com/v1/predictions/${answer.json.id}`);
      assert.equal(answer.json.urls.cancel, `https://api.replicate.com/v1/predictions/${answer.json.id}/cancel`);
      assert.equal(typeof answer.json.output, 'string');
      const video = await download(answer.json.output);
      assert.equal(video.headers['content-type'], 'video/mp4');
      assertMp4(video.bytes);
    });

    it('returns at the wait limit with output null, then polls to success', () =>
      onSteppedClock({ replicateWaitMs: 50 }, async (stepped, clock) => {
        const answer = await call(stepped.url, MODEL_PATH, { body: { input: { prompt: 'x' } }, headers: { prefer: 'wait' } });
        assert.equal(answer.status, 201);
        assert.equal(answer.json.output, null);
        assert.equal(answer.json.status, 'starting');
        const polls = await answersThroughJob(clock, () => call(stepped.url, `/replicate/v1/predictions/${answer.json.id}`));
        assert.deepEqual(polls.map((poll) => poll.json.status), ['starting', 'starting', 'processing', 'processing', 'succeeded']);
        assert.match(polls[4].json.output, /\/cdn\/replicate\/.*\/output\.mp4$/);
      }));

    it('answers without Prefer: wait right away, status starting', async () => {
      const answer = await post(MODEL_PATH, { input: { prompt: 'x' } });
      assert.equal(answer.status, 201);
      assert.equal(answer.json.status, 'starting');
      assert.equal(answer.headers['preference-applied'], undefined);
    });

    it('serves versioned models through /v1/predictions with `version`', async () => {
      const version = '8c47da666861d081eeb4d1261853087de23923a268a69b63febdf5dc1dee08e4';
      const answer = await post('/replicate/v1/predictions', { version, input: { prompt: 'x' } }, { headers: { prefer: 'wait' } });
      assert.equal(answer.status, 201);
      assert.equal(answer.json.model, 'lightricks/ltx-video');
      assert.equal(answer.json.version, version);
      assert.equal(answer.json.status, 'succeeded');
      const unknown = await post('/replicate/v1/predictions', { version: 'f'.repeat(64), input: { prompt: 'x' } });
      assert.deepEqual(unknown.json, { error: 'Model not supported by provider replicate' });
    });

    it('rejects unknown top-level keys with a problem+json 422', async () => {
      const answer = await post(MODEL_PATH, { input: { prompt: 'x' }, provider: 'replicate' });
      assert.equal(answer.status, 422);
      assert.equal(answer.headers['content-type'], 'application/problem+json');
      assert.deepEqual(answer.json, {
        detail: '- Additional property provider is not allowed\n',
        status: 422,
        title: 'Input validation failed',
        invalid_fields: [{ type: 'additional_property_not_allowed', field: '', description: 'Additional property provider is not allowed' }],
      });
    });

    it('ignores or rejects unknown keys inside input (U)', async () => {
      const body = { input: { prompt: 'x', guidance_scale: 5 } };
      assert.equal((await post(MODEL_PATH, body)).status, 201);
      const strict = await startEmulator({ ...FAST, replicateUnknownInputKeys: 'reject' });
      try {
        const answer = await call(strict.url, MODEL_PATH, { body });
        assert.equal(answer.status, 422);
        assert.equal(answer.json.invalid_fields[0].field, 'input');
        assert.match(answer.json.detail, /guidance_scale/);
      } finally {
        await strict.close();
      }
    });

    it('gives array output when the (U) switch says so', async () => {
      const arrays = await startEmulator({ ...FAST, replicateOutputShape: 'array' });
      try {
        const answer = await call(arrays.url, MODEL_PATH, { body: { input: { prompt: 'x' } }, headers: { prefer: 'wait' } });
        assert.ok(Array.isArray(answer.json.output) && answer.json.output.length === 1);
      } finally {
        await arrays.close();
      }
    });

    it('reports output while still processing when configured (seen in recordings)', async () => {
      const lagging = await startEmulator({ ...FAST, replicateOutputWhileProcessingMs: 5000 });
      try {
        const answer = await call(lagging.url, MODEL_PATH, { body: { input: { prompt: 'x' } }, headers: { prefer: 'wait' } });
        assert.equal(answer.json.status, 'processing');
        assert.equal(typeof answer.json.output, 'string');
      } finally {
        await lagging.close();
      }
    });

    it('cancels a prediction', async () => {
      emulator.injectFault({ kind: 'never-finish', provider: 'replicate' });
      const id = (await post(MODEL_PATH, { input: { prompt: 'x' } })).json.id;
      const canceled = await post(`/replicate/v1/predictions/${id}/cancel`, undefined, { method: 'POST' });
      assert.equal(canceled.status, 200);
      assert.equal(canceled.json.status, 'canceled');
      assert.equal((await get(`/replicate/v1/predictions/${id}`)).json.status, 'canceled');
    });

    it('reports provider failures as failed with error, or canceled', async () => {
      emulator.injectFault({ kind: 'job-failed', provider: 'replicate', message: 'CUDA out of memory' });
      const failed = await post(MODEL_PATH, { input: { prompt: 'x' } }, { headers: { prefer: 'wait' } });
      assert.equal(failed.json.status, 'failed');
      assert.equal(failed.json.error, 'CUDA out of memory');
      assert.equal(failed.json.output, null);
      emulator.injectFault({ kind: 'job-failed', provider: 'replicate', outcome: 'canceled' });
      const canceled = await post(MODEL_PATH, { input: { prompt: 'x' } }, { headers: { prefer: 'wait' } });
      assert.equal(canceled.json.status, 'canceled');
    });

    it('serves the direct host with Bearer provider keys', async () => {
      const answer = await post('/direct/replicate/v1/models/wan-video/wan-2.2-5b-fast/predictions', { input: { prompt: 'x' } }, { auth: 'Bearer r8_emulator_key' });
      assert.equal(answer.status, 201);
      assert.equal(answer.json.urls.get, `${emulator.url}/direct/replicate/v1/predictions/${answer.json.id}`);
      const refused = await post('/direct/replicate/v1/models/wan-video/wan-2.2-5b-fast/predictions', { input: { prompt: 'x' } });
      assert.equal(refused.status, 401);
      assert.equal(refused.headers['content-type'], 'application/problem+json');
    });
  });

  describe('novita', () => {
    it('runs an async task QUEUED → PROCESSING → SUCCEED', () =>
      onSteppedClock({}, async (stepped, clock) => {
        const submitted = await call(stepped.url, '/novita/v3/async/wan-t2v', { body: { prompt: 'x', steps: 20 } });
        assert.equal(submitted.status, 200);
        assert.deepEqual(Object.keys(submitted.json), ['task_id']);
        const polls = await answersThroughJob(clock, () => call(stepped.url, `/novita/v3/async/task-result?task_id=${submitted.json.task_id}`));
        const statuses = polls.map((answer) => answer.json.task.status);
        assert.deepEqual(statuses, ['TASK_STATUS_QUEUED', 'TASK_STATUS_QUEUED', 'TASK_STATUS_PROCESSING', 'TASK_STATUS_PROCESSING', 'TASK_STATUS_SUCCEED']);
        const done = polls[4].json;
        assert.equal(done.task.progress_percent, 100);
        assert.equal(done.videos[0].video_type, 'mp4');
        assertMp4((await download(done.videos[0].video_url)).bytes);
      }));

    it('takes Novita’s own fields on its own host: router names refused, seed -1 picks a seed; the router keeps its form', async () => {
      const direct = (body: unknown) => post('/direct/novita/v3/async/wan-t2v', body, { auth: 'Bearer novita_emulator_key' });
      for (const [field, native] of [['num_frames', 'frames'], ['num_inference_steps', 'steps']]) {
        const refused = await direct({ prompt: 'x', [field]: 20 });
        assert.equal(refused.status, 400, field);
        assert.match(refused.json.message, new RegExp(`${field} .*use ${native}`));
      }
      const native = await direct({ model_name: 'wan-t2v', width: 480, height: 832, seed: -1, prompt: 'x', frames: 85 });
      assert.equal(native.status, 200);
      const task = await get(`/direct/novita/v3/async/task-result?task_id=${native.json.task_id}`, { auth: 'Bearer novita_emulator_key' });
      assert.match(task.json.extra.seed, /^\d+$/, 'a seed was picked');
      assert.equal((await post('/novita/v3/async/wan-t2v', { prompt: 'x', num_frames: 81, steps: 20 })).status, 200);
      const hfRoute = await post('/direct/novita/v3/hf/wan-t2v', { prompt: 'x', num_frames: 81 }, { auth: 'Bearer novita_emulator_key' });
      assert.equal(hfRoute.status, 200, 'the /v3/hf/ route is HF’s own, in HF’s names');
    });

    it('refuses frames on its own host with the (U) switch', async () => {
      const strict = await startEmulator({ ...FAST, novitaFrames: 'reject' });
      try {
        const refused = await call(strict.url, '/direct/novita/v3/async/wan-t2v', { body: { prompt: 'x', frames: 85 }, auth: 'Bearer novita_emulator_key' });
        assert.equal(refused.status, 400);
        assert.match(refused.json.message, /frames/);
        assert.equal((await call(strict.url, '/direct/novita/v3/async/wan-t2v', { body: { prompt: 'x' }, auth: 'Bearer novita_emulator_key' })).status, 200);
      } finally {
        await strict.close();
      }
    });

    it('reports failure with a reason', async () => {
      emulator.injectFault({ kind: 'job-failed', provider: 'novita', message: 'prompt rejected', during: 'queued' });
      const id = (await post('/novita/v3/async/wan-t2v', { prompt: 'x' })).json.task_id;
      const answer = await get(`/novita/v3/async/task-result?task_id=${id}`);
      assert.equal(answer.json.task.status, 'TASK_STATUS_FAILED');
      assert.equal(answer.json.task.reason, 'prompt rejected');
      assert.deepEqual(answer.json.videos, []);
    });

    it('answers the legacy /v3/hf/ route synchronously, or 404 (U)', async () => {
      const answer = await post('/novita/v3/hf/wan-t2v', { prompt: 'x' });
      assert.equal(answer.status, 200);
      assertMp4((await download(answer.json.video.video_url)).bytes);
      const gone = await startEmulator({ ...FAST, novitaLegacyHf: 'not-found', novitaRequiresSize: true });
      try {
        assert.equal((await call(gone.url, '/novita/v3/hf/wan-t2v', { body: { prompt: 'x' } })).status, 404);
        const sizeless = await call(gone.url, '/novita/v3/async/wan-t2v', { body: { prompt: 'x' } });
        assert.equal(sizeless.status, 400);
        assert.match(sizeless.json.message, /width/);
      } finally {
        await gone.close();
      }
    });
  });

  describe('wavespeed', () => {
    it('runs a prediction created → processing → completed', () =>
      onSteppedClock({}, async (stepped, clock) => {
        const submitted = await call(stepped.url, '/wavespeed/api/v3/wavespeed-ai/wan-2.1/t2v-480p', { body: { prompt: 'x', size: '480*832' } });
        assert.equal(submitted.status, 200);
        assert.equal(submitted.json.code, 200);
        assert.equal(submitted.json.message, 'success');
        const data = submitted.json.data;
        assert.equal(data.status, 'created');
        assert.deepEqual(data.outputs, []);
        assert.equal(data.urls.get, `https://api.wavespeed.ai/api/v3/predictions/${data.id}`);
        const polls = await answersThroughJob(clock, () => call(stepped.url, `/wavespeed/api/v3/predictions/${data.id}`));
        assert.deepEqual(polls.map((answer) => answer.json.data.status), ['created', 'created', 'processing', 'processing', 'completed']);
        const done = polls[4].json.data;
        assert.equal(done.timings.inference, RUN_MS, 'milliseconds');
        assertMp4((await download(done.outputs[0])).bytes);
      }));

    it('holds a submit with enable_sync_mode until the job ends and answers it finished', async () => {
      const path = '/direct/wavespeed/api/v3/wavespeed-ai/wan-2.1/t2v-480p';
      const auth = 'Bearer wavespeed_emulator_key';
      const finished = await post(path, { prompt: 'x', enable_sync_mode: true }, { auth });
      assert.equal(finished.json.data.status, 'completed');
      assertMp4((await download(finished.json.data.outputs[0])).bytes);
      emulator.injectFault({ kind: 'job-failed', provider: 'wavespeed', message: 'bad size' });
      const failed = await post(path, { prompt: 'x', enable_sync_mode: true }, { auth });
      assert.equal(failed.json.data.status, 'failed');
      assert.equal(failed.json.data.error, 'bad size');
    });

    it('reports failure in data.error', async () => {
      emulator.injectFault({ kind: 'job-failed', provider: 'wavespeed', message: 'bad size', during: 'queued' });
      const id = (await post('/wavespeed/api/v3/wavespeed-ai/wan-2.1/t2v-480p', { prompt: 'x' })).json.data.id;
      const answer = await get(`/wavespeed/api/v3/predictions/${id}`);
      assert.equal(answer.json.data.status, 'failed');
      assert.equal(answer.json.data.error, 'bad size');
    });
  });

  describe('together', () => {
    // (U) togetherQueuedStatus: a waiting job reads in_progress, the SDK's only non-final status, or queued.
    for (const togetherQueuedStatus of ['in_progress', 'queued'] as const) {
      it(`runs a video job ${togetherQueuedStatus} → in_progress → completed (togetherQueuedStatus ${togetherQueuedStatus})`, () =>
        onSteppedClock({ togetherQueuedStatus }, async (stepped, clock) => {
          const submitted = await call(stepped.url, '/together/v2/videos', { body: { model: 'Wan-AI/Wan2.2-T2V-A14B', prompt: 'x', width: 832, height: 480 } });
          assert.equal(submitted.status, 200);
          assert.equal(submitted.json.status, togetherQueuedStatus);
          const polls = await answersThroughJob(clock, () => call(stepped.url, `/together/v2/videos/${submitted.json.id}`));
          assert.deepEqual(polls.map((answer) => answer.json.status), [togetherQueuedStatus, togetherQueuedStatus, 'in_progress', 'in_progress', 'completed']);
          const done = polls[4].json;
          assert.equal(done.object, 'video');
          assert.equal(typeof done.outputs.cost, 'number');
          assertMp4((await download(done.outputs.video_url)).bytes);
        }));
    }

    it('takes Together’s own fields on its own host: num_frames refused for seconds, which is a string; the router keeps its form', async () => {
      const direct = (extra: Record<string, unknown>) =>
        post('/direct/together/v2/videos', { model: 'Wan-AI/Wan2.2-T2V-A14B', prompt: 'x', ...extra }, { auth: 'Bearer together_emulator_key' });
      const frames = await direct({ num_frames: 81 });
      assert.equal(frames.status, 400);
      assert.match(frames.json.error.message, /num_frames .*use seconds/);
      assert.equal((await direct({ seconds: 5 })).status, 400);
      const native = await direct({ seconds: '5', fps: 24, steps: 30 });
      assert.equal(native.status, 200);
      assert.equal(native.json.seconds, '5');
      assert.equal((await post('/together/v2/videos', { model: 'Wan-AI/Wan2.2-T2V-A14B', prompt: 'x', num_frames: 81 })).status, 200);
    });

    it('reports failure in error.message, and refuses unknown models', async () => {
      emulator.injectFault({ kind: 'job-failed', provider: 'together', message: 'safety filter', during: 'queued' });
      const id = (await post('/together/v2/videos', { model: 'Wan-AI/Wan2.2-T2V-A14B', prompt: 'x' })).json.id;
      const answer = await get(`/together/v2/videos/${id}`);
      assert.equal(answer.json.status, 'failed');
      assert.equal(answer.json.error.message, 'safety filter');
      const unknown = await post('/together/v2/videos', { model: 'nobody/nothing', prompt: 'x' });
      assert.equal(unknown.status, 400);
      assert.deepEqual(unknown.json, { error: 'Model not supported by provider together' });
    });
  });

  describe('authentication', () => {
    const SUBMITS: Array<[string, unknown]> = [
      ['/fal-ai/fal-ai/wan-t2v?_subdomain=queue', { prompt: 'x' }],
      ['/replicate/v1/models/wan-video/wan-2.2-5b-fast/predictions', { input: { prompt: 'x' } }],
      ['/novita/v3/async/wan-t2v', { prompt: 'x' }],
      ['/wavespeed/api/v3/wavespeed-ai/wan-2.1/t2v-480p', { prompt: 'x' }],
      ['/together/v2/videos', { model: 'Wan-AI/Wan2.2-T2V-A14B', prompt: 'x' }],
    ];

    it('answers 401 on every routed path without a good HF token', async () => {
      for (const [path, body] of SUBMITS) {
        for (const auth of [null, 'Bearer hf_wrong', 'Key fal_emulator_key']) {
          const answer = await post(path, body, { auth });
          assert.equal(answer.status, 401, `${path} with ${auth}`);
          assert.deepEqual(answer.json, { error: 'Invalid credentials in Authorization header' });
          assert.equal(answer.headers['content-type'], 'application/json');
          assert.ok(answer.headers['x-request-id']);
        }
      }
      assert.equal((await get('/replicate/v1/predictions/anything', { auth: null })).status, 401);
    });

    it('answers 401 on every direct path without the provider key', async () => {
      for (const [path, body] of SUBMITS) {
        const direct = `/direct${path.replace('?_subdomain=queue', '')}`;
        const answer = await post(direct, body);
        assert.equal(answer.status, 401, direct);
        assert.ok(answer.json, 'JSON body');
      }
    });

    it('answers 403 for a token without inference permission', async () => {
      const readOnly = await startEmulator({ ...FAST, readOnlyTokens: ['hf_read'] });
      try {
        const answer = await call(readOnly.url, SUBMITS[0][0], { body: SUBMITS[0][1], auth: 'Bearer hf_read' });
        assert.equal(answer.status, 403);
        assert.equal(typeof answer.json.error, 'string');
        assert.equal((await call(readOnly.url, '/api/whoami-v2', { auth: 'Bearer hf_read' })).json.auth.accessToken.role, 'read');
      } finally {
        await readOnly.close();
      }
    });

    it('uses the (U) router error shape chosen', async () => {
      for (const [routerErrorShape, expected] of [
        ['error-object', { error: { message: 'Invalid credentials in Authorization header', code: 401 } }],
        ['message', { message: 'Invalid credentials in Authorization header' }],
      ] as const) {
        const shaped = await startEmulator({ routerErrorShape });
        try {
          assert.deepEqual((await call(shaped.url, SUBMITS[0][0], { body: SUBMITS[0][1], auth: null })).json, expected);
        } finally {
          await shaped.close();
        }
      }
    });

    it('takes Novita’s key with no scheme, as its JS SDK sends it, as well as with Bearer', async () => {
      const path = `/direct${SUBMITS[2][0]}`;
      for (const auth of ['novita_emulator_key', 'Bearer novita_emulator_key']) assert.equal((await post(path, SUBMITS[2][1], { auth })).status, 200, auth);
      for (const auth of ['novita_wrong', 'Key novita_emulator_key']) assert.equal((await post(path, SUBMITS[2][1], { auth })).status, 401, auth);
      assert.equal((await post(`/direct${SUBMITS[3][0]}`, SUBMITS[3][1], { auth: 'wavespeed_emulator_key' })).status, 401, 'only Novita');
    });

    it('accepts custom tokens and keys', async () => {
      const custom = await startEmulator({ ...FAST, tokens: ['hf_mine'], providerKeys: { novita: ['nk'] } });
      try {
        assert.equal((await call(custom.url, SUBMITS[2][0], { body: SUBMITS[2][1], auth: 'Bearer hf_mine' })).status, 200);
        assert.equal((await call(custom.url, SUBMITS[2][0], { body: SUBMITS[2][1] })).status, 401);
        assert.equal((await call(custom.url, `/direct${SUBMITS[2][0]}`, { body: SUBMITS[2][1], auth: 'Bearer nk' })).status, 200);
        assert.equal((await call(custom.url, `/direct${SUBMITS[3][0]}`, { body: SUBMITS[3][1], auth: 'Bearer wavespeed_emulator_key' })).status, 200);
      } finally {
        await custom.close();
      }
    });
  });

  describe('CDN', () => {
    async function finishedVideoUrl(target: Emulator = emulator): Promise<string> {
      const answer = await call(target.url, '/fal-ai/fal-ai/wan-t2v', { body: { prompt: 'x' } });
      return answer.json.video.url;
    }

    it('needs no token and ignores a bogus one', async () => {
      const url = await finishedVideoUrl();
      assert.equal((await request(url)).statusCode, 200);
      const withJunk = await request(url, { headers: { authorization: 'Bearer nonsense' } });
      assertMp4(Buffer.from(await withJunk.body.arrayBuffer()));
    });

    it('answers 404 for a job that is not finished or does not exist', async () => {
      emulator.injectFault({ kind: 'never-finish', provider: 'fal-ai' });
      const id = (await post('/fal-ai/fal-ai/wan-t2v?_subdomain=queue', { prompt: 'x' })).json.request_id;
      assert.equal((await download(`${emulator.url}/cdn/fal-ai/${id}/output.mp4`)).status, 404);
      assert.equal((await download(`${emulator.url}/cdn/fal-ai/nope/output.mp4`)).status, 404);
    });

    it('serves byte ranges', async () => {
      const url = await finishedVideoUrl();
      const answer = await request(url, { headers: { range: 'bytes=0-7' } });
      const bytes = Buffer.from(await answer.body.arrayBuffer());
      assert.equal(answer.statusCode, 206);
      assert.match(String(answer.headers['content-range']), /^bytes 0-7\/\d+$/);
      assert.equal(bytes.subarray(4, 8).toString('latin1'), 'ftyp');
    });

    it('pads to videoBytes with a free box and stays a valid MP4', async () => {
      const padded = await startEmulator({ ...FAST, videoBytes: 3_000_000 });
      try {
        const video = await download(await finishedVideoUrl(padded));
        assert.equal(video.bytes.length, 3_000_000);
        assert.equal(Number(video.headers['content-length']), 3_000_000);
        assertMp4(video.bytes);
        const fixtureBytes = 67_403;
        assert.equal(video.bytes.subarray(fixtureBytes + 4, fixtureBytes + 8).toString('latin1'), 'free');
        assert.equal(video.bytes.readUInt32BE(fixtureBytes), 3_000_000 - fixtureBytes);
        if (spawnSync('ffprobe', ['-version']).status === 0) {
          const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', '-i', 'pipe:0'], { input: video.bytes });
          assert.equal(probe.status, 0, probe.stderr.toString());
          assert.equal(probe.stdout.toString().trim(), 'h264');
        }
      } finally {
        await padded.close();
      }
    });

    it('serves the AAC fixture with `audio`', async () => {
      const withAudio = await startEmulator({ ...FAST, audio: true });
      try {
        const video = await download(await finishedVideoUrl(withAudio));
        assert.equal(video.bytes.length, 85_155);
      } finally {
        await withAudio.close();
      }
    });
  });

  describe('faults', () => {
    const FAL_SUBMIT = '/fal-ai/fal-ai/wan-t2v?_subdomain=queue';
    const REPLICATE_SUBMIT = '/replicate/v1/models/wan-video/wan-2.2-5b-fast/predictions';

    async function videoPath(): Promise<string> {
      const answer = await post('/fal-ai/fal-ai/wan-t2v', { prompt: 'x' });
      return new URL(answer.json.video.url).pathname;
    }

    it('answers router errors with {"error"} and an optional Retry-After', async () => {
      emulator.injectFault({ kind: 'http-error', phase: 'submit', status: 429, retryAfter: 3 });
      const answer = await post(FAL_SUBMIT, { prompt: 'x' });
      assert.equal(answer.status, 429);
      assert.equal(typeof answer.json.error, 'string');
      assert.equal(answer.headers['retry-after'], '3');
      assert.equal((await post(FAL_SUBMIT, { prompt: 'x' })).status, 200, 'used up after one request');
    });

    it('answers provider errors in the provider’s own shape', async () => {
      const cases: Array<[HttpErrorFault, string, (json: any) => void]> = [
        [{ kind: 'http-error', provider: 'fal-ai', phase: 'submit', status: 422, message: 'bad frames' }, FAL_SUBMIT, (json) => assert.equal(json.detail[0].msg, 'bad frames')],
        [{ kind: 'http-error', provider: 'fal-ai', phase: 'submit', status: 500 }, FAL_SUBMIT, (json) => assert.equal(json.detail, 'Internal Server Error')],
        [{ kind: 'http-error', provider: 'replicate', phase: 'submit', status: 422, message: 'bad' }, REPLICATE_SUBMIT, (json) => assert.ok(json.invalid_fields)],
        [{ kind: 'http-error', provider: 'replicate', phase: 'submit', status: 429, origin: 'provider' }, REPLICATE_SUBMIT, (json) => assert.equal(json.status, 429)],
      ];
      for (const [fault, path, check] of cases) {
        emulator.injectFault(fault);
        const answer = await post(path, path === FAL_SUBMIT ? { prompt: 'x' } : { input: { prompt: 'x' } });
        assert.equal(answer.status, fault.status);
        check(answer.json);
      }
    });

    it('targets only the provider and phase named, for the times given', async () => {
      emulator.injectFault({ kind: 'http-error', provider: 'replicate', phase: 'submit', status: 503, times: 2 });
      assert.equal((await post(FAL_SUBMIT, { prompt: 'x' })).status, 200);
      assert.equal((await post(REPLICATE_SUBMIT, { input: { prompt: 'x' } })).status, 503);
      assert.equal((await post(REPLICATE_SUBMIT, { input: { prompt: 'x' } })).status, 503);
      assert.equal((await post(REPLICATE_SUBMIT, { input: { prompt: 'x' } })).status, 201);
      emulator.injectFault({ kind: 'http-error', phase: 'status', status: 502, times: 'always' });
      const id = (await post(REPLICATE_SUBMIT, { input: { prompt: 'x' } })).json.id;
      for (let attempt = 0; attempt < 3; attempt += 1) assert.equal((await get(`/replicate/v1/predictions/${id}`)).status, 502);
      emulator.clearFaults();
      assert.equal((await get(`/replicate/v1/predictions/${id}`)).status, 200);
    });

    it('fails Hub and whoami calls', async () => {
      emulator.injectFault({ kind: 'http-error', provider: 'hub', phase: 'hub', status: 500 });
      emulator.injectFault({ kind: 'http-error', phase: 'whoami', status: 401, times: -1 });
      const hub = await get('/api/models/tencent/HunyuanVideo?expand[]=inferenceProviderMapping');
      assert.equal(hub.status, 500);
      assert.equal(typeof hub.json.error, 'string');
      assert.equal((await get('/api/whoami-v2')).status, 401);
      assert.equal((await get('/api/whoami-v2')).status, 401);
    });

    it('keeps a job IN_QUEUE at position 0 forever', () =>
      onSteppedClock({}, async (stepped, clock) => {
        stepped.injectFault({ kind: 'never-finish', provider: 'fal-ai' });
        const id = (await call(stepped.url, FAL_SUBMIT, { body: { prompt: 'x' } })).json.request_id;
        clock.advance(A_DAY_MS);
        const status = await call(stepped.url, `/fal-ai/fal-ai/wan-t2v/requests/${id}/status?_subdomain=queue`);
        assert.equal(status.json.status, 'IN_QUEUE');
        assert.equal(status.json.queue_position, 0);
      }));

    it('keeps a job running forever', () =>
      onSteppedClock({}, async (stepped, clock) => {
        stepped.injectFault({ kind: 'never-finish', stage: 'running' });
        const id = (await call(stepped.url, '/together/v2/videos', { body: { model: 'Wan-AI/Wan2.2-T2V-A14B', prompt: 'x' } })).json.id;
        clock.advance(A_DAY_MS);
        assert.equal((await call(stepped.url, `/together/v2/videos/${id}`)).json.status, 'in_progress');
      }));

    it('slows the queue of the next job', () =>
      onSteppedClock({}, async (stepped, clock) => {
        const extraQueueMs = 2000;
        stepped.injectFault({ kind: 'slow-queue', extraQueueMs });
        const id = (await call(stepped.url, '/wavespeed/api/v3/wavespeed-ai/wan-2.1/t2v-480p', { body: { prompt: 'x' } })).json.data.id;
        const status = async () => (await call(stepped.url, `/wavespeed/api/v3/predictions/${id}`)).json.data.status;
        clock.advance(QUEUE_MS + RUN_MS);
        assert.equal(await status(), 'created');
        clock.advance(extraQueueMs);
        assert.equal(await status(), 'completed');
      }));

    it('delays an answer', async () => {
      emulator.injectFault({ kind: 'delay', phase: 'hub', ms: 300 });
      const started = Date.now();
      assert.equal((await get('/api/models/tencent/HunyuanVideo')).status, 200);
      assert.ok(Date.now() - started >= 290);
    });

    it('resets the connection part-way through a download', async () => {
      const path = await videoPath();
      emulator.injectFault({ kind: 'connection-reset', phase: 'download', afterBytes: 10_000 });
      const raw = await rawGet(emulator.url, path);
      assert.equal(raw.ending, 'reset');
      assert.ok(raw.bodyBytes <= 10_000, `${raw.bodyBytes} bytes`);
      assert.equal(lowerHeaderValue(raw.head, 'content-length'), '67403');
      emulator.injectFault({ kind: 'connection-reset', phase: 'download' });
      await assert.rejects(download(`${emulator.url}${path}`), 'a client sees the download fail');
    });

    it('truncates a download: Content-Length larger than the bytes sent, then a clean close', async () => {
      const path = await videoPath();
      emulator.injectFault({ kind: 'truncated-body', provider: 'cdn', phase: 'download', afterBytes: 1000 });
      const raw = await rawGet(emulator.url, path);
      assert.equal(raw.ending, 'end');
      assert.equal(raw.bodyBytes, 1000);
      assert.equal(lowerHeaderValue(raw.head, 'content-length'), '67403');
    });

    it('serves an HTML page or a JSON error instead of the video', async () => {
      const path = await videoPath();
      emulator.injectFault({ kind: 'html-page', provider: 'fal-ai', phase: 'download' });
      const html = await get(path, { auth: null });
      assert.equal(html.status, 200);
      assert.match(html.headers['content-type'], /^text\/html/);
      assert.match(html.text, /<html>/);
      emulator.injectFault({ kind: 'json-error-page', status: 403, message: 'expired link' });
      const json = await get(path, { auth: null });
      assert.equal(json.status, 403);
      assert.equal(json.headers['content-type'], 'application/json');
      assert.deepEqual(json.json, { error: 'expired link' });
      assert.equal((await download(`${emulator.url}${path}`)).status, 200, 'faults used up');
    });

    it('refuses malformed faults loudly', () => {
      assert.throws(() => emulator.injectFault({ kind: 'nope' } as unknown as Fault), /Unknown fault kind/);
      assert.throws(() => emulator.injectFault({ kind: 'http-error', phase: 'submit' } as unknown as Fault), /status/);
      assert.throws(() => emulator.injectFault({ kind: 'job-failed', phase: 'status' } as unknown as Fault), /phase 'submit'/);
      assert.throws(() => emulator.injectFault({ kind: 'delay', phase: 'hub', ms: 1, times: 0 }), /times/);
    });

    it('is reachable over HTTP', async () => {
      const added = await post('/__emulator/faults', [{ kind: 'http-error', phase: 'submit', status: 402 }]);
      assert.equal(added.status, 201);
      assert.equal((await get('/__emulator/faults')).json.length, 1);
      assert.equal((await post(FAL_SUBMIT, { prompt: 'x' })).status, 402);
      assert.equal((await post('/__emulator/faults', { kind: 'bogus' })).status, 400);
      await post('/__emulator/faults', { kind: 'http-error', phase: 'submit', status: 402 });
      assert.equal((await get('/__emulator/faults', { method: 'DELETE' })).status, 200);
      assert.equal((await post(FAL_SUBMIT, { prompt: 'x' })).status, 200);
    });
  });

  describe('recording and control', () => {
    it('records requests with secrets redacted', async () => {
      await post('/fal-ai/fal-ai/wan-t2v?_subdomain=queue', { prompt: 'x' }, { headers: { 'x-api-key': 'secret1', 'x-hf-bill-to': 'my-org' } });
      await post('/direct/fal-ai/fal-ai/wan-t2v', { prompt: 'y' }, { auth: 'Key fal_emulator_key' });
      const [routed, direct] = emulator.requests;
      assert.equal(routed.method, 'POST');
      assert.equal(routed.path, '/fal-ai/fal-ai/wan-t2v');
      assert.deepEqual(routed.query, { _subdomain: 'queue' });
      assert.deepEqual(routed.body, { prompt: 'x' });
      assert.equal(routed.headers.authorization, 'Bearer [redacted]');
      assert.equal(routed.headers['x-api-key'], '[redacted]');
      assert.equal(routed.headers['x-hf-bill-to'], 'my-org');
      assert.equal(direct.headers.authorization, 'Key [redacted]');
      assert.ok(typeof routed.time === 'number');
      const overHttp = await get('/__emulator/requests');
      assert.equal(overHttp.json.length, 2, 'control requests are not recorded');
      assert.doesNotMatch(overHttp.text, /hf_emulator_token|fal_emulator_key|secret1/);
    });

    it('logs requests without secrets', async () => {
      const lines: string[] = [];
      const logged = await startEmulator({ ...FAST, log: (line) => lines.push(line) });
      try {
        await call(logged.url, '/api/whoami-v2?token=abc');
        // The line is written once the server has closed the exchange, which may be after the client has the answer.
        await until(() => lines.length > 0);
        assert.equal(lines.length, 1);
        assert.match(lines[0], /^GET \/api\/whoami-v2\?token=%5Bredacted%5D -> 200 \d+ms$/);
      } finally {
        await logged.close();
      }
    });

    it('resets requests, faults and jobs', async () => {
      const id = (await post('/novita/v3/async/wan-t2v', { prompt: 'x' })).json.task_id;
      emulator.injectFault({ kind: 'http-error', phase: 'status', status: 500 });
      assert.equal((await post('/__emulator/reset', {})).status, 200);
      assert.equal(emulator.requests.length, 0);
      assert.equal((await get(`/novita/v3/async/task-result?task_id=${id}`)).status, 404);
    });

    it('gives every answer an x-request-id and closes promptly with a request held open', async function () {
      // Held for longer than the test may run: the test only ends if closing does not wait for it.
      const holdMs = 2 * this.timeout();
      const held = await startEmulator({ ...FAST, queueMs: holdMs, replicateWaitMs: holdMs });
      const pending = call(held.url, '/replicate/v1/models/wan-video/wan-2.2-5b-fast/predictions', { body: { input: { prompt: 'x' } }, headers: { prefer: 'wait' } }).catch((error: Error) => error);
      await until(() => held.requests.length > 0);
      await held.close();
      await pending;
      for (const path of ['/nowhere', '/api/nowhere', '/cdn/x', '/__emulator/requests']) {
        assert.ok((await get(path)).headers['x-request-id'], path);
      }
    });
  });

  describe('CLI', () => {
    const CLI = join(__dirname, '..', 'emulator', 'cli.js');
    const URL_LINE = /^http:\/\/127\.0\.0\.1:\d+$/;
    const CLEAN_EXIT = { code: 0, signal: null };

    const exitOf = (child: ChildProcess) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

    /** The first line of `stream` that matches `pattern`. */
    const lineMatching = (stream: Readable, pattern: RegExp) =>
      new Promise<string>((resolve) => createInterface({ input: stream }).on('line', (line) => pattern.test(line) && resolve(line)));

    /**
     * Runs the CLI with `owner.method` patched to send `signal` to the process itself right after its first call.
     * A signal a process sends itself arrives before kill() returns, so it lands at exactly that moment however
     * busy the machine is: without a handler installed by then, it kills the process.
     */
    function runSignalledAt(owner: string, method: string, signal: NodeJS.Signals): ChildProcess {
      const script = `
        const owner = ${owner};
        const original = owner.${method};
        owner.${method} = function (...args) {
          owner.${method} = original;
          const result = original.apply(this, args);
          process.kill(process.pid, '${signal}');
          return result;
        };
        require(process.argv[1]);`;
      return spawn(process.execPath, ['-e', script, CLI], { stdio: ['ignore', 'pipe', 'inherit'] });
    }

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      it(`exits 0 on ${signal} while the server is still starting, before any output`, async () => {
        const child = runSignalledAt("require('node:net').Server.prototype", 'listen', signal);
        assert.deepEqual(await exitOf(child), CLEAN_EXIT);
      });

      it(`exits 0 on ${signal} the moment its URL line is written`, async () => {
        const child = runSignalledAt('process.stdout', 'write', signal);
        const exit = exitOf(child);
        assert.match(await lineMatching(child.stdout!, /./), URL_LINE);
        assert.deepEqual(await exit, CLEAN_EXIT);
      });
    }

    it('exits 0 on SIGINT sent as soon as the URL is read, and a second SIGINT during the close does not kill it', async () => {
      const child = runSignalledAt("require('node:net').Server.prototype", 'close', 'SIGINT');
      const exit = exitOf(child);
      assert.match(await lineMatching(child.stdout!, /./), URL_LINE);
      child.kill('SIGINT');
      assert.deepEqual(await exit, CLEAN_EXIT);
    });

    it('prints the URL first, logs to stderr without tokens, and exits 0 on SIGTERM', async () => {
      const child = spawn(process.execPath, [CLI, '--port', '0', '--token', 'hf_cli_secret', '--queue-ms', '10', '--run-ms', '10'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const exit = exitOf(child);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const requestLogged = lineMatching(child.stderr, /POST \/fal-ai\/fal-ai\/wan-t2v -> 200/);
      const firstLine = await lineMatching(child.stdout, /./);
      assert.match(firstLine, URL_LINE);
      const answer = await call(firstLine, '/fal-ai/fal-ai/wan-t2v', { body: { prompt: 'x' }, auth: 'Bearer hf_cli_secret' });
      assert.equal(answer.status, 200);
      await requestLogged;
      child.kill('SIGTERM');
      assert.deepEqual(await exit, CLEAN_EXIT);
      assert.doesNotMatch(stderr, /hf_cli_secret/);
    });

    it('parses flags into options and faults', () => {
      const config = parseCliArgs([
        '--port=8123',
        '--token',
        'hf_a',
        '--token=hf_b',
        '--key',
        'fal-ai=fk',
        '--audio',
        '--no-router-serves-staging',
        '--router-error-shape',
        'message',
        '--fal-stream-logs=cumulative',
        '--novita-frames',
        'reject',
        '--together-queued-status=queued',
        '--fault',
        '{"kind":"http-error","phase":"submit","status":429}',
      ]);
      assert.deepEqual(config.options, {
        port: 8123,
        tokens: ['hf_a', 'hf_b'],
        providerKeys: { 'fal-ai': ['fk'] },
        audio: true,
        routerServesStaging: false,
        routerErrorShape: 'message',
        falStreamLogs: 'cumulative',
        novitaFrames: 'reject',
        togetherQueuedStatus: 'queued',
      });
      assert.equal(config.faults[0].kind, 'http-error');
      assert.throws(() => parseCliArgs(['--router-error-shape', 'xml']), /one of/);
      assert.throws(() => parseCliArgs(['--bogus']), /Unknown flag/);
      assert.throws(() => parseCliArgs(['--key', 'nobody=k']), /PROVIDER=KEY/);
    });
  });

  describe('staging (U)', () => {
    it('serves staging mappings by default and refuses them when the switch says so', async () => {
      const path = '/fal-ai/fal-ai/hunyuan-video-v1.5/text-to-video?_subdomain=queue';
      assert.equal((await post(path, { prompt: 'x' })).status, 200);
      const strict = await startEmulator({ ...FAST, routerServesStaging: false });
      try {
        assert.deepEqual((await call(strict.url, path, { body: { prompt: 'x' } })).json, { error: 'Model not supported by provider fal-ai' });
      } finally {
        await strict.close();
      }
    });

    it('accepts or rejects negative_prompt arrays (U)', async () => {
      const body = { prompt: 'x', negative_prompt: ['blurry'] };
      assert.equal((await post('/wavespeed/api/v3/wavespeed-ai/wan-2.1/t2v-480p', body)).status, 200);
      const strict = await startEmulator({ ...FAST, negativePromptArrays: 'reject' });
      try {
        const answer = await call(strict.url, '/fal-ai/fal-ai/wan-t2v?_subdomain=queue', { body });
        assert.equal(answer.status, 422);
        assert.deepEqual(answer.json.detail[0].loc, ['body', 'negative_prompt']);
      } finally {
        await strict.close();
      }
    });
  });
});
