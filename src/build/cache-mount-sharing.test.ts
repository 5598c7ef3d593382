import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CacheMountSharing } from './cache-mount-sharing.js';

test('cache mount sharing: shared lets all in, private gives a busy cache\'s second user its own, locked waits its turn', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-cm-'));
  const dir = path.join(root, 'cache');
  await fs.mkdir(dir);
  try {
    const s = new CacheMountSharing();
    const a = await s.acquire(dir, 'shared');
    const b = await s.acquire(dir, 'shared');
    assert.equal(a.dir, dir);
    assert.equal(b.dir, dir);
    const p = await s.acquire(dir, 'private');
    assert.notEqual(p.dir, dir);
    assert.ok((await fs.stat(p.dir)).isDirectory());
    await p.release();
    await assert.rejects(fs.stat(p.dir), 'a private copy goes when released');
    await a.release();
    await b.release();

    const first = await s.acquire(dir, 'locked');
    let secondIn = false;
    const second = s.acquire(dir, 'locked').then((h) => { secondIn = true; return h; });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(secondIn, false, 'the second waits while the first holds the cache');
    await first.release();
    const h = await second;
    assert.equal(secondIn, true);
    await h.release();
    const alone = await s.acquire(dir, 'private');
    assert.equal(alone.dir, dir, 'a cache nobody uses is the private user\'s own');
    await alone.release();
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});
