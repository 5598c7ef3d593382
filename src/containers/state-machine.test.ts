import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertTransition, canTransition } from './state-machine.js';

test('canTransition() allows start from created and exited, not from removing', () => {
  assert.ok(canTransition('created', 'running'));
  assert.ok(canTransition('exited', 'running'));
  assert.ok(!canTransition('removing', 'running'));
  assert.throws(() => assertTransition('x', 'dead', 'running'), /cannot go from dead to running/);
});
