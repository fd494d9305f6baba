import {
  baseBody,
  bearer,
  followUpUrl,
  malformed,
  pollUntil,
  providerFailed,
  readJob,
  submitJob,
  type ProviderAdapter,
  type ProviderCall,
  type ProviderJob,
  type ProviderOutput,
} from './provider';

const NAME = 'wavespeed';

interface WavespeedReply {
  code?: number;
  message?: string;
  data?: { id?: string; status?: string; outputs?: unknown[]; error?: string; urls?: { get?: string } };
}

/** WaveSpeedAI: submit, then poll `data.urls.get`. Its API has no way to cancel a prediction. */
export const wavespeed: ProviderAdapter = {
  name: NAME,
  directBaseUrl: 'https://api.wavespeed.ai',
  cancellable: false,
  authorization: bearer,

  async run(call: ProviderCall, job: ProviderJob): Promise<ProviderOutput> {
    const body = baseBody(job);
    if (job.lora) body.loras = [{ path: job.hfModelId, scale: 1 }];
    const data = checked(await submitJob<WavespeedReply>(call, `${call.baseUrl}/api/v3/${job.providerId}`, body));
    const id = data.id;
    call.report({ phase: 'submitted', provider: NAME, providerId: job.providerId, requestId: id });
    const resultUrl = followUpUrl(call, data.urls?.get ?? (id && `${call.baseUrl}/api/v3/predictions/${id}`), NAME, 'data.urls.get');

    const videoUrl = await pollUntil(call, async () => {
      const result = checked(await readJob<WavespeedReply>(call, resultUrl));
      switch (result.status) {
        case 'created':
          call.report({ phase: 'queued' });
          return undefined;
        case 'processing':
          call.report({ phase: 'running', logs: [] });
          return undefined;
        case 'completed': {
          const url = result.outputs?.[0];
          if (typeof url !== 'string') throw malformed(NAME, 'no output URL in the completed prediction');
          return url;
        }
        case 'failed':
          throw providerFailed(NAME, result.error);
        default:
          throw malformed(NAME, `unknown status "${String(result.status)}"`);
      }
    });
    return { videoUrl, requestId: id };
  },
};

/** WaveSpeed wraps every answer in `{code, message, data}`; a code other than 200 is a failure. */
function checked(reply: WavespeedReply): NonNullable<WavespeedReply['data']> {
  if (reply.code !== undefined && reply.code !== 200) throw providerFailed(NAME, reply.message);
  if (!reply.data) throw malformed(NAME, 'no data');
  return reply.data;
}
