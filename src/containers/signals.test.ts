import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSignal } from './signals.js';

test('parseSignal() accepts names with and without SIG, any case, and numbers', () => {
  assert.equal(parseSignal('SIGKILL'), 9);
  assert.equal(parseSignal('term'), 15);
  assert.equal(parseSignal('2'), 2);
  assert.equal(parseSignal('SIGRTMIN+3'), 37);
});

test('parseSignal() refuses unknown signals with Docker\'s message', () => {
  assert.throws(() => parseSignal('FOO'), /Invalid signal: FOO/);
  assert.throws(() => parseSignal('99'), /Invalid signal: 99/);
});
