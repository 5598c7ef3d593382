import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyInto, hashSources, resolveSources } from './copy-files.js';

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'copy-files-'));
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), content);
  }
  return dir;
}

test('resolveSources() matches wildcards per path element, sorted, and plain paths as given', async () => {
  const root = await tree({ 'a.json': '', 'b.json': '', 'c.txt': '', 'sub/d.json': '', 'package.json': '', 'package-lock.json': '' });
  try {
    assert.deepEqual((await resolveSources(root, '*.json')).map((s) => s.rel), ['a.json', 'b.json', 'package-lock.json', 'package.json']);
    assert.deepEqual((await resolveSources(root, 'package*.json')).map((s) => s.rel), ['package-lock.json', 'package.json']);
    assert.deepEqual((await resolveSources(root, '*/d.json')).map((s) => s.rel), ['sub/d.json']);
    assert.deepEqual((await resolveSources(root, '[ab].json')).map((s) => s.rel), ['a.json', 'b.json']);
    assert.deepEqual((await resolveSources(root, './sub/../c.txt')).map((s) => s.rel), ['c.txt']);
    assert.deepEqual(await resolveSources(root, 'missing.txt'), []);
    assert.deepEqual(await resolveSources(root, 'nothing*'), []);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('resolveSources() never leaves the root, through .. or symlinks', async () => {
  const root = await tree({ 'in.txt': 'x' });
  try {
    await fs.symlink('/etc', path.join(root, 'etc-link'));
    assert.deepEqual(await resolveSources(root, '../../../etc/passwd'), []);
    assert.deepEqual(await resolveSources(root, 'etc-link/passwd'), []);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('hashSources() changes with content and mode, not with mtime', async () => {
  const root = await tree({ 'f.txt': 'one' });
  try {
    const src = [{ hostPath: path.join(root, 'f.txt'), rel: 'f.txt' }];
    const h1 = await hashSources(src);
    await fs.utimes(path.join(root, 'f.txt'), new Date(0), new Date(0));
    assert.equal(await hashSources(src), h1);
    await fs.chmod(path.join(root, 'f.txt'), 0o755);
    const h2 = await hashSources(src);
    assert.notEqual(h2, h1);
    await fs.writeFile(path.join(root, 'f.txt'), 'two');
    assert.notEqual(await hashSources(src), h2);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('copyInto() merges a directory, replaces files, keeps modes and mtimes, and stays inside the root through symlinks', async () => {
  const src = await tree({ 'dir/a.txt': 'A', 'dir/sub/b.txt': 'B' });
  const rootfs = await tree({ 'app/old.txt': 'old', 'app/a.txt': 'stale' });
  const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'copy-outside-'));
  try {
    await fs.chmod(path.join(src, 'dir/a.txt'), 0o751);
    await fs.utimes(path.join(src, 'dir/a.txt'), new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    await copyInto(rootfs, path.join(src, 'dir'), '/app', {});
    assert.deepEqual((await fs.readdir(path.join(rootfs, 'app'))).sort(), ['a.txt', 'old.txt', 'sub']);
    assert.equal(await fs.readFile(path.join(rootfs, 'app/a.txt'), 'utf8'), 'A');
    const st = await fs.stat(path.join(rootfs, 'app/a.txt'));
    assert.equal(st.mode & 0o777, 0o751);
    assert.equal(st.mtime.toISOString(), '2020-01-01T00:00:00.000Z');
    // an absolute symlink in the image points inside the image, not at the host
    await fs.symlink(outside, path.join(rootfs, 'escape'));
    await copyInto(rootfs, path.join(src, 'dir/a.txt'), '/escape/a.txt', {});
    assert.deepEqual(await fs.readdir(outside), []);
    assert.equal(await fs.readFile(path.join(rootfs, outside, 'a.txt'), 'utf8'), 'A');
  } finally {
    for (const d of [src, rootfs, outside]) await fs.rm(d, { recursive: true, force: true });
  }
});
