import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newJobRecord, type JobRecord } from '../../src/core/jobs/record';
import { pruneUnsaved, removeStrayPartials } from '../../src/core/jobs/storageBudget';

const HOUR = 60 * 60 * 1000;

describe('storage budget', () => {
  let videosDir: string;
  beforeEach(async () => {
    videosDir = await mkdtemp(join(tmpdir(), 'hfv-videos-'));
  });
  afterEach(() => rm(videosDir, { recursive: true, force: true }));

  /** A finished job whose video of `bytes` bytes is in storage, finished at `finishedAt`. */
  function video(name: string, bytes: number, finishedAt: string, changes: Partial<JobRecord> = {}): JobRecord {
    const record = newJobRecord({ prompt: name, model: 'org/model', provider: 'auto', parameters: {}, extra: {} }, new Date('2026-01-01T00:00:00Z'));
    return { ...record, id: name, state: 'done', file: join(videosDir, `${name}.mp4`), bytes, timings: { ...record.timings, finishedAt }, ...changes };
  }

  /** Runs pruneUnsaved with a removeFile that only records what it was asked to remove. */
  async function prune(records: JobRecord[], limitBytes: number) {
    const removedFiles: string[] = [];
    const removedIds = await pruneUnsaved(records, limitBytes, async (path) => {
      removedFiles.push(path);
    });
    return { removedIds, removedFiles };
  }

  it('removes the oldest unsaved videos until the rest fit the budget', async () => {
    const records = [
      video('newest', 300, '2026-03-03T00:00:00Z'),
      video('oldest', 300, '2026-03-01T00:00:00Z'),
      video('middle', 300, '2026-03-02T00:00:00Z'),
    ];
    assert.deepEqual((await prune(records, 900)).removedIds, []);
    assert.deepEqual((await prune(records, 700)).removedIds, ['oldest']);
    const { removedIds, removedFiles } = await prune(records, 300);
    assert.deepEqual(removedIds, ['oldest', 'middle']);
    assert.deepEqual(removedFiles, [join(videosDir, 'oldest.mp4'), join(videosDir, 'middle.mp4')]);
  });

  it('orders by when the job finished, or was created when it has no finish time', async () => {
    const unfinished = video('created-early', 100, '', { timings: { createdAt: '2026-02-01T00:00:00Z' } });
    const records = [video('finished-late', 100, '2026-03-01T00:00:00Z'), unfinished];
    assert.deepEqual((await prune(records, 100)).removedIds, ['created-early']);
  });

  it('never touches saved videos, unfinished jobs or anything the records do not name', async () => {
    const records = [
      video('saved', 10_000, '2026-01-01T00:00:00Z', { savedFiles: [join(videosDir, 'elsewhere.mp4')] }),
      video('failed', 10_000, '2026-01-01T00:00:00Z', { state: 'failed' }),
      video('no-file', 10_000, '2026-01-01T00:00:00Z', { file: undefined }),
      video('unsaved', 500, '2026-02-01T00:00:00Z'),
    ];
    const { removedIds, removedFiles } = await prune(records, 0);
    assert.deepEqual(removedIds, ['unsaved']);
    assert.deepEqual(removedFiles, [join(videosDir, 'unsaved.mp4')]);
  });

  it('removes every unsaved video at a zero budget, from disk', async () => {
    const records = [video('a', 3, '2026-03-01T00:00:00Z'), video('b', 3, '2026-03-02T00:00:00Z'), video('kept', 3, '2026-03-03T00:00:00Z', { savedFiles: ['x'] })];
    await Promise.all(records.map((record) => writeFile(record.file!, 'abc')));
    const removed = await pruneUnsaved(records, 0, (path) => rm(path));
    assert.deepEqual(removed, ['a', 'b']);
    assert.deepEqual(await readdir(videosDir), ['kept.mp4']);
  });

  it('goes on with the next video when one cannot be removed', async () => {
    const records = [video('in-use', 300, '2026-03-01T00:00:00Z'), video('next', 300, '2026-03-02T00:00:00Z'), video('last', 300, '2026-03-03T00:00:00Z')];
    const removed = await pruneUnsaved(records, 300, async (path) => {
      if (path.includes('in-use')) throw Object.assign(new Error('busy'), { code: 'EBUSY' });
    });
    assert.deepEqual(removed, ['next', 'last']);
  });

  describe('stray partial downloads', () => {
    /** A file in the videos folder, last written `ageMs` ago. */
    async function file(name: string, ageMs: number): Promise<void> {
      await writeFile(join(videosDir, name), 'bytes');
      const time = new Date(Date.now() - ageMs);
      await utimes(join(videosDir, name), time, time);
    }

    it('removes old .part files and nothing else', async () => {
      await file('crashed.1a2b3c.part', 3 * HOUR);
      await file('downloading.4d5e6f.part', 60_000);
      await file('old-video.mp4', 30 * 24 * HOUR);
      await file('old.part.json', 3 * HOUR);
      await mkdir(join(videosDir, 'folder.part'));
      const removed = await removeStrayPartials(videosDir, HOUR);
      assert.deepEqual(removed, [join(videosDir, 'crashed.1a2b3c.part')]);
      assert.deepEqual((await readdir(videosDir)).sort(), ['downloading.4d5e6f.part', 'folder.part', 'old-video.mp4', 'old.part.json']);
    });

    it('finds nothing to do in a folder that does not exist yet', async () => {
      assert.deepEqual(await removeStrayPartials(join(videosDir, 'missing'), HOUR), []);
    });
  });
});
