import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrderedProgress } from './ordered-progress.js';

test('OrderedProgress writes concurrent stages in Dockerfile order', () => {
  const lines: string[] = [];
  const p = new OrderedProgress({ step: (n, t, text) => lines.push(`${n}/${t} ${text}`), info: (t) => lines.push(t), output: (_s, d) => lines.push(d.toString()) }, [0, 2]);
  const a = p.for(0);
  const b = p.for(2);
  b.step(3, 4, 'FROM b');
  a.step(1, 4, 'FROM a');
  b.output('stdout', Buffer.from('b out'));
  a.info('a info');
  assert.deepEqual(lines, ['1/4 FROM a', 'a info']);
  p.finished(0);
  assert.deepEqual(lines, ['1/4 FROM a', 'a info', '3/4 FROM b', 'b out']);
  b.info('live');
  assert.equal(lines.at(-1), 'live');
});
