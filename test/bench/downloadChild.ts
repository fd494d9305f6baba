// Run by the download bench in a fresh process per measurement (`node --expose-gc downloadChild.js <way> <url>`),
// so no way inherits another's heap. Prints one JSON line: bytes, milliseconds, peak RSS growth.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import { downloadVideo } from '../../src/core/download';
import { HttpClient } from '../../src/core/http';

export const NODE_WAYS = ['client', 'plain', 'whole', 'receiveOnly'] as const;
export type NodeWay = (typeof NODE_WAYS)[number];

export interface Measurement {
  bytes: number;
  ms: number;
  /** Undefined where it could not be measured (curl without /usr/bin/time). */
  peakRssGrowth?: number;
}

/** Fetches the URL to a file one way, sampling RSS every 5 ms. */
async function measure(way: NodeWay, url: string): Promise<Measurement> {
  const folder = await mkdtemp(join(tmpdir(), 'hfv-bench-'));
  const target = join(folder, 'video');
  // In the extension the download follows the job's status requests, so undici's HTTP parser (WebAssembly,
  // compiled on first use) and its body code are warm; reading the first megabyte here does the same.
  await (await request(url, { headers: { range: 'bytes=0-1048575' } })).body.arrayBuffer();
  global.gc?.();
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  // rss() alone: the full memoryUsage() also walks the heap, which would slow every way measured.
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const started = performance.now();
  let bytes: number;
  if (way === 'client') {
    const http = new HttpClient({ userAgent: 'hf-text-to-video-bench/1.0' });
    bytes = (await downloadVideo(http, url, target, { signal: new AbortController().signal, report: () => undefined, service: 'bench' })).bytes;
  } else if (way === 'plain') {
    const response = await request(url);
    await pipeline(response.body, createWriteStream(target));
    bytes = Number(response.headers['content-length']);
  } else if (way === 'receiveOnly') {
    // Nothing written: how fast undici alone hands over the bytes, the ceiling of any client built on it.
    const response = await request(url);
    bytes = 0;
    for await (const chunk of response.body) bytes += (chunk as Buffer).length;
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

if (require.main === module) {
  measure(process.argv[2] as NodeWay, process.argv[3]).then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
