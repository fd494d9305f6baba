// dist/extension.js and the on-demand dist/onDemand.js each bundle errors.ts and secretRedactor.ts: a second
// copy of either module, as the second bundle holds, must act as the same one.
import * as assert from 'node:assert/strict';
import { HfVideoError, redactSecrets } from '../../src/core/errors';
import { sharedRedactor } from '../../src/core/secretRedactor';

/** Evaluates the module once more, as a second bundle would, leaving the cached copy in place. */
function secondCopy<T>(path: string): T {
  const file = require.resolve(path);
  const cached = require.cache[file];
  delete require.cache[file];
  try {
    return require(file) as T;
  } finally {
    require.cache[file] = cached;
  }
}

describe('modules both bundles hold', () => {
  afterEach(() => sharedRedactor.setSecrets([]));

  it('recognise each other\'s errors', () => {
    const copy = secondCopy<typeof import('../../src/core/errors')>('../../src/core/errors');
    assert.notEqual(copy.HfVideoError, HfVideoError);
    assert.ok(new copy.HfVideoError('auth', 'Refused.') instanceof HfVideoError);
    assert.ok(new HfVideoError('auth', 'Refused.') instanceof copy.HfVideoError);
    assert.ok(!(new Error('Refused.') instanceof copy.HfVideoError));
  });

  it('redact the same stored secrets', () => {
    const copy = secondCopy<typeof import('../../src/core/secretRedactor')>('../../src/core/secretRedactor');
    copy.sharedRedactor.setSecrets(['provider-key-123456']);
    assert.equal(redactSecrets('echo: provider-key-123456'), 'echo: [redacted]');
  });
});
