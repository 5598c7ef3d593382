import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveInRoot } from './resolve-in-root.js';

test('resolveInRoot() keeps absolute and climbing symlinks inside the root', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-root-'));
  try {
    await fs.mkdir(path.join(root, 'etc'));
    await fs.symlink('/etc/shadow', path.join(root, 'abs'));
    await fs.symlink('../../../../etc', path.join(root, 'etc', 'up'));
    assert.equal(await resolveInRoot(root, '/abs'), path.join(root, 'etc/shadow'));
    assert.equal(await resolveInRoot(root, '/etc/up/passwd'), path.join(root, 'etc/passwd'));
    assert.equal(await resolveInRoot(root, '../../x'), path.join(root, 'x'));
    assert.equal(await resolveInRoot(root, '/abs', false), path.join(root, 'abs'));
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('resolveInRoot() stops symlink loops with an error', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-root-'));
  try {
    await fs.symlink('b', path.join(root, 'a'));
    await fs.symlink('a', path.join(root, 'b'));
    await assert.rejects(resolveInRoot(root, '/a'), /too many levels of symbolic links/);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});
