// Phase 2 of 3: starts a job that is still running at the provider when this extension host goes away.
// Phase 3 (restartAfter), in the next extension host, checks that it is resumed and arrives once.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EMULATOR, TOKEN, api, eventually, injectFault, resetEmulator, selectPrompt, submits } from '../helpers';

describe('before the extension host restarts', function () {
  this.timeout(60_000);

  before(function () {
    if (!EMULATOR || !TOKEN) this.skip();
  });

  it('leaves a submitted job running at the provider', async () => {
    const extension = await api();
    await resetEmulator();
    // Long enough to still be queued at the provider when the next extension host starts.
    await injectFault({ kind: 'slow-queue', provider: 'fal-ai', extraQueueMs: 8_000 });
    await selectPrompt();
    void vscode.commands.executeCommand('hfVideo.generateFromSelection');
    const job = await eventually('the job to be submitted', () => extension.listGenerations().find((record) => record.state === 'submitted' || record.state === 'running'));
    assert.ok(job.handle?.requestId, 'the request id is stored');
    assert.equal((await submits()).length, 1);
  });
});
