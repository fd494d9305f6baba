// Provider file CDNs: the finished video, no credentials asked (the clients send none).
// Single byte ranges are honoured (206 + Content-Range, 416 past the end), as real CDNs do for video
// players, unless cdnIgnoresRanges: then 200 and the whole file.
import { errorReply } from './errors';
import { jobView } from './jobs';
import type { Provider } from './provider';
import type { EmulatorState } from './state';
import { withHeaders, type Reply } from './reply';

export const CDN_FILE_NAME = 'output.mp4';

export function cdnReply(state: EmulatorState, provider: Provider, jobId: string, method: string, rangeHeader: string | undefined): Reply {
  const job = state.jobs.get(provider.name, jobId);
  if (!job || jobView(job, state.options.now()).stage !== 'succeeded') return errorReply('cdn', 404, 'Not Found');
  const { video } = state;
  const ignoresRanges = state.options.cdnIgnoresRanges;
  const headers = { 'content-type': provider.videoContentType, ...(ignoresRanges ? {} : { 'accept-ranges': 'bytes' }), 'cache-control': 'public, max-age=3600' };
  const range = ignoresRanges ? undefined : parseRange(rangeHeader, video.length);
  if (range === 'unsatisfiable') return withHeaders(errorReply('cdn', 416, 'Range Not Satisfiable'), { 'content-range': `bytes */${video.length}` });
  const [start, end] = range ?? [0, video.length - 1];
  const partial: Record<string, string> = range ? { 'content-range': `bytes ${start}-${end}/${video.length}` } : {};
  return { status: range ? 206 : 200, headers: { ...headers, ...partial }, body: video.range(start, end), omitBody: method === 'HEAD' };
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n`; anything else (multiple ranges too) serves the whole file. */
function parseRange(header: string | undefined, length: number): [number, number] | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [start, end] = match[1] === '' ? [length - Number(match[2]), length - 1] : [Number(match[1]), match[2] === '' ? length - 1 : Number(match[2])];
  if (start >= length || start > end) return 'unsatisfiable';
  return [Math.max(0, start), Math.min(end, length - 1)];
}
