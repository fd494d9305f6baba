// Phase 3 of 3: a new extension host finds the job phase 2 left running and finishes it without submitting it again.
import * as assert from 'node:assert/strict';
import { EMULATOR, TOKEN, api, assertVideo, emulatorRequests, eventually, submits } from '../helpers';

describe('after the extension host restarted', function () {
  this.timeout(60_000);

  before(function () {
    if (!EMULATOR || !TOKEN) this.skip();
  });

  it('resumes the job from its request id and downloads the video, with exactly one submit', async () => {
    const extension = await api();
    await extension.whenResumed();
    const [resumed] = extension.listGenerations();
    assert.ok(resumed, 'the job is in the history');
    const done = await eventually('the resumed job to finish', () => extension.listGenerations().find((record) => record.id === resumed.id && record.state === 'done' && record));
    assertVideo(done.file!);
    assert.equal((await submits()).length, 1, 'submitted once, before the restart');
    const statusAfterRestart = (await emulatorRequests()).filter((request) => request.method === 'GET' && request.path.includes(`/requests/${done.handle!.requestId}/status`));
    assert.ok(statusAfterRestart.length > 0, 'followed from the stored request id');
  });
});
