// Download throughput and memory: this client against a plain undici stream, reading the video whole and
// curl, for a large and a medium video. The emulator serves from its own process, so no measured way shares
// an event loop with the server, and every way (curl too) meets the same server.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { JobHarness, WAN21 } from '../jobHarness';
import { NODE_WAYS, type Measurement, type NodeWay } from './downloadChild';

const MB = 1024 * 1024;
/** Runs per way: the median decides, so one run disturbed by the shared machine does not. */
const SIZES = [
  { bytes: 500 * MB, runs: 5 },
  { bytes: 50 * MB, runs: 7 },
];
const GNU_TIME = '/usr/bin/time';

type Way = NodeWay | 'curl';
const WAY_NAMES: Record<Way, string> = {
  curl: 'curl -o file (reference)',
  client: 'this client (stream, sniff, verify, rename)',
  plain: 'plain undici stream to disk',
  whole: 'read whole into memory (official clients)',
  receiveOnly: 'undici receiving only, nothing written (ceiling for undici)',
};

const run = promisify(execFile);

export async function benchDownloads(print: (line?: string) => void): Promise<void> {
  const withCurl = await run('curl', ['--version']).then(
    () => true,
    () => false,
  );
  const ways: Way[] = withCurl ? ['curl', ...NODE_WAYS] : [...NODE_WAYS];
  for (const size of SIZES) {
    const emulator = await startEmulatorProcess(size.bytes);
    const folder = await mkdtemp(join(tmpdir(), 'hfv-bench-curl-'));
    try {
      const url = await videoUrl(emulator.url);
      const runs = new Map<Way, Measurement[]>(ways.map((way) => [way, []]));
      // Ways take turns run by run, so a busy moment on the machine does not fall on one way only, and the
      // order rotates: a way measured right after another wrote its file runs slower here, whoever it is.
      for (let index = 0; index < size.runs; index++) {
        const shift = index % ways.length;
        for (const way of [...ways.slice(shift), ...ways.slice(0, shift)]) {
          const measurement = way === 'curl' ? await curl(url, folder) : await inChild(way, url);
          if (measurement.bytes !== size.bytes) throw new Error(`${way} fetched ${measurement.bytes} bytes of ${size.bytes}`);
          runs.get(way)!.push(measurement);
        }
      }
      const medians = new Map([...runs].map(([way, measurements]) => [way, median(measurements)]));
      const curlRuns = runs.get('curl');
      print(`## Download of a ${size.bytes / MB} MB video (median of ${size.runs} runs per way, emulator in its own process)`);
      print();
      print('| way | throughput (MB/s) | × curl, same run (median, range) | peak RSS growth (MB) |');
      print('| --- | ---: | ---: | ---: |');
      for (const [way, m] of medians) {
        // Each run's ratio against curl's run of the same round: the shared machine's load drifts between
        // rounds, much less within one, so these ratios move far less than the throughputs do.
        const ratios = curlRuns ? runs.get(way)!.map((measurement, round) => throughput(measurement) / throughput(curlRuns[round])).sort((a, b) => a - b) : [];
        const ratio = ratios.length ? `${ratios[ratios.length >> 1].toFixed(2)} (${ratios[0].toFixed(2)}–${ratios.at(-1)!.toFixed(2)})` : '–';
        const memory = m.peakRssGrowth === undefined ? '–' : (m.peakRssGrowth / MB).toFixed(1);
        print(`| ${WAY_NAMES[way]} | ${throughput(m).toFixed(0)} | ${ratio} | ${memory} |`);
      }
      print();
      print(withCurl ? "curl's memory is its whole process's peak (GNU time), not growth." : 'curl is not on PATH: no reference to compare with.');
      print();
    } finally {
      await emulator.close();
      await rm(folder, { recursive: true, force: true });
    }
  }
}

/** The emulator CLI in a child process, serving videos of about `videoBytes`; jobs finish at once. */
async function startEmulatorProcess(videoBytes: number): Promise<{ url: string; close(): Promise<void> }> {
  const cli = join(__dirname, '..', 'emulator', 'cli.js');
  const child = spawn(process.execPath, [cli, '--video-bytes', String(videoBytes), '--queue-ms', '0', '--run-ms', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = once(child, 'exit');
  // The CLI prints its base URL as the first line once it listens.
  const firstLine = once(createInterface({ input: child.stdout }), 'line') as Promise<[string]>;
  const started = await Promise.race([firstLine, exited.then(() => undefined)]);
  if (!started) throw new Error('The emulator process stopped before it listened.');
  return {
    url: started[0],
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs one fal-ai job, as the extension would, for a CDN address of the video. */
async function videoUrl(emulatorUrl: string): Promise<string> {
  const harness = await JobHarness.create({ url: emulatorUrl });
  try {
    const record = await harness.run({ prompt: 'bench', model: WAN21, provider: 'fal-ai' }, { settings: { timeoutMinutes: 5 } });
    if (record.state !== 'done' || !record.videoUrl) throw new Error(`The bench job ended ${record.state}: ${record.failure?.message}`);
    return record.videoUrl;
  } finally {
    await harness.dispose();
  }
}

async function inChild(way: NodeWay, url: string): Promise<Measurement> {
  const { stdout } = await run(process.execPath, ['--expose-gc', join(__dirname, 'downloadChild.js'), way, url], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Measurement;
}

/** curl's own transfer time (like the children's, it leaves out process start); peak RSS through GNU time when present. */
async function curl(url: string, folder: string): Promise<Measurement> {
  const target = join(folder, 'video');
  const curlArgs = ['-s', '-o', target, '-w', '%{size_download} %{time_total}', url];
  const timed = existsSync(GNU_TIME);
  const { stdout, stderr } = timed ? await run(GNU_TIME, ['-f', '%M', 'curl', ...curlArgs]) : await run('curl', curlArgs);
  await rm(target, { force: true });
  const [bytes, seconds] = stdout.trim().split(' ').map(Number);
  const peakKilobytes = timed ? Number(stderr.trim().split('\n').pop()) : undefined;
  return { bytes, ms: seconds * 1000, peakRssGrowth: peakKilobytes === undefined ? undefined : peakKilobytes * 1024 };
}

function median(measurements: Measurement[]): Measurement {
  return [...measurements].sort((a, b) => a.ms - b.ms)[measurements.length >> 1];
}

function throughput(m: Measurement): number {
  return m.bytes / MB / (m.ms / 1000);
}
