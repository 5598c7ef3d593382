import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainIds } from './chain-id.js';
import { sha256Digest } from '../content/digest.js';

test('chainIds() keeps the first diffID and hashes parent and diffID after it', () => {
  const a = sha256Digest('a');
  const b = sha256Digest('b');
  const ids = chainIds([a, b]);
  assert.equal(ids[0], a);
  assert.equal(ids[1], sha256Digest(`${a} ${b}`));
});
