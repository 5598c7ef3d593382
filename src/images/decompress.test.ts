import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { decompressed, detectCompression } from './decompress.js';

async function collect(r: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts).toString();
}

test('detectCompression() knows gzip, xz and plain data by magic bytes', () => {
  assert.equal(detectCompression(gzipSync('x')), 'gzip');
  assert.equal(detectCompression(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])), 'xz');
  assert.equal(detectCompression(Buffer.from('plain tar')), 'none');
});

test('decompressed() passes plain data through and gunzips gzip, split in small chunks', async () => {
  assert.equal(await collect(await decompressed(Readable.from([Buffer.from('ab'), Buffer.from('cdefgh')]))), 'abcdefgh');
  const gz = gzipSync('hello world');
  assert.equal(await collect(await decompressed(Readable.from([gz.subarray(0, 3), gz.subarray(3)]))), 'hello world');
});

test('decompressed() handles input shorter than the magic', async () => {
  assert.equal(await collect(await decompressed(Readable.from([Buffer.from('ab')]))), 'ab');
});
