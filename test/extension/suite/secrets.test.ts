import * as assert from 'node:assert/strict';
import { EMULATOR, TOKEN, activateAndSignIn, api, assertVideo, eventually, generate, generation, injectFault, resetEmulator } from '../helpers';

/** Servers that echo the Authorization header back: the token shows in no stored record. */
describe('secrets echoed by servers', function () {
  this.timeout(60_000);

  before(activateAndSignIn);
  beforeEach(async () => {
    await resetEmulator();
    const response = await fetch(`${EMULATOR}/__emulator/echo-authorization`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'true' });
    assert.equal(response.status, 200);
  });
  afterEach(resetEmulator);

  const assertNoToken = (text: string) => assert.ok(!text.includes(TOKEN) && !text.includes(encodeURIComponent(TOKEN)), `the token is in ${text}`);

  it('a failed generation keeps the server’s words, without the token', async () => {
    await injectFault({ kind: 'job-failed', provider: 'fal-ai' });
    const before = new Set((await api()).listGenerations().map((record) => record.id));
    // Not awaited: the command waits for its error notification, which no test can dismiss.
    void generate();
    const failed = await eventually('the generation to fail', async () => (await api()).listGenerations().find((record) => !before.has(record.id) && record.state === 'failed'));
    assert.match(failed.failure?.message ?? '', /received Authorization: Bearer \[redacted\]/);
    assertNoToken(JSON.stringify(failed));
  });

  it('a finished generation’s record holds no token, although the provider logged it', async () => {
    const result = await generate();
    assert.ok(result, 'generated');
    assertVideo(result.file);
    assertNoToken(JSON.stringify(generation(await api(), result.jobId)));
  });
});
