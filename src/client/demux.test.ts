import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { demux } from './demux.js';

function frame(id: number, s: string): Buffer {
  const h = Buffer.alloc(8);
  h[0] = id;
  h.writeUInt32BE(Buffer.byteLength(s), 4);
  return Buffer.concat([h, Buffer.from(s)]);
}

test('demux() splits frames that arrive cut at any byte', async () => {
  const all = Buffer.concat([frame(1, 'out1\n'), frame(2, 'err\n'), frame(1, 'x'.repeat(70000))]);
  const pieces = [all.subarray(0, 3), all.subarray(3, 17), all.subarray(17, 1000), all.subarray(1000)];
  const got: Array<[number, number]> = [];
  await demux(Readable.from(pieces), (s, d) => { got.push([s, d.length]); });
  assert.deepEqual(got, [[1, 5], [2, 4], [1, 70000]]);
});
