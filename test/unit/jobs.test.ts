// Generations as durable jobs: the record's states, the file store and its claims, resuming after a
// window reload from every stored state, and the queue — against the emulator, with real files.
import * as assert from 'node:assert/strict';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ACTIVE_STATES, newJobRecord, type JobRecord } from '../../src/core/jobs/record';
import { FileJobStore } from '../../src/core/jobs/store';
import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/types';
import { JobHarness, PROVIDER_KEYS, TOKEN, WAN21, nextChange, until } from '../jobHarness';

const REQUEST = { prompt: 'a red fox in the snow', model: WAN21, provider: 'fal-ai' as const, parameters: {}, extra: {} };
const HOUR_MS = 3_600_000;

describe('jobs: records, store, runner and queue against the emulator', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let harness: JobHarness;

  before(async () => {
    // Long enough running that a 25 ms poll always sees it: several tests stop a job in that state.
    emulator = await startEmulator({ queueMs: 50, runMs: 1000, replicateWaitMs: 50 });
  });
  after(() => emulator.close());
  beforeEach(async () => {
    emulator.reset();
    harness = await JobHarness.create(emulator);
  });
  afterEach(() => harness.dispose());

  /** Submits (paid jobs) the emulator received, routed or direct; cancels are not submits. */
  const submits = () => emulator.requests.filter((request) => request.method === 'POST' && !request.path.startsWith('/api/') && !request.path.endsWith('/cancel'));
  const upstreamCancels = () => emulator.requests.filter((request) => request.path.endsWith('/cancel'));

  async function expectVideo(record: JobRecord): Promise<void> {
    assert.equal(record.state, 'done', record.failure?.message);
    assert.equal((await readFile(record.file!)).subarray(4, 8).toString('latin1'), 'ftyp');
    assert.deepEqual(await harness.videoFiles(), [`${record.id}.mp4`]);
    // The emulator's CDN serves sample-h264.mp4: what the record says it is, read from the file.
    assert.deepEqual([record.media?.video?.codec, record.media?.audio, record.media?.frameCount], ['h264', undefined, 48]);
  }

  describe('the state machine', () => {
    const credentialCases = [
      { name: 'through the router with the HF token', credentials: { hfToken: TOKEN } },
      { name: 'directly with the provider key', credentials: { hfToken: TOKEN, providerKeys: { 'fal-ai': PROVIDER_KEYS['fal-ai'] } } },
    ];
    for (const { name, credentials } of credentialCases) {
      it(`stores every state of a run ${name}, and never a secret`, async () => {
        const record = await harness.run(REQUEST, { credentials });
        await expectVideo(record);
        const states = harness.saved.map((version) => version.state).filter((state, index, all) => state !== all[index - 1]);
        assert.deepEqual(states, ['queued', 'resolving', 'submitted', 'running', 'downloading', 'done']);
        assert.deepEqual(await harness.store.get(record.id), JSON.parse(JSON.stringify(record)), 'the file holds the final record');

        const secrets = [TOKEN, PROVIDER_KEYS['fal-ai']];
        const stored = [...harness.saved.map((version) => JSON.stringify(version)), await readFile(join(harness.storeDir, `${record.id}.json`), 'utf8')];
        for (const text of stored) for (const secret of secrets) assert.ok(!text.includes(secret), `a stored record contains ${secret}`);
      });
    }
  });

  describe('the store', () => {
    it('saves, lists and gets records, and skips a damaged file or an unknown schema version', async () => {
      const { store } = harness;
      const [first, second] = [newJobRecord(REQUEST), newJobRecord({ ...REQUEST, prompt: 'a heron at dawn' })];
      await store.save(first);
      await store.save(second);
      await writeFile(join(harness.storeDir, 'damaged.json'), '{"schemaVersion": 1, "id": ');
      await writeFile(join(harness.storeDir, 'future.json'), JSON.stringify({ ...first, id: 'future', schemaVersion: 2 }));

      const listed = await store.list();
      assert.deepEqual(listed.map((record) => record.id).sort(), [first.id, second.id].sort());
      assert.deepEqual(await store.get(first.id), first);
      assert.equal(await store.get('damaged'), undefined);
      assert.equal(await store.get('future'), undefined);

      await store.delete(first.id);
      assert.equal(await store.get(first.id), undefined);
    });

    it('keeps the last of many overlapping saves, whole', async () => {
      const record = newJobRecord(REQUEST);
      const versions = Array.from({ length: 20 }, (_, index) => ({ ...record, savedFiles: [`copy-${index}.mp4`] }));
      await Promise.all(versions.map((version) => harness.store.save(version)));
      assert.deepEqual(await harness.store.get(record.id), versions.at(-1));
      assert.deepEqual(await readdir(harness.storeDir), [`${record.id}.json`], 'no temporary file is left');
    });
  });

  describe('resuming after a window reload', () => {
    const stopPoints: Array<[string, (record: JobRecord) => boolean]> = [
      ['queued', (record) => record.state === 'queued'],
      ['resolving', (record) => record.state === 'resolving' && !record.timings.submitStartedAt],
      ['submitted', (record) => record.state === 'submitted'],
      ['running', (record) => record.state === 'running'],
      ['downloading', (record) => record.state === 'downloading'],
    ];
    for (const [state, stopsHere] of stopPoints) {
      it(`goes on from a record stored as ${state}, with exactly one submit`, async () => {
        const first = harness.openWindow();
        const closed = first.closeWhen(stopsHere);
        const { id } = await first.queue.enqueue(REQUEST);
        await closed;
        assert.equal((await harness.store.get(id))?.state, state, 'the closed window left the record as it was');
        assert.deepEqual(await harness.videoFiles(), [], 'no partial download is left');

        const second = harness.openWindow();
        const { resumed } = await second.queue.resume();
        assert.deepEqual(resumed.map((record) => record.id), [id]);
        await expectVideo(await second.queue.whenSettled(id));
        assert.equal(submits().length, 1, 'one job at the provider, paid once');
      });
    }

    it('downloads a failed download again from the next window, with no new submit', async () => {
      emulator.injectFault({ kind: 'connection-reset', provider: 'fal-ai', phase: 'download', times: 3 });
      const first = harness.openWindow();
      const { id } = await first.queue.enqueue(REQUEST);
      const failed = await first.queue.whenSettled(id);
      assert.equal(failed.state, 'failed');
      assert.equal(failed.failure?.canDownloadAgain, true);
      assert.equal(failed.failure?.nextStep?.action, 'downloadAgain');
      await first.close();

      const second = harness.openWindow();
      assert.deepEqual((await second.queue.resume()).resumed, [], 'a failed job is not resumed by itself');
      await expectVideo(await second.queue.downloadAgain(id));
      assert.equal(submits().length, 1);
    });

    it('does not submit again a job interrupted mid-submit: it ends interrupted', async () => {
      const first = harness.openWindow();
      const closed = first.closeWhen((record) => record.state === 'resolving' && !!record.timings.submitStartedAt);
      const { id } = await first.queue.enqueue(REQUEST);
      await closed;
      const submitsBefore = submits().length;

      const second = harness.openWindow();
      await second.queue.resume();
      const settled = await second.queue.whenSettled(id);
      assert.equal(settled.state, 'failed');
      assert.equal(settled.failure?.kind, 'interrupted');
      assert.equal(settled.failure?.nextStep?.action, 'retry');
      assert.equal(submits().length, submitsBefore, 'no new submit');
    });

    it('gives up on a submitted job older than the providers keep results, without asking them', async () => {
      const longAgo = new Date(Date.now() - 100 * HOUR_MS).toISOString();
      const jobUrl = `${emulator.url}/fal-ai/fal-ai/wan/requests/old-request`;
      const record: JobRecord = {
        ...newJobRecord(REQUEST, new Date(longAgo)),
        state: 'submitted',
        provider: 'fal-ai',
        providerId: 'fal-ai/wan-t2v',
        routed: true,
        handle: { requestId: 'old-request', urls: { status: `${jobUrl}/status`, result: jobUrl, cancel: `${jobUrl}/cancel` } },
      };
      record.timings = { ...record.timings, startedAt: longAgo, submitStartedAt: longAgo, submittedAt: longAgo };
      await harness.store.save(record);

      const window = harness.openWindow({ resultRetentionHours: 24 });
      await window.queue.resume();
      const settled = await window.queue.whenSettled(record.id);
      assert.equal(settled.state, 'failed');
      assert.equal(settled.failure?.kind, 'expired');
      assert.equal(settled.failure?.canDownloadAgain, false);
      assert.deepEqual(emulator.requests, [], 'no status request for a result that is gone');
    });
  });

  describe('claims between windows', () => {
    it('leaves a job to the live window that holds it, and takes it once that window closes', async () => {
      const holder = harness.openWindow({ maxConcurrent: 0 });
      const { id } = await holder.queue.enqueue(REQUEST);
      const other = harness.openWindow();
      assert.deepEqual((await other.queue.resume()).resumed, []);
      assert.equal(other.queue.isOurs(id), false);

      await holder.close();
      assert.deepEqual((await other.queue.resume()).resumed.map((record) => record.id), [id]);
      await expectVideo(await other.queue.whenSettled(id));
      assert.equal(submits().length, 1);
    });

    it('lets exactly one of several windows take a job whose holder is gone', async function () {
      this.timeout(90_000);
      // A long history makes listing the folder slow enough for claims to come and go meanwhile;
      // even so a lost race shows only now and then, so it is run many times.
      await mkdir(harness.storeDir, { recursive: true });
      for (let index = 0; index < 5000; index++) await writeFile(join(harness.storeDir, `history-${index}.json`), '{}');
      for (let round = 0; round < 150; round++) {
        const record = newJobRecord(REQUEST);
        await harness.store.save(record);
        const gone = new FileJobStore(harness.storeDir);
        assert.ok(await gone.claim(record.id));
        gone.retire();

        const racers = [0, 1, 2].map(() => new FileJobStore(harness.storeDir));
        const won = await Promise.all(racers.map((store) => store.claim(record.id)));
        assert.equal(won.filter(Boolean).length, 1, `round ${round}: ${won.join(', ')}`);
        racers.forEach((store) => store.retire());
        await harness.store.delete(record.id);
      }
      assert.ok((await readdir(harness.storeDir)).every((name) => name.startsWith('history-')), 'deleting a job removes its claims too');
    });
  });

  describe('the queue', () => {
    it('runs at most maxConcurrent jobs at once, first in first out', async () => {
      const window = harness.openWindow({ maxConcurrent: 2 });
      const order: string[] = [];
      const running = new Set<string>();
      let mostRunning = 0;
      // Collected rather than asserted here: a throw would land in the queue, not in the test.
      const overtaken: string[] = [];
      window.queue.onDidChange((event) => {
        if (event.type !== 'changed' || event.record.state === 'queued') return;
        const { id, state } = event.record;
        const ahead = order.slice(0, order.indexOf(id));
        if (!order.includes(id) || ahead.some((earlier) => window.queue.waitingIds().includes(earlier))) overtaken.push(id);
        if (ACTIVE_STATES.includes(state)) running.add(id);
        else running.delete(id);
        mostRunning = Math.max(mostRunning, running.size);
      });
      for (let job = 0; job < 5; job++) order.push((await window.queue.enqueue({ ...REQUEST, prompt: `fox number ${job}` })).id);

      const settled = await Promise.all(order.map((id) => window.queue.whenSettled(id)));
      assert.deepEqual(settled.map((record) => record.state), Array(5).fill('done'));
      assert.deepEqual(overtaken, [], 'no job started before one queued ahead of it');
      assert.equal(mostRunning, 2);
      assert.equal(submits().length, 5);
    });

    it('keeps jobs queued at the same moment in the order they were queued', async () => {
      const { queue } = harness.openWindow({ maxConcurrent: 0 });
      const records = await Promise.all(Array.from({ length: 8 }, () => queue.enqueue(REQUEST)));
      assert.deepEqual(queue.waitingIds(), records.map((record) => record.id));
    });

    it('starts waiting jobs at once when the limit is raised', async () => {
      const { queue, setLimit } = harness.openWindow({ maxConcurrent: 0 });
      const ids: string[] = [];
      for (let job = 0; job < 3; job++) ids.push((await queue.enqueue(REQUEST)).id);
      assert.deepEqual(queue.waitingIds(), ids);
      setLimit(2);
      assert.deepEqual(queue.waitingIds(), ids.slice(2));
      setLimit(3);
      assert.deepEqual(queue.waitingIds(), []);
      const settled = await Promise.all(ids.map((id) => queue.whenSettled(id)));
      assert.deepEqual(settled.map((record) => record.state), ['done', 'done', 'done']);
    });

    it('drops a cancelled queued job: no record, and it never reaches the provider', async () => {
      const { queue, setLimit } = harness.openWindow({ maxConcurrent: 0 });
      const { id } = await queue.enqueue(REQUEST);
      const removed = new Promise<void>((resolve) => queue.onDidChange((event) => event.type === 'removed' && event.id === id && resolve()));
      await queue.cancel(id);
      await removed;
      assert.equal(queue.get(id), undefined);
      assert.equal(await harness.store.get(id), undefined);
      assert.deepEqual((await readdir(harness.storeDir)).filter((name) => name.startsWith(id)), [], 'neither record nor claim is left');
      setLimit(1);
      assert.deepEqual(queue.waitingIds(), []);
      assert.deepEqual(emulator.requests, []);
    });

    for (const provider of ['fal-ai', 'replicate'] as const) {
      it(`cancels a running ${provider} job: it stops at the provider and leaves no file`, async () => {
        emulator.injectFault({ kind: 'never-finish', provider, stage: 'running' });
        const { queue } = harness.openWindow();
        const running = nextChange(queue, (record) => record.state === 'running');
        const { id } = await queue.enqueue({ ...REQUEST, provider });
        await running;
        await queue.cancel(id);
        const settled = await queue.whenSettled(id);
        assert.equal(settled.state, 'cancelled');
        assert.equal((await harness.store.get(id))?.state, 'cancelled');
        assert.equal(upstreamCancels().length, 1, 'the job was stopped at the provider');
        assert.deepEqual(await harness.videoFiles(), []);
      });

      it(`cancels a ${provider} job while its submit is on the way: it ends cancelled, and is stopped at the provider once answered`, async () => {
        // The submit is answered only after the user cancelled: the provider took the job meanwhile.
        emulator.injectFault({ kind: 'delay', provider, phase: 'submit', ms: 300 });
        const { queue } = harness.openWindow();
        const { id } = await queue.enqueue({ ...REQUEST, provider });
        await until(() => submits().length === 1, 'the submit reaches the provider');
        await queue.cancel(id);
        const settled = await queue.whenSettled(id);
        assert.equal(settled.state, 'cancelled');
        await until(() => upstreamCancels().length === 1, `the ${provider} job is stopped once its id is known`);
        assert.equal(submits().length, 1);
      });

      it(`suspends a running ${provider} job when the window closes: no upstream cancel, stored as running`, async () => {
        emulator.injectFault({ kind: 'never-finish', provider, stage: 'running' });
        const window = harness.openWindow();
        const closed = window.closeWhen((record) => record.state === 'running');
        const { id } = await window.queue.enqueue({ ...REQUEST, provider });
        await closed;
        const stored = await harness.store.get(id);
        assert.equal(stored?.state, 'running');
        assert.ok(stored.handle?.requestId, 'the handle to follow it again is stored');
        assert.deepEqual(upstreamCancels(), [], 'the job goes on at the provider');
      });
    }
  });

  describe('the seed', () => {
    const submittedSeed = () => (submits()[0].body as { seed?: unknown }).seed;

    it('is picked at random when the user gave none, stored from the start and sent', async () => {
      const record = await harness.run({ ...REQUEST, parameters: {} });
      assert.ok(Number.isInteger(record.seed));
      assert.equal(harness.saved[0].seed, record.seed, 'stored with the queued record');
      assert.equal(record.request.parameters.seed, record.seed);
      assert.equal(submittedSeed(), record.seed);
    });

    it('is the user’s own when given', async () => {
      const record = await harness.run({ ...REQUEST, parameters: { seed: 12345 } });
      assert.equal(record.seed, 12345);
      assert.equal(submittedSeed(), 12345);
    });
  });
});

