import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HfVideoApi } from '../../../src/extension';
import type { VideoToolInput } from '../../../src/vscode/videoTool';
import { WORKSPACE, activateAndSignIn, emulatorRequests, api, assertVideo, eventually, injectFault, resetEmulator, submits } from '../helpers';

const TOOL = 'hfVideo_generateVideo';

/** vscode.lm.invokeTool as an agent calls it, outside a chat. */
function invokeTool(input: Partial<VideoToolInput> | Record<string, unknown>): Promise<vscode.LanguageModelToolResult> {
  return Promise.resolve(vscode.lm.invokeTool(TOOL, { input, toolInvocationToken: undefined }));
}

function text(result: vscode.LanguageModelToolResult): string {
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

describe('the language model tool', function () {
  this.timeout(60_000);
  let extension: HfVideoApi;
  let tool: vscode.LanguageModelTool<VideoToolInput>;

  before(activateAndSignIn);
  before(async () => {
    extension = await api();
    tool = extension.videoTool as vscode.LanguageModelTool<VideoToolInput>;
  });

  beforeEach(resetEmulator);

  it('is registered with vscode.lm, taking a prompt and the optional values', () => {
    const info = vscode.lm.tools.find((candidate) => candidate.name === TOOL);
    assert.ok(info, 'listed in vscode.lm.tools');
    const schema = info.inputSchema as { required: string[]; properties: Record<string, unknown> };
    assert.deepEqual(schema.required, ['prompt']);
    assert.deepEqual(Object.keys(schema.properties).sort(), ['model', 'negative_prompt', 'num_frames', 'preset', 'prompt', 'provider', 'seed']);
  });

  it('refuses bad input through vscode.lm.invokeTool with the commands’ messages, before asking the user or sending anything', async () => {
    await assert.rejects(invokeTool({ prompt: 'a fox', num_frames: 5000 }), /The num_frames chosen for this run must be a whole number from 1 to 1000, not 5000\./);
    await assert.rejects(invokeTool({ prompt: '   ' }), /The prompt is empty/);
    await assert.rejects(invokeTool({ prompt: 'a fox', preset: 'no-such-preset' }), /Unknown preset "no-such-preset"/);
    await assert.rejects(invokeTool({ prompt: 'a fox', provider: 'nope' }), /provider chosen for this run/);
    assert.deepEqual(await submits(), [], 'nothing was submitted');
  });

  it('asks for consent naming the prompt, model, provider and the credits it uses', async () => {
    const prepared = await tool.prepareInvocation!({ input: { prompt: 'A lantern in the fog', model: 'Lightricks/LTX-Video', provider: 'fal-ai' } }, new vscode.CancellationTokenSource().token);
    assert.ok(prepared?.confirmationMessages, 'a confirmation is asked for');
    const message = prepared.confirmationMessages.message;
    // As the user reads it: Markdown's escapes undone.
    const body = (typeof message === 'string' ? message : message.value).replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    for (const expected of ['A lantern in the fog', 'Lightricks/LTX-Video', 'fal-ai', 'credits']) assert.ok(body.includes(expected), `the confirmation says ${expected}: ${body}`);
  });

  it('generates in the queue, saves the video and its sidecar into the workspace, and returns the path and a summary', async () => {
    const result = await tool.invoke({ input: { prompt: 'A lantern swinging in the fog', seed: 1234, num_frames: 9, negative_prompt: 'blurry' }, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
    assert.ok(result);
    const summary = text(result);
    const relative = /Saved the video to (\S+\.mp4)/.exec(summary)?.[1];
    assert.ok(relative, `the summary names the saved video: ${summary}`);
    const saved = join(WORKSPACE, relative);
    assertVideo(saved);
    assert.ok(relative.startsWith('videos/'), relative);
    const sidecar = JSON.parse(readFileSync(saved.replace(/\.mp4$/, '.json'), 'utf8')) as { request: { prompt: string; parameters: { seed: number; num_frames: number } } };
    assert.equal(sidecar.request.prompt, 'A lantern swinging in the fog');
    assert.equal(sidecar.request.parameters.num_frames, 9);
    for (const expected of ['seed: 1234', 'num_frames 9', 'negative_prompt "blurry"', 'Wan-AI/Wan2.1-T2V-14B', 'fal-ai']) assert.ok(summary.includes(expected), `the summary says ${expected}: ${summary}`);
    const [submit] = await submits();
    assert.deepEqual([(submit.body as { seed: number }).seed, (submit.body as { num_frames: number }).num_frames], [1234, 9]);
    assert.ok(extension.listGenerations().some((record) => record.request.source?.kind === 'tool' && record.savedFiles.includes(saved)), 'a job of the history, like the commands’');
  });

  it('stops the job when the caller cancels, leaving no video in the workspace', async () => {
    await injectFault({ kind: 'never-finish', provider: 'fal-ai' });
    const videosBefore = existsSync(join(WORKSPACE, 'videos')) ? readdirSync(join(WORKSPACE, 'videos')).length : 0;
    const cancellation = new vscode.CancellationTokenSource();
    const running = tool.invoke({ input: { prompt: 'A storm that never ends' }, toolInvocationToken: undefined }, cancellation.token);
    await eventually('the job is submitted', async () => (await submits()).length === 1);
    cancellation.cancel();
    await assert.rejects(Promise.resolve(running), (error: unknown) => error instanceof vscode.CancellationError);
    const record = extension.listGenerations().find((candidate) => candidate.request.prompt === 'A storm that never ends');
    assert.equal(record?.state, 'cancelled');
    assert.equal(existsSync(join(WORKSPACE, 'videos')) ? readdirSync(join(WORKSPACE, 'videos')).length : 0, videosBefore);
    await eventually('fal was asked to cancel the job', async () => (await emulatorRequests()).some((request) => request.method === 'PUT' && request.path.endsWith('/cancel')));
  });
});
