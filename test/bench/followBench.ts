// How soon a finished job is noticed, and with how many status requests, side by side with the official
// `@huggingface/inference` client (a dev dependency used only here), against the emulator.
//
// Both clients are measured on the emulator's clock only: a job is done at its submit's arrival plus its
// planned queue and run time; it is noticed when the first request about it arrives after that moment (the
// status request that sees it done, or the result or video request that follows a stream event or a held
// submit). Status requests are the GETs about the job other than fal's result fetch; a status stream is one.
import { textToVideo } from '@huggingface/inference';
import type { ProviderName } from '../../src/core/types';
import { startEmulator } from '../emulator/server';
import type { Emulator, EmulatorOptions, RecordedRequest } from '../emulator/types';
import { JobHarness, PROVIDER_MODELS, TOKEN } from '../jobHarness';

const QUEUE_MS = 1000;
const RUN_MS = 2500;
/** Extra queue time per job: queues vary, so neither client's rhythm happens to fit every job. */
const EXTRA_QUEUE_MS = [0, 240, 80, 400, 160];


interface JobFigures {
  noticedAfterMs: number;
  statusRequests: number;
}

interface Row {
  label: string;
  provider: ProviderName;
  emulator: EmulatorOptions;
}

const ROWS: Row[] = [
  { label: 'fal-ai (status stream served)', provider: 'fal-ai', emulator: { routerServesStatusStream: true } },
  { label: 'fal-ai (status polled)', provider: 'fal-ai', emulator: {} },
  ...(['replicate', 'novita', 'wavespeed', 'together'] as const).map((provider) => ({ label: provider, provider, emulator: {} })),
];

export async function benchFollow(print: (line?: string) => void): Promise<void> {
  print(`## Noticing a finished job (queue ${QUEUE_MS}–${QUEUE_MS + Math.max(...EXTRA_QUEUE_MS)} ms, run ${RUN_MS} ms, median of ${EXTRA_QUEUE_MS.length} jobs each)`);
  print();
  print('| provider | noticed after (ms): official | this client | ratio | status requests per job: official | this client | ratio | this client, first job (ms, requests) |');
  print('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of ROWS) {
    const emulator = await startEmulator({ queueMs: QUEUE_MS, runMs: RUN_MS, ...row.emulator });
    try {
      const official = await runJobs(emulator, row.provider, () => officialJob(emulator, row.provider));
      const harness = await JobHarness.create(emulator);
      // One client for all the jobs, as one window runs them: what it learns from a job serves the next.
      const ours = await runJobs(emulator, row.provider, () => ourJob(harness, row.provider)).finally(() => harness.dispose());
      const latency = [median(official.map((job) => job.noticedAfterMs)), median(ours.map((job) => job.noticedAfterMs))];
      const requests = [median(official.map((job) => job.statusRequests)), median(ours.map((job) => job.statusRequests))];
      print(`| ${row.label} | ${latency[0]} | ${latency[1]} | ${ratio(latency)} | ${requests[0]} | ${requests[1]} | ${ratio(requests)} | ${ours[0].noticedAfterMs}, ${ours[0].statusRequests} |`);
    } finally {
      await emulator.close();
    }
  }
  print();
  print('Noticed after: from the moment the emulator finishes the job to the first request about it after that; ratio = this client ÷ official.');
  print('This client remembers how long the last job of a model took, so from the second job on it polls around that time; its first job has');
  print('nothing to go by. Replicate holds the submit until the job ends, for both clients: the gap there is this client storing the job before the download.');
  print();
}

/** Runs one job per extra queue time, each on a fresh emulator state, and reads its figures from the requests. */
async function runJobs(emulator: Emulator, provider: ProviderName, job: () => Promise<void>): Promise<JobFigures[]> {
  const figures: JobFigures[] = [];
  for (const extraQueueMs of EXTRA_QUEUE_MS) {
    emulator.reset();
    if (extraQueueMs) emulator.injectFault({ kind: 'slow-queue', provider, extraQueueMs });
    await job();
    figures.push(jobFigures(emulator.requests, provider, QUEUE_MS + extraQueueMs + RUN_MS));
  }
  return figures;
}

function jobFigures(requests: RecordedRequest[], provider: ProviderName, durationMs: number): JobFigures {
  const submit = requests.find((request) => request.method === 'POST' && request.path.startsWith(`/${provider}/`));
  if (!submit) throw new Error(`no ${provider} submit was received`);
  const doneAt = submit.time + durationMs;
  const noticing = requests.find((request) => request.time >= doneAt);
  if (!noticing) throw new Error(`no request about the ${provider} job came after it finished`);
  const statusRequests = requests.filter((request) => request.method === 'GET' && request.path.startsWith(`/${provider}/`) && !/\/requests\/[^/]+$/.test(request.path));
  return { noticedAfterMs: noticing.time - doneAt, statusRequests: statusRequests.length };
}

async function ourJob(harness: JobHarness, provider: ProviderName): Promise<void> {
  const record = await harness.run({ prompt: 'bench', model: PROVIDER_MODELS[provider], provider }, { settings: { timeoutMinutes: 5, pollIntervalMs: 1000 } });
  if (record.state !== 'done') throw new Error(`The ${provider} job ended ${record.state}: ${record.failure?.message}`);
}

/**
 * The official client's text-to-video cannot be given another router or Hub: `endpointUrl` switches it to
 * the hf-inference provider, which has no text-to-video, and its `fetch` option reaches only the submit and
 * the model lookup, while status requests and the download use the global `fetch`. So for its jobs the
 * global `fetch` sends Hugging Face's hosts to the emulator, which answers as both.
 */
async function officialJob(emulator: Emulator, provider: ProviderName): Promise<void> {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => realFetch(onEmulator(emulator, input), init);
  try {
    const video = await textToVideo({ accessToken: TOKEN, provider, model: PROVIDER_MODELS[provider], inputs: 'bench' });
    if (video.size === 0) throw new Error(`the official client got an empty ${provider} video`);
  } finally {
    globalThis.fetch = realFetch;
  }
}

function onEmulator(emulator: Emulator, input: Parameters<typeof fetch>[0]): Parameters<typeof fetch>[0] {
  const url = input instanceof Request ? input.url : String(input);
  const moved = url.replace(/^https:\/\/(router\.)?huggingface\.co(?=\/)/, emulator.url);
  if (moved === url) return input;
  return input instanceof Request ? new Request(moved, input) : moved;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function ratio([official, ours]: number[]): string {
  return official === 0 ? (ours === 0 ? '—' : '∞') : (ours / official).toFixed(2);
}
