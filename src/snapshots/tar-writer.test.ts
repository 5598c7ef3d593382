import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { TAR_END, tarHeader, tarPadding } from './tar-writer.js';

async function read(buf: Buffer): Promise<Array<{ name: string; type: string | null | undefined; body: string; uid?: number; linkname?: string | null; pax?: unknown }>> {
  const ex = tar.extract();
  Readable.from([buf]).pipe(ex);
  const out = [];
  for await (const e of ex) {
    const chunks: Buffer[] = [];
    for await (const c of e) chunks.push(c as Buffer);
    out.push({ name: e.header.name, type: e.header.type, body: Buffer.concat(chunks).toString(), uid: e.header.uid ?? 0, linkname: e.header.linkname, pax: (e.header as { pax?: unknown }).pax });
  }
  return out;
}

test('tarHeader() writes entries that tar readers understand, long names through PAX', async () => {
  const long = `${'d'.repeat(120)}/${'f'.repeat(120)}`;
  const mtime = new Date('2020-01-01T00:00:00Z');
  const buf = Buffer.concat([
    tarHeader({ name: 'dir', type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, mtime }),
    tarHeader({ name: 'dir/file', type: 'file', mode: 0o644, uid: 1000, gid: 1000, size: 5, mtime }), Buffer.from('hello'), tarPadding(5),
    tarHeader({ name: long, type: 'file', mode: 0o600, uid: 3000000, gid: 0, size: 0, mtime, xattrs: new Map([['user.k', Buffer.from('v')]]) }),
    tarHeader({ name: 'ln', type: 'symlink', mode: 0o777, uid: 0, gid: 0, size: 0, mtime, linkname: 'dir/file' }),
    TAR_END,
  ]);
  const entries = await read(buf);
  assert.deepEqual(entries.map((e) => [e.name, e.type]), [['dir/', 'directory'], ['dir/file', 'file'], [long, 'file'], ['ln', 'symlink']]);
  assert.equal(entries[1]?.body, 'hello');
  assert.equal(entries[1]?.uid, 1000);
  assert.deepEqual(entries[2]?.pax, { path: long, uid: '3000000', 'SCHILY.xattr.user.k': 'v' });
  assert.equal(entries[3]?.linkname, 'dir/file');
});

test('tarPadding() pads content to 512-byte blocks', () => {
  assert.equal(tarPadding(0).length, 0);
  assert.equal(tarPadding(1).length, 511);
  assert.equal(tarPadding(512).length, 0);
});
