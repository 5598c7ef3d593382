import type { Readable } from 'node:stream';

/**
 * Splits Docker's multiplexed stream (8-byte headers: stream id, 0, 0, 0,
 * big-endian length) into stdout and stderr chunks.
 */
export async function demux(source: AsyncIterable<Buffer> | Readable, onChunk: (stream: 1 | 2, data: Buffer) => void | Promise<void>, initial?: Buffer): Promise<void> {
  let buf = initial ?? Buffer.alloc(0);
  const drain = async (): Promise<void> => {
    while (buf.length >= 8) {
      const size = buf.readUInt32BE(4);
      if (buf.length < 8 + size) return;
      const id = buf[0] === 2 ? 2 : 1;
      const data = buf.subarray(8, 8 + size);
      buf = buf.subarray(8 + size);
      await onChunk(id, data);
    }
  };
  await drain();
  for await (const chunk of source as AsyncIterable<Buffer>) {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    await drain();
  }
}
