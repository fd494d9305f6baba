/**
 * "Copy as code": a generation as a program that makes it again — the official Python and JavaScript
 * clients, or curl — routed through the Hugging Face router with the token read from `HF_TOKEN`, never
 * its value. The official clients' own snippet templates (in @huggingface/inference) leave out the
 * parameters, the seed and the extras, and write the token into the code; these carry all of them.
 */
import { HfVideoError } from './errors';
import type { JobRecord } from './jobs/record';
import { baseBody, dropUndefined, renameSteps } from './providers/provider';
import type { ProviderChoice, ProviderName, VideoParameters } from './types';

export type SnippetLanguage = 'python' | 'javascript' | 'curl';

/** One generation as a snippet reproduces it: the provider that ran it and the seed it was made with. */
export interface SnippetJob {
  prompt: string;
  model: string;
  /** The provider that took the job; `auto` only for a generation that never reached one. */
  provider: ProviderChoice;
  /** The model id on the provider's side, known once the job was submitted. */
  providerId?: string;
  /** The task parameters as sent: the seed included, a list of negative prompts joined as the extension sends it. */
  parameters: VideoParameters;
  extra: Record<string, unknown>;
}

export function snippetJob(record: Pick<JobRecord, 'request' | 'provider' | 'providerId' | 'seed'>): SnippetJob {
  const { prompt, model, provider, parameters, extra } = record.request;
  const seed = record.seed ?? parameters.seed;
  const negative = parameters.negative_prompt;
  return {
    prompt,
    model,
    provider: record.provider ?? provider,
    providerId: record.providerId,
    parameters: dropUndefined({ ...parameters, negative_prompt: Array.isArray(negative) ? negative.join(', ') : negative, seed }) as VideoParameters,
    extra,
  };
}

export function snippetFor(language: SnippetLanguage, job: SnippetJob): string {
  switch (language) {
    case 'python':
      return pythonSnippet(job);
    case 'javascript':
      return javascriptSnippet(job);
    case 'curl':
      return curlSnippet(job);
  }
}

/** huggingface_hub's InferenceClient.text_to_video: the task parameters as arguments, the extras as `extra_body`. */
function pythonSnippet(job: SnippetJob): string {
  const args = [
    `    ${pyLiteral(job.prompt)},`,
    `    model=${pyLiteral(job.model)},`,
    ...Object.entries(job.parameters).map(([name, value]) => `    ${name}=${pyLiteral(value)},`),
    ...(Object.keys(job.extra).length ? [`    extra_body=${pyLiteral(job.extra, '    ')},`] : []),
  ];
  return [
    ...pythonNotes(job.provider).map((line) => `# ${line}`),
    'import os',
    '',
    'from huggingface_hub import InferenceClient',
    '',
    `client = InferenceClient(provider=${pyLiteral(job.provider)}, api_key=os.environ["HF_TOKEN"])`,
    '',
    'video = client.text_to_video(',
    ...args,
    ')',
    'with open("video.mp4", "wb") as file:',
    '    file.write(video)',
    '',
  ].join('\n');
}

/** Where huggingface_hub does not do what the extension did; said in the snippet rather than left to surprise. */
function pythonNotes(provider: ProviderChoice): string[] {
  switch (provider) {
    case 'replicate':
      return ['huggingface_hub waits at most 60 s for Replicate (Prefer: wait) and does not poll: a longer job raises TimeoutError.'];
    case 'novita':
      return ["huggingface_hub uses Novita's older synchronous route (/v3/hf/), which sends num_inference_steps unrenamed."];
    default:
      return [];
  }
}

/**
 * @huggingface/inference's textToVideo. The extras go with the task parameters: the client spreads both
 * into the provider's body, and there no extra can clash with the client's own arguments (provider, model…).
 */
function javascriptSnippet(job: SnippetJob): string {
  const args = {
    provider: job.provider,
    model: job.model,
    inputs: job.prompt,
    parameters: { ...job.extra, ...job.parameters },
  };
  return [
    'import { writeFile } from "node:fs/promises";',
    'import { InferenceClient } from "@huggingface/inference";',
    '',
    'const client = new InferenceClient(process.env.HF_TOKEN);',
    '',
    `const video = await client.textToVideo(${JSON.stringify(args, null, 2)});`,
    'await writeFile("video.mp4", Buffer.from(await video.arrayBuffer()));',
    '',
  ].join('\n');
}

/** How one provider's job is submitted through the router, followed and found, in curl and jq. */
interface CurlFlow {
  /** Path below the router, after `/{provider}`. */
  submitPath: string;
  body: unknown;
  headers?: string[];
  /** Shell lines that set `status_url` (and `result_url` where the video is fetched apart) from `$submitted`. */
  followUrls: string[];
  /** jq filter for the job's state in a status answer. */
  state: string;
  done: string;
  failed: string[];
  /** jq filter for the reason of a failure. */
  reason: string;
  /** jq filter for the video's address in the final answer. */
  video: string;
}

function curlFlow(provider: ProviderName, providerId: string, job: SnippetJob): CurlFlow {
  const body = baseBody({ providerId, hfModelId: job.model, prompt: job.prompt, parameters: job.parameters, extra: job.extra });
  const pathOf = (filter: string) => `$(jq -r '${filter}' <<<"$submitted" | sed -E 's#^https?://[^/]+##')`;
  switch (provider) {
    case 'fal-ai':
      return {
        submitPath: `/${providerId}?_subdomain=queue`,
        body,
        // fal keeps status and result under response_url's path, without the endpoint's sub-path.
        followUrls: [`job_url="$ROUTER/fal-ai${pathOf('.response_url')}"`, 'status_url="$job_url/status?_subdomain=queue"', 'result_url="$job_url?_subdomain=queue"'],
        state: '.status',
        done: 'COMPLETED',
        failed: ['FAILED', 'CANCELED', 'CANCELLED'],
        reason: '.error',
        video: '.video.url',
      };
    case 'replicate': {
      const [model, version] = providerId.split(':');
      return {
        submitPath: version ? '/v1/predictions' : `/v1/models/${model}/predictions`,
        body: version ? { input: body, version } : { input: body },
        headers: ['Prefer: wait'],
        followUrls: [`status_url="$ROUTER/replicate/v1/predictions/$(jq -r '.id' <<<"$submitted")"`],
        state: '.status',
        done: 'succeeded',
        failed: ['failed', 'canceled', 'aborted'],
        reason: '.error',
        video: '.output | if type == "array" then .[0] else . end',
      };
    }
    case 'novita':
      return {
        submitPath: `/v3/async/${providerId}`,
        body: renameSteps(body),
        followUrls: [`status_url="$ROUTER/novita/v3/async/task-result?task_id=$(jq -r '.task_id' <<<"$submitted")"`],
        state: '.task.status',
        done: 'TASK_STATUS_SUCCEED',
        failed: ['TASK_STATUS_FAILED', 'TASK_STATUS_CANCELED'],
        reason: '.task.reason',
        video: '.videos[0].video_url',
      };
    case 'wavespeed':
      return {
        submitPath: `/api/v3/${providerId}`,
        body,
        followUrls: [`status_url="$ROUTER/wavespeed${pathOf('.data.urls.get')}"`],
        state: '.data.status',
        done: 'completed',
        failed: ['failed'],
        reason: '.data.error',
        video: '.data.outputs[0]',
      };
    case 'together':
      return {
        submitPath: '/v2/videos',
        body: { ...renameSteps(body), model: providerId },
        followUrls: [`status_url="$ROUTER/together/v2/videos/$(jq -r '.id' <<<"$submitted")"`],
        state: '.status',
        done: 'completed',
        failed: ['failed'],
        reason: '.error.message',
        video: '.outputs.video_url',
      };
  }
}

/**
 * Every provider runs text-to-video as an asynchronous job, so one curl cannot make the video: the
 * script submits the job, polls its status until it ends, then downloads the video (without the token).
 */
function curlSnippet(job: SnippetJob): string {
  if (job.provider === 'auto' || !job.providerId) {
    throw new HfVideoError('invalidInput', 'Copy as curl needs the provider and its model id, which are known once the generation was submitted; copy it as Python or JavaScript instead, whose clients look them up.');
  }
  // Both go into shell code; a hand-edited sidecar could name anything.
  if (![job.model, job.providerId].every((id) => SAFE_ID.test(id))) {
    throw new HfVideoError('invalidInput', `Copy as curl cannot write the model id "${job.providerId}" of ${job.model} into a script safely.`);
  }
  const flow = curlFlow(job.provider, job.providerId, job);
  const headers = ['Content-Type: application/json', ...(flow.headers ?? [])].map((header) => ` -H '${header}'`).join('');
  return [
    '#!/usr/bin/env bash',
    `# ${job.model} on ${job.provider}, through the Hugging Face router. ${job.provider} runs the job asynchronously, so one curl`,
    '# cannot make the video: this submits it, polls its status until it ends, then downloads the video.',
    '# Needs curl and jq; reads your token from HF_TOKEN.',
    'set -euo pipefail',
    'ROUTER=https://router.huggingface.co',
    'auth=(-H "Authorization: Bearer $HF_TOKEN")',
    '',
    `submitted=$(curl -sSf -X POST "$ROUTER/${job.provider}${flow.submitPath}" "\${auth[@]}"${headers} --data-binary @- <<'JSON'`,
    JSON.stringify(flow.body, null, 2),
    'JSON',
    ')',
    ...flow.followUrls,
    '',
    'reply="$submitted"',
    'while :; do',
    `  case "$(jq -r '${flow.state}' <<<"$reply")" in`,
    `    ${flow.done}) break ;;`,
    `    ${flow.failed.join(' | ')}) echo "${job.provider} could not generate the video: $(jq -c '${flow.reason}' <<<"$reply")" >&2; exit 1 ;;`,
    '  esac',
    '  sleep 2',
    '  reply=$(curl -sSf "$status_url" "${auth[@]}")',
    'done',
    ...(flow.followUrls.some((line) => line.startsWith('result_url=')) ? ['reply=$(curl -sSf "$result_url" "${auth[@]}")'] : []),
    `video_url=$(jq -r '${flow.video}' <<<"$reply")`,
    '# The video is on the provider\'s CDN, which needs no token.',
    'curl -sSfL "$video_url" -o video.mp4',
    'echo "Saved video.mp4"',
    '',
  ].join('\n');
}

/** A model id as the Hub and the providers write them: `owner/name`, sub-paths, a Replicate `:version`. */
const SAFE_ID = /^[\w.-]+(\/[\w.:-]+)*$/;

/** A Python literal for a JSON value: JSON's own syntax except for true, false and null. */
function pyLiteral(value: unknown, indent = ''): string {
  const json = JSON.stringify(value, null, 4);
  // Outside strings only: the JSON is re-read token by token so a prompt saying "true" stays as written.
  return json.replace(/"(?:[^"\\]|\\.)*"|\btrue\b|\bfalse\b|\bnull\b/g, (token) => (token === 'true' ? 'True' : token === 'false' ? 'False' : token === 'null' ? 'None' : token)).replace(/\n/g, `\n${indent}`);
}
