import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTokenSource, parseAccount, whoami } from '../../src/core/account';
import { HfVideoError } from '../../src/core/errors';
import { HttpClient } from '../../src/core/http';
import { DEFAULT_TOKEN } from '../emulator/options';
import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/types';

const READ_ONLY_TOKEN = 'hf_emulatorReadOnlyToken';

describe('whoami: who a token signs in as', () => {
  let emulator: Emulator;
  const http = new HttpClient({ userAgent: 'account-test', retryDelayMs: 1, maxRetries: 1 });

  before(async () => {
    emulator = await startEmulator({ readOnlyTokens: [READ_ONLY_TOKEN] });
  });
  after(() => emulator.close());

  it('names the account of an accepted token, and sends it only as a Bearer header', async () => {
    const account = await whoami(http, emulator.url, DEFAULT_TOKEN);
    assert.equal(account.name, 'emulator-user');
    assert.equal(account.canCallInference, true);
    const [request] = emulator.requests.filter((recorded) => recorded.path === '/api/whoami-v2');
    assert.equal(request.headers.authorization, 'Bearer [redacted]');
  });

  it('throws the auth error, naming the fix, for a refused token', async () => {
    await assert.rejects(
      whoami(http, emulator.url, 'hf_notAcceptedByTheEmulator'),
      (error: unknown) => error instanceof HfVideoError && error.kind === 'auth' && /refused/.test(error.userMessage) && error.nextStep?.action === 'setToken',
    );
  });

  it('throws a network error when the Hub cannot be reached', async () => {
    await assert.rejects(
      whoami(http, 'http://127.0.0.1:9', DEFAULT_TOKEN),
      (error: unknown) => error instanceof HfVideoError && error.kind === 'network' && /Could not reach the Hugging Face Hub/.test(error.userMessage),
    );
  });

  it('sees a fine-grained token without the Inference Providers permission, and only that one', () => {
    const fineGrained = (global: string[], scoped: Array<{ permissions: string[] }> = []) =>
      parseAccount({ name: 'someone', auth: { accessToken: { displayName: 'mine', role: 'fineGrained', fineGrained: { global, scoped } } } });
    assert.equal(fineGrained(['repo.content.read']).canCallInference, false);
    assert.equal(fineGrained(['inference.serverless.write']).canCallInference, true);
    assert.equal(fineGrained([], [{ permissions: ['inference.serverless.write'] }]).canCallInference, true);
    assert.equal(parseAccount({ name: 'someone', auth: { accessToken: { role: 'write' } } }).canCallInference, true, 'classic tokens are not second-guessed');
    assert.equal(fineGrained([]).tokenName, 'mine');
  });
});

describe('findTokenSource: a token to offer for import', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'hfv-home-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const writeToken = (path: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, 'hf_fromTheCli\n');
  };

  it('prefers HF_TOKEN, and ignores an empty one', () => {
    writeToken(join(home, '.cache', 'huggingface', 'token'));
    assert.deepEqual(findTokenSource({ HF_TOKEN: 'hf_x' }, home), { kind: 'environment' });
    assert.deepEqual(findTokenSource({ HF_TOKEN: ' ' }, home), { kind: 'file', path: join(home, '.cache', 'huggingface', 'token') });
  });

  it('finds the CLI token file where the CLI puts it: HF_TOKEN_PATH, else HF_HOME, else the cache folder', () => {
    assert.equal(findTokenSource({}, home), undefined);
    const custom = join(home, 'custom', 'token');
    writeToken(custom);
    assert.deepEqual(findTokenSource({ HF_TOKEN_PATH: custom }, home), { kind: 'file', path: custom });
    writeToken(join(home, 'hf', 'token'));
    assert.deepEqual(findTokenSource({ HF_HOME: join(home, 'hf') }, home), { kind: 'file', path: join(home, 'hf', 'token') });
    assert.equal(findTokenSource({ HF_HOME: join(home, 'elsewhere') }, home), undefined);
  });
});
