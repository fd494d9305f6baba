// `npm run bench`: how the client's download and job following compare with plain baselines, in one run.
// Each memory measurement runs in a fresh child process, so one cannot inherit another's heap.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import { downloadVideo } from '../../src/core/download';
import { formatBytes } from '../../src/core/progressText';
import { HttpClient } from '../../src/core/http';
import type { JobRecord, JobRequest } from '../../src/core/jobs/record';
import type { ProgressEvent, ProviderName } from '../../src/core/types';
import { startEmulator } from '../emulator/server';
import { benchActivation } from './activationBench';
import { benchFollow } from './followBench';
import { benchQueue } from './queueBench';
import { JobHarness, PROVIDER_MODELS, type JobOptions } from '../jobHarness';

const LARGE_VIDEO_BYTES = 500 * 1024 * 1024;
const http = new HttpClient({ userAgent: 'hf-text-to-video-bench/1.0' });

type Mode = 'client' | 'whole' | 'plain';
interface Measurement {
  bytes: number;
  ms: number;
  peakRssGrowth: number;
}

/** Runs in a child: fetches the URL one way, sampling RSS every 5 ms. */
async function measure(mode: Mode, url: string): Promise<Measurement> {
  const folder = await mkdtemp(join(tmpdir(), 'hfv-bench-'));
  global.gc?.();
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const started = performance.now();
  let bytes = 0;
  const target = join(folder, 'video');
  if (mode === 'client') {
    bytes = (await downloadVideo(http, url, target, { signal: new AbortController().signal, report: () => undefined, service: 'bench' })).bytes;
  } else if (mode === 'plain') {
    const response = await request(url);
    await pipeline(response.body, createWriteStream(target));
    bytes = Number(response.headers['content-length']);
  } else {
    const whole = Buffer.from(await (await request(url)).body.arrayBuffer());
    bytes = whole.length;
    await writeFile(target, whole);
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await rm(folder, { recursive: true, force: true });
  return { bytes, ms, peakRssGrowth: peak - startRss };
}

/** Asynchronous on purpose: the emulator serving the child lives in this process's event loop. */
async function inChild(mode: Mode, url: string): Promise<Measurement> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', __filename, '--child', mode, url], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Measurement;
}

/** The median run of three (by time), so one noisy run does not decide a ratio. */
async function median(mode: Mode, url: string): Promise<Measurement> {
  const runs: Measurement[] = [];
  for (let run = 0; run < 3; run++) runs.push(await inChild(mode, url));
  return runs.sort((a, b) => a.ms - b.ms)[1];
}


async function main(): Promise<void> {
  // Not a multiple of the poll interval, so the figures show how late a poll notices completion.
  const queueMs = 700;
  const runMs = 1600;
  const emulator = await startEmulator({ videoBytes: LARGE_VIDEO_BYTES, queueMs, runMs, replicateWaitMs: 1000 });
  const lines: string[] = [];
  const print = (line = '') => {
    lines.push(line);
    console.log(line);
  };
  // Jobs as the extension runs them (record, store, runner), with the default 1 s poll setting.
  const runJob = async (harness: JobHarness, provider: ProviderName, options: JobOptions = {}): Promise<JobRecord> => {
    const request: Partial<JobRequest> = { prompt: 'bench', model: PROVIDER_MODELS[provider], provider };
    const record = await harness.run(request, { ...options, settings: { timeoutMinutes: 5, pollIntervalMs: 1000 } });
    if (record.state !== 'done') throw new Error(`The ${provider} job ended ${record.state}: ${record.failure?.message}`);
    return record;
  };
  try {
    print(`# Benchmarks (emulator on 127.0.0.1, video ${formatBytes(LARGE_VIDEO_BYTES)}, Node ${process.version})`);
    print();
    // A job gives us a CDN URL for the large video.
    const large = await JobHarness.create(emulator);
    const videoUrl = (await runJob(large, 'fal-ai')).videoUrl!;
    await large.dispose();

    const whole = await median('whole', videoUrl);
    const plain = await median('plain', videoUrl);
    const ours = await median('client', videoUrl);
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const throughput = (m: Measurement) => m.bytes / 1024 / 1024 / (m.ms / 1000);
    print('## Download of one large video (median of three runs, each in a fresh process)');
    print();
    print('| way | peak RSS growth (MB) | time (s) | throughput (MB/s) |');
    print('| --- | ---: | ---: | ---: |');
    for (const [name, m] of [['read whole into memory (official clients)', whole], ['plain undici stream to disk', plain], ['this client (stream, sniff, verify, rename)', ours]] as const) {
      print(`| ${name} | ${mb(m.peakRssGrowth)} | ${(m.ms / 1000).toFixed(2)} | ${throughput(m).toFixed(0)} |`);
    }
    print();
    print(`Memory: this client peaks at ${(ours.peakRssGrowth / whole.peakRssGrowth).toFixed(3)}× the memory of reading the video whole.`);
    print(`Throughput: this client runs at ${(throughput(ours) / throughput(plain)).toFixed(2)}× a plain undici stream to disk.`);
    print();

    // Small videos for the job-following figures.
    await emulator.close();
    const small = await startEmulator({ queueMs, runMs, replicateWaitMs: 1000 });
    print(`## Following a job (queue ${queueMs} ms, run ${runMs} ms, poll setting 1 s, first job of each model)`);
    print();
    print('| provider | completion → file ready (ms) | of which noticing completion (ms) | status requests per job |');
    print('| --- | ---: | ---: | ---: |');
    const harness = await JobHarness.create(small);
    for (const provider of Object.keys(PROVIDER_MODELS) as ProviderName[]) {
      small.reset();
      let firstDownload = 0;
      const onProgress = (event: ProgressEvent) => {
        if (event.phase === 'downloading' && !firstDownload) firstDownload = Date.now();
      };
      await runJob(harness, provider, { onProgress });
      const ready = Date.now();
      const submit = small.requests.find((entry) => entry.method === 'POST' && entry.path.startsWith(`/${provider}/`))!;
      const completedAt = submit.time + queueMs + runMs;
      const statusRequests = small.requests.filter((entry) => entry.method === 'GET' && entry.path.startsWith(`/${provider}/`)).length;
      print(`| ${provider} | ${ready - completedAt} | ${firstDownload - completedAt} | ${statusRequests} |`);
    }
    await harness.dispose();
    await small.close();
    print();
    await benchFollow(print);
    await benchQueue(print);
    await benchActivation(print);
    await mkdir('test-output', { recursive: true });
    await writeFile(join('test-output', 'bench.md'), lines.join('\n') + '\n');
  } finally {
    await emulator.close().catch(() => undefined);
  }
}

if (process.argv[2] === '--child') {
  measure(process.argv[3] as Mode, process.argv[4]).then(
    (result) => console.log(JSON.stringify(result)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
