import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DetachDetector, parseDetachKeys } from './detach-keys.js';

test('parseDetachKeys() reads Docker\'s key names', () => {
  assert.deepEqual([...parseDetachKeys('ctrl-p,ctrl-q')], [16, 17]);
  assert.deepEqual([...parseDetachKeys('ctrl-@,a,ctrl-[')], [0, 97, 27]);
  assert.throws(() => parseDetachKeys('ctrl-1'), /Invalid detach keys \(ctrl-1\) provided/);
});

test('DetachDetector.feed() passes ordinary input and catches the sequence across chunks', () => {
  const d = new DetachDetector(parseDetachKeys('ctrl-p,ctrl-q'));
  assert.deepEqual(d.feed(Buffer.from('ls\n')), { data: Buffer.from('ls\n'), detached: false });
  assert.deepEqual(d.feed(Buffer.from([16])), { data: Buffer.alloc(0), detached: false });
  assert.deepEqual(d.feed(Buffer.from([17])), { data: Buffer.alloc(0), detached: true });
});

test('DetachDetector.feed() gives back held bytes that turn out not to be the sequence', () => {
  const d = new DetachDetector(parseDetachKeys('ctrl-p,ctrl-q'));
  assert.deepEqual(d.feed(Buffer.from([16, 120])), { data: Buffer.from([16, 120]), detached: false });
  assert.deepEqual(d.feed(Buffer.from([16, 16, 17])), { data: Buffer.from([16]), detached: true });
});
