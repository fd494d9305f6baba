import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { HfVideoError } from '../../src/core/errors';
import type { JobRequest } from '../../src/core/jobs/record';
import { snippetFor, snippetJob } from '../../src/core/snippets';
import { PROVIDERS, type ProviderName } from '../../src/core/types';
import { startEmulator } from '../emulator/server';
import type { Emulator, RecordedRequest } from '../emulator/types';
import { JobHarness, PROVIDER_MODELS, TOKEN } from '../jobHarness';
import { REPO_ROOT } from '../testOutput';

const run = promisify(execFile);

/** Every kind of value a snippet has to carry: each task parameter, a list of negative prompts, an extra. */
function requestFor(provider: ProviderName): Partial<JobRequest> {
  return {
    // Quotes, a Python keyword and what a shell would expand: each must reach the provider as written.
    prompt: 'A lighthouse keeper says "true" at dusk, it\'s 50% fog, $HOME `date` $(date)\nsecond line',
    model: PROVIDER_MODELS[provider],
    provider,
    parameters: { num_frames: 33, guidance_scale: 5.5, negative_prompt: ['blurry', 'watermark'], num_inference_steps: 12, seed: 4242 },
    extra: { resolution: '480p', enable_safety_checker: false },
  };
}

function submitOf(requests: RecordedRequest[], provider: ProviderName): RecordedRequest {
  const submit = requests.find((request) => request.method === 'POST' && request.path.startsWith(`/${provider}/`));
  if (!submit) throw new Error(`no ${provider} submit was received`);
  return submit;
}

/**
 * Runs the JavaScript snippet as a user would, with the official client; Hugging Face's hosts are sent
 * to the emulator through the global fetch, which the client uses for every request.
 */
async function runJavaScript(emulator: Emulator, snippet: string, folder: string): Promise<void> {
  const file = join(folder, 'snippet.mjs');
  await writeFile(file, snippet);
  const realFetch = globalThis.fetch;
  const cwd = process.cwd();
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const moved = url.replace(/^https:\/\/(router\.)?huggingface\.co(?=\/)/, emulator.url);
    return realFetch(moved === url ? input : input instanceof Request ? new Request(moved, input) : moved, init);
  };
  process.env.HF_TOKEN = TOKEN;
  process.chdir(folder);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    process.chdir(cwd);
    globalThis.fetch = realFetch;
    delete process.env.HF_TOKEN;
  }
}

/** Runs the curl script with the router's address pointed at the emulator; everything else as written. */
async function runCurl(emulator: Emulator, snippet: string, folder: string): Promise<void> {
  const script = snippet.replace(/^ROUTER=https:\/\/router\.huggingface\.co$/m, `ROUTER=${emulator.url}`);
  assert.notEqual(script, snippet, 'the script names the router in one place');
  const file = join(folder, 'snippet.sh');
  await writeFile(file, script);
  await run('bash', [file], { cwd: folder, env: { ...process.env, HF_TOKEN: TOKEN } });
}

describe('copy as code', function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let harness: JobHarness;
  let folder: string;

  before(async () => {
    emulator = await startEmulator({ queueMs: 50, runMs: 100 });
    // Under the repository, so that the snippet's import finds @huggingface/inference in node_modules.
    await mkdir(join(REPO_ROOT, 'out'), { recursive: true });
  });
  after(() => emulator.close());
  beforeEach(async () => {
    emulator.reset();
    harness = await JobHarness.create(emulator);
    folder = await mkdtemp(join(REPO_ROOT, 'out', 'snippet-'));
  });
  afterEach(async () => {
    await harness.dispose();
    await rm(folder, { recursive: true, force: true });
  });

  for (const provider of PROVIDERS) {
    it(`JavaScript and curl send the body the extension sent, ${provider}`, async () => {
      const record = await harness.run(requestFor(provider));
      assert.equal(record.state, 'done', record.failure?.message);
      const sent = submitOf(emulator.requests, provider);
      const job = snippetJob(record);

      emulator.reset();
      await runJavaScript(emulator, snippetFor('javascript', job), folder);
      const javascript = submitOf(emulator.requests, provider);
      assert.equal(javascript.path, sent.path);
      assert.deepEqual(javascript.body, sent.body);
      assert.ok(existsSync(join(folder, 'video.mp4')));
      await rm(join(folder, 'video.mp4'));

      emulator.reset();
      await runCurl(emulator, snippetFor('curl', job), folder);
      const curl = submitOf(emulator.requests, provider);
      assert.equal(curl.path, sent.path);
      assert.deepEqual(curl.body, sent.body);
      assert.equal(curl.headers.authorization, 'Bearer [redacted]');
      assert.ok(existsSync(join(folder, 'video.mp4')));
    });
  }

  it('Python calls text_to_video with the same values', async function () {
    const python = await run('python3', ['--version']).then(
      () => true,
      () => false,
    );
    if (!python) this.skip();
    const record = { request: requestFor('fal-ai') as JobRequest, provider: 'fal-ai' as const, providerId: 'fal-ai/wan-t2v', seed: 4242 };
    const snippet = snippetFor('python', snippetJob(record));
    // Python reads its own syntax: every argument of the call, as the values Python would pass.
    const reader = [
      'import ast, json, sys',
      'tree = ast.parse(sys.stdin.read())',
      'calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("text_to_video", "InferenceClient")]',
      'out = {}',
      'for call in calls:',
      '    out.update({k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg != "api_key"})',
      '    out.update({"positional": [ast.literal_eval(a) for a in call.args]} if call.args else {})',
      'print(json.dumps(out))',
    ].join('\n');
    const child = run('python3', ['-c', reader]);
    child.child.stdin!.end(snippet);
    const values = JSON.parse((await child).stdout) as Record<string, unknown>;
    assert.deepEqual(values, {
      provider: 'fal-ai',
      positional: [record.request.prompt],
      model: record.request.model,
      num_frames: 33,
      guidance_scale: 5.5,
      negative_prompt: 'blurry, watermark',
      num_inference_steps: 12,
      seed: 4242,
      extra_body: { resolution: '480p', enable_safety_checker: false },
    });
    assert.match(snippet, /api_key=os\.environ\["HF_TOKEN"\]/);
  });

  it('never holds the token, only its variable', () => {
    const record = { request: requestFor('replicate') as JobRequest, provider: 'replicate' as const, providerId: 'wavespeedai/wan-2.1-t2v-480p', seed: 7 };
    for (const language of ['python', 'javascript', 'curl'] as const) {
      const snippet = snippetFor(language, snippetJob(record));
      assert.doesNotMatch(snippet, /hf_[A-Za-z0-9]/, language);
      assert.match(snippet, /HF_TOKEN/, language);
    }
  });

  it('reproduces the seed the video was made with, which the provider may have reported', () => {
    const record = { request: requestFor('fal-ai') as JobRequest, provider: 'fal-ai' as const, providerId: 'fal-ai/wan-t2v', seed: 99 };
    assert.equal(snippetJob(record).parameters.seed, 99);
  });

  it('says what each client does differently from the extension', () => {
    const notes = (provider: ProviderName) => snippetFor('python', snippetJob({ request: requestFor(provider) as JobRequest, provider, providerId: 'x/y', seed: 1 })).split('\n').filter((line) => line.startsWith('#'));
    assert.match(notes('replicate').join(' '), /60 s/);
    assert.match(notes('novita').join(' '), /synchronous/);
    assert.deepEqual(notes('fal-ai'), []);
  });

  it('refuses curl for a model id that is not one, which would otherwise run in the shell', () => {
    const record = { request: requestFor('fal-ai') as JobRequest, provider: 'fal-ai' as const, providerId: 'fal-ai/wan$(touch pwned)', seed: 1 };
    assert.throws(() => snippetFor('curl', snippetJob(record)), HfVideoError);
  });

  it('refuses curl for a generation whose provider was never chosen', () => {
    const record = { request: { ...requestFor('fal-ai'), provider: 'auto' } as JobRequest, seed: 1 };
    assert.throws(() => snippetFor('curl', snippetJob(record)), (error: unknown) => error instanceof HfVideoError && /Python or JavaScript/.test(error.message));
    assert.match(snippetFor('javascript', snippetJob(record)), /"provider": "auto"/);
  });
});
