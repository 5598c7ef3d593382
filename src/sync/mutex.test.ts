import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedMutex, Mutex } from './mutex.js';

test('Mutex.run() runs callers one at a time in call order, even after a failure', async () => {
  const m = new Mutex();
  const order: string[] = [];
  const slow = m.run(async () => { await new Promise((r) => setTimeout(r, 20)); order.push('a'); });
  const failing = m.run(async () => { order.push('b'); throw new Error('x'); });
  const last = m.run(async () => { order.push('c'); });
  await Promise.allSettled([slow, failing, last]);
  assert.deepEqual(order, ['a', 'b', 'c']);
});

test('KeyedMutex.run() lets different keys proceed concurrently', async () => {
  const m = new KeyedMutex();
  const order: string[] = [];
  const a = m.run('a', async () => { await new Promise((r) => setTimeout(r, 30)); order.push('a'); });
  const b = m.run('b', async () => { order.push('b'); });
  await Promise.all([a, b]);
  assert.deepEqual(order, ['b', 'a']);
});
