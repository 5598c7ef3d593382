import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { directorySize } from './overlay-snapshotter.js';

test('directorySize() counts files and links without following a symlink out of the tree', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-du-'));
  try {
    await fs.mkdir(path.join(dir, 'a', 'b'), { recursive: true });
    await fs.writeFile(path.join(dir, 'a', 'b', 'f'), 'x'.repeat(100));
    await fs.symlink('/', path.join(dir, 'a', 'root'));
    await fs.symlink('..', path.join(dir, 'a', 'b', 'loop'));
    const size = await directorySize(dir);
    assert.equal(size, 100 + 1 + 2);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
