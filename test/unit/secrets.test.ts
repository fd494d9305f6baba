// Secrets never leave as text: the redactor itself, and whole generations against an emulator that
// echoes the Authorization header back in every kind of answer.
import * as assert from 'node:assert/strict';
import { REDACTED, SecretRedactor, redactCredentialPatterns } from '../../src/core/secretRedactor';
import type { ProviderName } from '../../src/core/types';
import type { Credentials } from '../../src/core/videoClient';
import { startEmulator } from '../emulator/server';
import { PROVIDERS, type Emulator, type Fault } from '../emulator/types';
import { JobHarness, TOKEN, WAN21 } from '../jobHarness';

describe('secrets', () => {
  describe('the redactor', () => {
    it('removes stored values exactly and URL-encoded, whatever they look like', () => {
      const redactor = new SecretRedactor();
      redactor.setSecrets(['plain words key', undefined, '']);
      assert.equal(redactor.redact('got "plain words key" and plain%20words%20key'), `got "${REDACTED}" and ${REDACTED}`);
      redactor.setSecrets([]);
      assert.equal(redactor.redact('plain words key'), 'plain words key', 'a removed secret is shown again');
    });

    it('adds a job’s own values without changing the shared one', () => {
      const shared = new SecretRedactor();
      const job = shared.including(['opensesamevalue']);
      assert.equal(job.redact('opensesamevalue'), REDACTED);
      assert.equal(shared.redact('opensesamevalue'), 'opensesamevalue');
    });

    it('leaves ordinary sentences as they are', () => {
      for (const sentence of ['Unknown key resolution', 'Bearer of bad news', 'The key frames are missing', 'Key: value', 'bearer bonds are old']) {
        assert.equal(redactCredentialPatterns(sentence), sentence);
      }
    });

    it('redacts text shaped like a credential', () => {
      const cases = [
        'Authorization: Bearer hf_AbCdEfGhIjKlMnOpQrSt',
        'Authorization: Bearer%20sk-live-1234567890',
        'Authorization: Key 3f1c2a9e-5b7d-4c1e:9a8b7c6d5e4f3a2b',
        'token r8_AbCdEfGh12345',
        'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
      ];
      for (const text of cases) assert.match(redactCredentialPatterns(text), /\[redacted\]/, text);
      assert.doesNotMatch(redactCredentialPatterns(cases[2]!), /9a8b7c6d5e4f3a2b/);
    });
  });

  describe('generations against servers that echo the Authorization header', function () {
    this.timeout(60_000);
    // Letters only: no pattern catches these, only the exact values the job was run with.
    const keys = Object.fromEntries(PROVIDERS.map((provider) => [provider, `opensesame${provider.replace('-', '')}`])) as Record<ProviderName, string>;
    const MODELS: Record<ProviderName, string> = { 'fal-ai': WAN21, replicate: WAN21, novita: WAN21, wavespeed: WAN21, together: 'Wan-AI/Wan2.2-T2V-A14B' };
    const FAULTS: Array<{ name: string; fault?: (provider: ProviderName) => Fault }> = [
      { name: 'a run that succeeds (echo in the job logs)' },
      { name: 'a 400 at submit', fault: (provider) => ({ kind: 'http-error', provider, phase: 'submit', status: 400 }) },
      { name: 'a 422 at submit', fault: (provider) => ({ kind: 'http-error', provider, phase: 'submit', status: 422 }) },
      { name: 'a 500 at every status poll', fault: (provider) => ({ kind: 'http-error', provider, phase: 'status', status: 500, times: 'always' }) },
      { name: 'a 500 at every result fetch', fault: (provider) => ({ kind: 'http-error', provider, phase: 'result', status: 500, times: 'always' }) },
      { name: 'a failed job', fault: (provider) => ({ kind: 'job-failed', provider }) },
    ];
    let emulator: Emulator;
    let harness: JobHarness;

    before(async () => {
      const providerKeys = Object.fromEntries(PROVIDERS.map((provider) => [provider, [keys[provider]]]));
      emulator = await startEmulator({ echoAuthorization: true, queueMs: 20, runMs: 100, replicateWaitMs: 20, providerKeys });
    });
    after(() => emulator.close());
    beforeEach(async () => {
      emulator.reset();
      harness = await JobHarness.create(emulator);
    });
    afterEach(() => harness.dispose());

    function assertNoSecret(secrets: string[]): void {
      const texts = [...harness.saved.map((version) => JSON.stringify(version)), ...harness.events.map((event) => JSON.stringify(event)), ...harness.logs];
      for (const text of texts) {
        for (const secret of secrets.flatMap((value) => [value, encodeURIComponent(value)])) assert.ok(!text.includes(secret), `${secret} in ${text}`);
      }
    }

    for (const provider of PROVIDERS) {
      const modes: Array<{ mode: string; credentials: Credentials; secrets: string[] }> = [
        { mode: 'routed', credentials: { hfToken: TOKEN }, secrets: [TOKEN] },
        { mode: 'direct', credentials: { hfToken: TOKEN, providerKeys: { [provider]: keys[provider] } }, secrets: [TOKEN, keys[provider]] },
      ];
      for (const { mode, credentials, secrets } of modes) {
        for (const { name, fault } of FAULTS) {
          it(`${provider} ${mode}: ${name} shows and stores no secret`, async () => {
            if (fault) emulator.injectFault(fault(provider));
            const record = await harness.run({ provider, model: MODELS[provider] }, { credentials });
            assert.ok(['done', 'failed'].includes(record.state), record.state);
            assertNoSecret(secrets);
          });
        }
      }
    }

    it('the emulator does echo the header, so the checks above are not vacuous', async () => {
      emulator.injectFault({ kind: 'job-failed', provider: 'fal-ai' });
      const record = await harness.run({ provider: 'fal-ai' }, { credentials: { providerKeys: { 'fal-ai': keys['fal-ai'] } } });
      assert.match(record.failure?.message ?? '', /received Authorization: Key \[redacted\]/);
    });
  });
});
