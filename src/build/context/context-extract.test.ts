import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { cleanMemberName, extractContext } from './context-extract.js';

type Member = { name: string; type?: 'file' | 'directory' | 'symlink' | 'link'; body?: string; linkname?: string; mode?: number };

async function tarOf(members: Member[]): Promise<Readable> {
  const pack = tar.pack();
  for (const m of members) {
    const header = { name: m.name, type: m.type ?? 'file', mode: m.mode ?? 0o644, mtime: new Date('2024-01-02T03:04:05Z'), ...(m.linkname !== undefined ? { linkname: m.linkname } : {}) };
    if (m.type === undefined || m.type === 'file') pack.entry(header, m.body ?? '');
    else pack.entry(header);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Readable.from([Buffer.concat(chunks)]);
}

async function withDir(fn: (root: string, ctx: string) => Promise<void>): Promise<void> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'ctx-test-'));
  const ctx = path.join(root, 'ctx');
  await fs.mkdir(ctx);
  try {
    await fn(root, ctx);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

test('extractContext() unpacks files, directories, symlinks and hard links with modes and mtimes', async () => {
  await withDir(async (_root, ctx) => {
    await extractContext(await tarOf([
      { name: './', type: 'directory', mode: 0o755 },
      { name: 'src/', type: 'directory', mode: 0o750 },
      { name: 'src/app.js', body: 'console.log(1)', mode: 0o755 },
      { name: 'link', type: 'symlink', linkname: 'src/app.js' },
      { name: 'hard', type: 'link', linkname: 'src/app.js' },
    ]), ctx);
    assert.equal(await fs.readFile(path.join(ctx, 'src/app.js'), 'utf8'), 'console.log(1)');
    assert.equal((await fs.stat(path.join(ctx, 'src/app.js'))).mode & 0o777, 0o755);
    assert.equal((await fs.stat(path.join(ctx, 'src'))).mode & 0o777, 0o750);
    assert.equal((await fs.stat(path.join(ctx, 'src/app.js'))).mtime.toISOString(), '2024-01-02T03:04:05.000Z');
    assert.equal(await fs.readlink(path.join(ctx, 'link')), 'src/app.js');
    assert.equal((await fs.stat(path.join(ctx, 'hard'))).nlink, 2);
  });
});

test('extractContext() refuses members that climb out with ..', async () => {
  await withDir(async (root, ctx) => {
    await assert.rejects(extractContext(await tarOf([{ name: '../evil', body: 'x' }]), ctx), /leaves the context/);
    await assert.rejects(fs.access(path.join(root, 'evil')));
  });
});

test('extractContext() never writes through a symlink, even one pointing outside', async () => {
  await withDir(async (root, ctx) => {
    const outside = path.join(root, 'outside');
    await fs.mkdir(outside);
    await assert.rejects(extractContext(await tarOf([
      { name: 'esc', type: 'symlink', linkname: outside },
      { name: 'esc/pwned', body: 'x' },
    ]), ctx), /goes through the symlink "esc"/);
    assert.deepEqual(await fs.readdir(outside), []);
  });
});

test('extractContext() never writes through a directory that a later member replaced with a symlink', async () => {
  await withDir(async (root, ctx) => {
    const outside = path.join(root, 'outside');
    await fs.mkdir(outside);
    await assert.rejects(extractContext(await tarOf([
      { name: 'd/', type: 'directory' },
      { name: 'd/a', body: 'x' },
      { name: 'd', type: 'symlink', linkname: outside },
      { name: 'd/pwned', body: 'x' },
    ]), ctx), /goes through the symlink "d"/);
    assert.deepEqual(await fs.readdir(outside), []);
  });
});

test('extractContext() refuses hard links to paths outside the context', async () => {
  await withDir(async (_root, ctx) => {
    await assert.rejects(extractContext(await tarOf([{ name: 'h', type: 'link', linkname: '../../etc/passwd' }]), ctx), /leaves the context/);
  });
});

test('extractContext() refuses a corrupt tar with a clear error', async () => {
  await withDir(async (_root, ctx) => {
    const junk = Buffer.alloc(1024, 7);
    await assert.rejects(extractContext(Readable.from([junk]), ctx), /failed to read the build context/);
  });
});

test('cleanMemberName() cleans names and keeps inner .. that stays inside', () => {
  assert.equal(cleanMemberName('./a/./b/'), 'a/b');
  assert.equal(cleanMemberName('/abs/file'), 'abs/file');
  assert.equal(cleanMemberName('a/../b'), 'b');
  assert.equal(cleanMemberName('./'), undefined);
  assert.throws(() => cleanMemberName('a/../../b'), /leaves the context/);
});
