import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CliContext } from '../command.js';
import { containerPath, forEachContainer } from './container-batch.js';

function recorder(): { ctx: CliContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const ctx = {
    prog: 'berth', host: '', stdinIsTTY: false, stdoutIsTTY: false, stderrIsTTY: false,
    client: () => Promise.reject(new Error('no client')),
    out: (t: string) => { out.push(t); },
    err: (t: string) => { err.push(t); },
  } satisfies CliContext;
  return { ctx, out, err };
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('forEachContainer() reports in argument order even when parallel calls finish out of order', async () => {
  const { ctx, out, err } = recorder();
  const failed = await forEachContainer(ctx, ['a', 'b', 'c'], async (ref) => {
    await delay(ref === 'a' ? 30 : 1);
    if (ref === 'b') throw new Error('no b');
  }, { parallel: true });
  assert.deepEqual(failed, ['b']);
  assert.deepEqual(out, ['a\n', 'c\n']);
  assert.deepEqual(err, ['no b\n']);
});

test('forEachContainer() prints all errors at the end unless told to print them at once', async () => {
  const { ctx, err } = recorder();
  await forEachContainer(ctx, ['x', 'y'], () => Promise.reject(new Error('bad')));
  assert.deepEqual(err, ['bad\nbad\n']);
  const at = recorder();
  await forEachContainer(at.ctx, ['x', 'y'], () => Promise.reject(new Error('bad')), { errorsImmediately: true });
  assert.deepEqual(at.err, ['bad\n', 'bad\n']);
});

test('forEachContainer() prints what op returns, and does not count tolerated errors', async () => {
  const { ctx, out, err } = recorder();
  const failed = await forEachContainer(ctx, ['x', 'y'], async (ref) => {
    if (ref === 'y') throw new Error('gone');
    return '0';
  }, { tolerate: () => true });
  assert.deepEqual(failed, []);
  assert.deepEqual(out, ['0\n']);
  assert.deepEqual(err, ['gone\n']);
});

test('containerPath() trims the name and refuses an empty one like the Go client', () => {
  assert.equal(containerPath(' web ', '/stop'), '/containers/web/stop');
  assert.throws(() => containerPath('  '), { message: 'invalid container name or ID: value is empty' });
});
