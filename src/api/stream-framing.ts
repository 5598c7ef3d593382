/** Docker's multiplexed stream: an 8-byte header (stream, 0, 0, 0, big-endian size) before each chunk. */
export type StreamId = 0 | 1 | 2;

export function frame(stream: StreamId, data: Uint8Array): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

export const MULTIPLEXED = 'application/vnd.docker.multiplexed-stream';
export const RAW_STREAM = 'application/vnd.docker.raw-stream';
