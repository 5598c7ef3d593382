import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export type Compression = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

/** Recognizes a compressed stream by its first bytes. */
export function detectCompression(head: Uint8Array): Compression {
  const b = (i: number): number => head[i] ?? -1;
  if (b(0) === 0x1f && b(1) === 0x8b) return 'gzip';
  if (b(0) === 0x42 && b(1) === 0x5a && b(2) === 0x68) return 'bzip2';
  if (b(0) === 0xfd && b(1) === 0x37 && b(2) === 0x7a && b(3) === 0x58 && b(4) === 0x5a && b(5) === 0x00) return 'xz';
  if (b(0) === 0x28 && b(1) === 0xb5 && b(2) === 0x2f && b(3) === 0xfd) return 'zstd';
  return 'none';
}

/**
 * Returns the uncompressed content of `source`, whatever of gzip, bzip2, xz or
 * zstd it is compressed with (gzip in-process, the others with the standard tools).
 */
export async function decompressed(source: Readable): Promise<Readable> {
  const it = source[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  const firstChunks: Buffer[] = [];
  let ended = false;
  while (head.length < 6) {
    const r = (await it.next()) as IteratorResult<Buffer>;
    if (r.done === true) {
      ended = true;
      break;
    }
    firstChunks.push(r.value);
    head = Buffer.concat([head, r.value]);
  }
  async function* rest(): AsyncGenerator<Buffer> {
    yield* firstChunks;
    if (ended) return;
    for (;;) {
      const r = (await it.next()) as IteratorResult<Buffer>;
      if (r.done === true) return;
      yield r.value;
    }
  }
  const whole = Readable.from(rest(), { objectMode: false });
  const kind = detectCompression(head);
  switch (kind) {
    case 'none':
      return whole;
    case 'gzip':
      return whole.pipe(createGunzip({ chunkSize: 256 * 1024 }));
    default:
      return throughCommand(whole, kind === 'bzip2' ? 'bzip2' : kind === 'xz' ? 'xz' : 'zstd', ['-d', '-c']);
  }
}

function throughCommand(input: Readable, cmd: string, args: string[]): Readable {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = new PassThrough();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdin.on('error', () => undefined);
  input.on('error', (e) => out.destroy(e));
  input.pipe(child.stdin);
  child.stdout.pipe(out, { end: false });
  child.on('error', (e) => out.destroy(e));
  child.on('close', (code) => {
    if (code === 0) out.end();
    else out.destroy(new Error(`${cmd}: ${stderr.trim() || `exit status ${code}`}`));
  });
  return out;
}
