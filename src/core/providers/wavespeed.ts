import {
  baseBody,
  bearer,
  followJob,
  followUpUrl,
  handleUrl,
  malformed,
  providerFailed,
  requireVideoUrl,
  submitJob,
  type JobStatus,
  type ProviderAdapter,
  type ProviderCall,
  type ProviderHandle,
  type ProviderJob,
  type ProviderOutput,
} from './provider';

interface WavespeedReply {
  code?: number;
  message?: string;
  data?: { id?: string; status?: string; outputs?: unknown[]; error?: string; urls?: { get?: string } };
}

/** WaveSpeedAI: submit, then poll `data.urls.get`. Its API has no way to cancel a prediction. */
export const wavespeed: ProviderAdapter = {
  name: 'wavespeed',
  directBaseUrl: 'https://api.wavespeed.ai',
  authorization: bearer,

  async submit(call: ProviderCall, job: ProviderJob): Promise<ProviderHandle> {
    const body = baseBody(job);
    if (job.lora) body.loras = [{ path: job.hfModelId, scale: 1 }];
    const data = unwrap(call, await submitJob<WavespeedReply>(call, `${call.baseUrl}/api/v3/${job.providerId}`, body));
    const id = data.id;
    return { requestId: id, urls: { status: followUpUrl(call, data.urls?.get ?? (id && `${call.baseUrl}/api/v3/predictions/${id}`), 'data.urls.get') } };
  },

  async follow(call: ProviderCall, handle: ProviderHandle): Promise<ProviderOutput> {
    const outputs = await followJob(call, handleUrl(call, handle, 'status'), (reply: WavespeedReply) => predictionStatus(unwrap(call, reply)));
    return { videoUrl: requireVideoUrl(call, outputs, 'the completed prediction') };
  },
};

function predictionStatus(data: NonNullable<WavespeedReply['data']>): JobStatus<unknown[] | undefined> {
  switch (data.status) {
    case 'created':
      return { state: 'queued' };
    case 'processing':
      return { state: 'running' };
    case 'completed':
      return { state: 'done', result: data.outputs };
    case 'failed':
      return { state: 'failed', reason: data.error };
    default:
      return { state: 'unknown', status: data.status };
  }
}

/** WaveSpeed wraps every answer in `{code, message, data}`; a code other than 200 is a failure. */
function unwrap(call: ProviderCall, reply: WavespeedReply): NonNullable<WavespeedReply['data']> {
  if (reply.code !== undefined && reply.code !== 200) throw providerFailed(call.provider, reply.message);
  if (!reply.data) throw malformed(call.provider, 'no data');
  return reply.data;
}
