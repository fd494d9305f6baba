import * as assert from 'node:assert/strict';
import { redactSecrets } from '../../src/core/errors';
import { errorFromNetwork, errorFromResponse, parseRetryAfter, serverMessage } from '../../src/core/httpErrors';

describe('error mapping', () => {
  it('reads the message from every body shape providers use', () => {
    assert.equal(serverMessage({ error: 'Invalid credentials in Authorization header' }), 'Invalid credentials in Authorization header');
    assert.equal(serverMessage({ detail: 'Unsupported data URL' }), 'Unsupported data URL');
    assert.equal(
      serverMessage({ detail: [{ loc: ['body', 'num_frames'], msg: 'ensure this value is less than or equal to 161', type: 'value_error' }] }),
      'num_frames: ensure this value is less than or equal to 161',
    );
    assert.equal(
      serverMessage({ detail: '- Additional property provider is not allowed\n', status: 422, title: 'Input validation failed', invalid_fields: [{ type: 'additional_property_not_allowed', field: '', description: 'Additional property provider is not allowed' }] }),
      'Additional property provider is not allowed',
    );
    assert.equal(serverMessage({ error: { message: 'quota', code: 'x' } }), 'quota');
    assert.equal(serverMessage('<html><body>Bad gateway</body></html>'), undefined);
    assert.equal(serverMessage('plain text problem'), 'plain text problem');
  });

  it('gives each HTTP status its own message and next step', () => {
    const cases: Array<[number, string, string | undefined]> = [
      [401, 'auth', 'setToken'],
      [402, 'credits', 'openUrl'],
      [403, 'permission', 'openUrl'],
      [404, 'notFound', 'openSettings'],
      [400, 'rejected', 'showLog'],
      [422, 'rejected', 'showLog'],
      [429, 'rateLimited', 'retry'],
      [503, 'unavailable', 'retry'],
    ];
    for (const [status, kind, action] of cases) {
      const error = errorFromResponse({ service: 'fal-ai', status, body: { error: 'boom' } });
      assert.equal(error.kind, kind, `kind for ${status}`);
      assert.equal(error.nextStep?.action, action, `action for ${status}`);
      assert.match(error.userMessage, /boom/);
      assert.doesNotMatch(error.userMessage, /[{}]/, 'no JSON in user messages');
    }
  });

  it('names the 403 permission and links the fine-grained token page', () => {
    const error = errorFromResponse({ service: 'fal-ai', status: 403, body: {} });
    assert.match(error.userMessage, /Make calls to Inference Providers/);
    assert.equal(error.nextStep?.action === 'openUrl' && error.nextStep.url.includes('tokenType=fineGrained'), true);
  });

  it('explains network failures with the host, never a stack', () => {
    const refused = errorFromNetwork('fal-ai', 'http://127.0.0.1:9/fal-ai/x', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    assert.equal(refused.kind, 'network');
    assert.match(refused.userMessage, /nothing is listening at 127\.0\.0\.1:9/);
    const wrapped = errorFromNetwork('the Hugging Face Hub', 'https://huggingface.co/api', new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } }));
    assert.match(wrapped.userMessage, /huggingface\.co could not be resolved/);
  });

  it('tells how long to wait when the server said so', () => {
    assert.match(errorFromResponse({ service: 'fal-ai', status: 429, body: {}, retryAfter: 120 }).userMessage, /Try again in 120 seconds/);
    assert.match(errorFromResponse({ service: 'fal-ai', status: 429, body: {} }).userMessage, /Try again in a minute/);
  });

  it('parses Retry-After as seconds or a date', () => {
    assert.equal(parseRetryAfter('7'), 7);
    assert.equal(parseRetryAfter(new Date(Date.now() + 5000).toUTCString()) !== undefined, true);
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });

  it('removes tokens and keys from any text', () => {
    const text = redactSecrets('Authorization: Bearer hf_abcdefghijklmnop and Key 3f1c2a9e-5b7d:9a8b7c6d5e4f3a2b and r8_abcdefghij');
    assert.doesNotMatch(text, /abcdefghijklmnop|9a8b7c6d5e4f3a2b|r8_abcdefghij/);
    assert.equal(
      errorFromResponse({ service: 'x', status: 400, body: { error: 'token hf_abcdefghijklmnop is bad' } }).userMessage.includes('hf_abcdefghijklmnop'),
      false,
    );
  });
});
