import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { test } from 'node:test';
import { sha256Digest } from './digest.js';
import { LocalContentStore } from './local-content-store.js';

async function store(): Promise<{ s: LocalContentStore; dir: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-content-'));
  await fs.mkdir(path.join(dir, 'blobs'));
  const s = new LocalContentStore(path.join(dir, 'blobs'), path.join(dir, 'ingest'));
  await s.recover();
  return { s, dir };
}

async function collect(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('ContentWriter.follow() streams what is written, and ends once commit verified the blob', async () => {
  const { s, dir } = await store();
  try {
    const w = await s.writer();
    await w.write(Buffer.from('hello '));
    const follower = collect(await w.follow());
    await w.write(Buffer.from('world'));
    await w.commit({ digest: sha256Digest('hello world') });
    assert.equal((await follower).toString(), 'hello world');
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('ContentWriter.follow() fails when the digest does not match or the write is aborted', async () => {
  const { s, dir } = await store();
  try {
    const w = await s.writer();
    const follower = collect(await w.follow());
    follower.catch(() => undefined); // asserted below
    await w.write(Buffer.from('evil'));
    await assert.rejects(w.commit({ digest: sha256Digest('good') }), /digest mismatch/);
    await assert.rejects(follower, /digest mismatch/);
    const w2 = await s.writer();
    const f2 = collect(await w2.follow());
    f2.catch(() => undefined); // asserted below
    await w2.write(Buffer.from('partial'));
    await w2.abort();
    await assert.rejects(f2, /aborted/);
    assert.deepEqual(await s.list(), []);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
