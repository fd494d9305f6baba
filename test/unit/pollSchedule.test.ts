// The shared poll schedule: its waits on their own (pure), then every provider following jobs with it
// against the emulator.
import * as assert from 'node:assert/strict';
import { estimatedEnd, nextPollDelay, pollBounds, type PollMoment } from '../../src/core/pollSchedule';
import type { ProviderName } from '../../src/core/types';
import { startEmulator } from '../emulator/server';
import type { Emulator, RecordedRequest } from '../emulator/types';
import { JobHarness, PROVIDER_KEYS, PROVIDER_MODELS } from '../jobHarness';

const BOUNDS = pollBounds(1000);

/** The status requests a follow makes for a job that ends `endMs` after it began: when each is sent. */
function pollTimes(endMs: number, expectedMs?: number, queueMs = 0): number[] {
  const times: number[] = [];
  let moment: PollMoment = { elapsedMs: 0, expectedMs };
  for (;;) {
    const delay = nextPollDelay(moment, BOUNDS);
    const elapsedMs = moment.elapsedMs + delay;
    times.push(elapsedMs);
    if (elapsedMs >= endMs) return times;
    moment = { elapsedMs, lastDelayMs: delay, phase: elapsedMs < queueMs ? 'queued' : 'running', expectedMs };
  }
}

const gaps = (times: number[]) => times.map((time, index) => time - (times[index - 1] ?? 0));

describe('poll schedule', () => {
  it('is bounded by a quarter of the poll interval and five times it', () => {
    assert.deepEqual(BOUNDS, { minMs: 250, maxMs: 5000 });
  });

  it('without an expected duration starts short, backs off faster while queued than while running, up to the bound', () => {
    const queued = gaps(pollTimes(120_000, undefined, Infinity));
    assert.deepEqual(queued.slice(0, 4), [250, 375, 562.5, 843.75]);
    assert.equal(Math.max(...queued), 5000);
    const running = gaps(pollTimes(120_000));
    assert.deepEqual(running.slice(0, 3), [250, 312.5, 390.625]);
    assert.ok(running.every((gap, index) => index === 0 || gap >= running[index - 1]), 'waits never shrink');
    assert.equal(Math.max(...running), 5000);
  });

  it('aims at the expected end: waits for it (at most the bound at a time), then polls a quarter interval apart', () => {
    // 5% of the expected time before it, the polls close in.
    assert.deepEqual(gaps(pollTimes(60_000, 60_000)), [...Array<number>(11).fill(5000), 2000, ...Array<number>(12).fill(250)]);
  });

  it('sees a job that ends as the last one did within a quarter interval, with fewer requests than a fixed poll', () => {
    const fixedHalfSecond = Math.ceil(3500 / 500);
    const times = pollTimes(3500, 3500);
    assert.ok(times.at(-1)! - 3500 < 250);
    assert.ok(times.length < fixedHalfSecond, `${times.length} requests`);
  });

  it('backs off again once a job runs past the window, and still sees it end', () => {
    const times = pollTimes(20_000, 3500);
    const late = gaps(times).filter((_, index) => times[index] > 3500 + 250);
    assert.equal(late[0], 312.5, 'the first wait after the window grows from a quarter interval');
    assert.ok(late.slice(1).every((gap, index) => gap > late[index]), 'waits grow after the window');
    assert.ok(times.at(-1)! >= 20_000);
  });

  it('puts a polled job’s end after its last unfinished status, about half a quarter interval before it was seen done', () => {
    assert.equal(estimatedEnd(3250, 3500, BOUNDS), 3375);
    assert.equal(estimatedEnd(undefined, 3500, BOUNDS), 3375);
    assert.equal(estimatedEnd(3450, 3500, BOUNDS), 3450, 'never before a status that showed it unfinished');
  });
});


describe('every provider follows jobs on the poll schedule, against the emulator', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let harness: JobHarness;

  before(async () => {
    // Replicate's hold ends before the job, so its follow polls too.
    emulator = await startEmulator({ queueMs: 150, runMs: 350, replicateWaitMs: 100 });
  });
  after(() => emulator.close());
  beforeEach(async () => {
    emulator.reset();
    harness = await JobHarness.create(emulator);
  });
  afterEach(() => harness.dispose());

  const statusRequests = (provider: ProviderName, from: number): RecordedRequest[] =>
    emulator.requests.slice(from).filter((request) => request.method === 'GET' && request.path.startsWith(`/${provider}/`) && !/\/requests\/[^/]+$/.test(request.path));

  for (const provider of Object.keys(PROVIDER_MODELS) as ProviderName[]) {
    it(`${provider}: a second job of the same model is asked about less often, and still completes`, async () => {
      const first = await harness.run({ model: PROVIDER_MODELS[provider], provider });
      assert.equal(first.state, 'done', first.failure?.message);
      const firstPolls = statusRequests(provider, 0).length;
      const mark = emulator.requests.length;
      const second = await harness.run({ model: PROVIDER_MODELS[provider], provider });
      assert.equal(second.state, 'done', second.failure?.message);
      const secondPolls = statusRequests(provider, mark).length;
      assert.ok(firstPolls > 0, 'the first job was polled');
      assert.ok(secondPolls < firstPolls, `${secondPolls} status requests for the second job, ${firstPolls} for the first`);
    });
  }

  it('replicate: a job that ends within the held submit (routed or direct) is never polled', async () => {
    const holding = await startEmulator({ queueMs: 150, runMs: 350 });
    const held = await JobHarness.create(holding);
    try {
      for (const credentials of [{ hfToken: 'hf_emulator_token' }, { providerKeys: { replicate: PROVIDER_KEYS.replicate } }]) {
        const record = await held.run({ provider: 'replicate' }, { credentials });
        assert.equal(record.state, 'done', record.failure?.message);
      }
      const submits = holding.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/predictions'));
      assert.deepEqual(submits.map((request) => [request.path.split('/')[1], request.headers.prefer]), [
        ['replicate', 'wait'],
        ['direct', 'wait'],
      ]);
      assert.equal(holding.requests.filter((request) => request.method === 'GET' && /\/v1\/predictions\//.test(request.path)).length, 0, 'no status request');
    } finally {
      await held.dispose();
      await holding.close();
    }
  });
});
