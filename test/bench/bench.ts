// `npm run bench`: how the client's download and job following compare with baselines, in one run.
// One section per function; each prints its own table.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobRecord, JobRequest } from '../../src/core/jobs/record';
import type { ProgressEvent, ProviderName } from '../../src/core/types';
import { startEmulator } from '../emulator/server';
import { benchActivation } from './activationBench';
import { benchDownloads } from './downloadBench';
import { benchFollow } from './followBench';
import { benchQueue } from './queueBench';
import { JobHarness, PROVIDER_MODELS, type JobOptions } from '../jobHarness';

async function main(): Promise<void> {
  const lines: string[] = [];
  const print = (line = '') => {
    lines.push(line);
    console.log(line);
  };
  print(`# Benchmarks (emulator on 127.0.0.1, Node ${process.version})`);
  print();
  await benchDownloads(print);
  await benchFollowing(print);
  await benchFollow(print);
  await benchQueue(print);
  await benchActivation(print);
  await mkdir('test-output', { recursive: true });
  await writeFile(join('test-output', 'bench.md'), lines.join('\n') + '\n');
}

/** Jobs as the extension runs them (record, store, runner), with the real clients' 1 s poll. */
async function benchFollowing(print: (line?: string) => void): Promise<void> {
  // Not a multiple of the poll interval, so the figures show how late a poll notices completion.
  const queueMs = 700;
  const runMs = 1600;
  const runJob = async (harness: JobHarness, provider: ProviderName, options: JobOptions = {}): Promise<JobRecord> => {
    const request: Partial<JobRequest> = { prompt: 'bench', model: PROVIDER_MODELS[provider], provider };
    const record = await harness.run(request, { ...options, settings: { timeoutMinutes: 5, pollIntervalMs: 1000 } });
    if (record.state !== 'done') throw new Error(`The ${provider} job ended ${record.state}: ${record.failure?.message}`);
    return record;
  };
  const small = await startEmulator({ queueMs, runMs, replicateWaitMs: 1000 });
  const harness = await JobHarness.create(small);
  try {
    print(`## Following a job (queue ${queueMs} ms, run ${runMs} ms, poll setting 1 s, first job of each model)`);
    print();
    print('| provider | completion → file ready (ms) | of which noticing completion (ms) | status requests per job |');
    print('| --- | ---: | ---: | ---: |');
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
    print();
  } finally {
    await harness.dispose();
    await small.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
