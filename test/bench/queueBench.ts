// The job queue under load: many jobs at a fixed concurrency against the emulator, every one landing, with
// the wall time compared with the ideal (jobs in waves of `concurrency`) and the peak memory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from '../../src/core/http';
import { JobQueue } from '../../src/core/jobs/queue';
import { isActive } from '../../src/core/jobs/record';
import { JobRunner } from '../../src/core/jobs/runner';
import { FileJobStore } from '../../src/core/jobs/store';
import { VideoClient } from '../../src/core/videoClient';
import { startEmulator } from '../emulator/server';

const JOBS = 20;
const CONCURRENCY = 4;
const QUEUE_MS = 300;
const RUN_MS = 700;
const POLL_MS = 100;

export async function benchQueue(print: (line?: string) => void): Promise<void> {
  const emulator = await startEmulator({ queueMs: QUEUE_MS, runMs: RUN_MS });
  const folder = await mkdtemp(join(tmpdir(), 'hfv-bench-queue-'));
  try {
    const queue = new JobQueue(new FileJobStore(join(folder, 'jobs')), new JobRunner(new VideoClient(new HttpClient({ userAgent: 'hf-text-to-video-bench/1.0' }))), {
      maxConcurrent: () => CONCURRENCY,
      environment: async () => ({
        settings: { routerUrl: emulator.url, hubUrl: emulator.url, timeoutMinutes: 5, pollIntervalMs: POLL_MS },
        credentials: { hfToken: 'hf_emulator_token' },
        videosDir: join(folder, 'videos'),
        resultRetentionHours: 24,
      }),
      log: () => undefined,
    });
    const running = new Set<string>();
    let mostRunning = 0;
    queue.onDidChange((event) => {
      if (event.type !== 'changed') return;
      if (isActive(event.record) && event.record.state !== 'queued') running.add(event.record.id);
      else running.delete(event.record.id);
      mostRunning = Math.max(mostRunning, running.size);
    });
    global.gc?.();
    const startRss = process.memoryUsage().rss;
    let peakRss = startRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
    const started = performance.now();
    const records = await Promise.all(
      Array.from({ length: JOBS }, (_, index) => queue.enqueue({ prompt: `bench ${index}`, model: 'Wan-AI/Wan2.1-T2V-14B', provider: 'fal-ai', parameters: {}, extra: {} })),
    );
    const settled = await Promise.all(records.map((record) => queue.whenSettled(record.id)));
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    queue.dispose();
    const landed = settled.filter((record) => record.state === 'done').length;
    const submits = emulator.requests.filter((request) => request.method === 'POST' && request.path.startsWith('/fal-ai/')).length;
    // Each wave of CONCURRENCY jobs needs at least the provider's queue and run time.
    const idealSeconds = (Math.ceil(JOBS / CONCURRENCY) * (QUEUE_MS + RUN_MS)) / 1000;
    print(`## ${JOBS} jobs through the queue at concurrency ${CONCURRENCY} (queue ${QUEUE_MS} ms, run ${RUN_MS} ms, poll ${POLL_MS} ms)`);
    print();
    print('| jobs landed | submits | most running at once | wall time (s) | ideal (s) | wall / ideal | peak RSS growth (MB) |');
    print('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    print(`| ${landed} of ${JOBS} | ${submits} | ${mostRunning} | ${seconds.toFixed(2)} | ${idealSeconds.toFixed(2)} | ${(seconds / idealSeconds).toFixed(2)} | ${((peakRss - startRss) / 1024 / 1024).toFixed(1)} |`);
    print();
    if (landed !== JOBS || submits !== JOBS || mostRunning > CONCURRENCY) throw new Error('the queue bench did not land every job exactly once within the limit');
  } finally {
    await emulator.close();
    await rm(folder, { recursive: true, force: true });
  }
}
