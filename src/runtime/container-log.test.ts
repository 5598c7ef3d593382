import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseLogLine, readLog } from './container-log.js';

test('parseLogLine() reads conmon lines, keeps partial lines without newline, converts the time to UTC Z', () => {
  const e = parseLogLine(Buffer.from('2026-11-24T13:48:57.782763828+00:00 stdout F hello'));
  assert.equal(e?.stream, 'stdout');
  assert.equal(e?.data.toString(), 'hello\n');
  assert.equal(e?.timestamp, '2026-11-24T13:48:57.782763828Z');
  const p = parseLogLine(Buffer.from('2026-11-24T13:48:57.78+00:00 stderr P part'));
  assert.equal(p?.data.toString(), 'part');
  assert.equal(p?.timestamp, '2026-11-24T13:48:57.780000000Z');
  assert.equal(parseLogLine(Buffer.from('2026-11-24T13:48:57.78+00:00 stdout F '))?.data.toString(), '\n');
  assert.equal(parseLogLine(Buffer.from('garbage')), undefined);
});

test('readLog() applies tail and since, and follows until the container stops', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-log-'));
  const file = path.join(dir, 'c.log');
  await fs.writeFile(file, [
    '2026-01-01T00:00:01.000000000+00:00 stdout F one',
    '2026-01-01T00:00:02.000000000+00:00 stderr F two',
    '2026-01-01T00:00:03.000000000+00:00 stdout F three', ''].join('\n'));
  const texts = async (it: AsyncIterable<{ data: Buffer }>): Promise<string[]> => {
    const out: string[] = [];
    for await (const e of it) out.push(e.data.toString());
    return out;
  };
  assert.deepEqual(await texts(readLog(file, { tail: 2 })), ['two\n', 'three\n']);
  assert.deepEqual(await texts(readLog(file, { sinceNano: BigInt(Date.parse('2026-01-01T00:00:02Z')) * 1_000_000n })), ['two\n', 'three\n']);
  let stop!: () => void;
  const stopped = new Promise<void>((r) => { stop = r; });
  const ac = new AbortController();
  const collected = texts(readLog(file, { tail: 0, follow: { stopped, signal: ac.signal } }));
  await new Promise((r) => setTimeout(r, 50));
  await fs.appendFile(file, '2026-01-01T00:00:04.000000000+00:00 stdout F four\n');
  await new Promise((r) => setTimeout(r, 50));
  stop();
  assert.deepEqual(await collected, ['four\n']);
  await fs.rm(dir, { recursive: true, force: true });
});
