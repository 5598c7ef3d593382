import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import path from 'node:path';
import type { BlobInfo, ContentStore, ContentWriter } from './content-store.js';
import { digestHex, isDigest, type Digest } from './digest.js';
import { errnoCode, invalidArgument, notFound } from '../engine-error.js';
import { syncDir } from '../storage/atomic-file.js';

/**
 * Blobs in `<blobsDir>/<hex>`. Writes go to `<ingestDir>/<ref>/data` first and are
 * renamed into place after their digest is checked, so a blob that is visible is complete.
 */
export class LocalContentStore implements ContentStore {
  constructor(
    private readonly blobsDir: string,
    private readonly ingestDir: string,
  ) {}

  /** Deletes unfinished writes left by a crash. */
  async recover(): Promise<void> {
    await fs.rm(this.ingestDir, { recursive: true, force: true });
    await fs.mkdir(this.ingestDir, { recursive: true, mode: 0o700 });
  }

  blobPath(digest: Digest): string {
    return path.join(this.blobsDir, digestHex(digest));
  }

  async info(digest: Digest): Promise<BlobInfo | undefined> {
    try {
      const st = await fs.stat(this.blobPath(digest));
      return { digest, size: st.size };
    } catch (e: unknown) {
      if (errnoCode(e) === 'ENOENT') return undefined;
      throw e;
    }
  }

  async read(digest: Digest): Promise<Buffer> {
    try {
      return await fs.readFile(this.blobPath(digest));
    } catch (e: unknown) {
      if (errnoCode(e) === 'ENOENT') throw notFound(`content ${digest}: not found`, e);
      throw e;
    }
  }

  readStream(digest: Digest, range?: { start: number; end: number }): Readable {
    if (range === undefined) return createReadStream(this.blobPath(digest));
    if (range.end <= range.start) return Readable.from([]);
    return createReadStream(this.blobPath(digest), { start: range.start, end: range.end - 1 });
  }

  async writer(): Promise<ContentWriter> {
    const dir = path.join(this.ingestDir, randomBytes(8).toString('hex'));
    await fs.mkdir(dir, { mode: 0o700 });
    const fh = await fs.open(path.join(dir, 'data'), 'w', 0o644);
    return new LocalContentWriter(this, dir, fh);
  }

  async put(data: Uint8Array | string): Promise<BlobInfo> {
    const w = await this.writer();
    try {
      await w.write(typeof data === 'string' ? Buffer.from(data) : data);
      return await w.commit();
    } catch (e: unknown) {
      await w.abort();
      throw e;
    }
  }

  async delete(digest: Digest): Promise<void> {
    await fs.rm(this.blobPath(digest), { force: true });
  }

  async list(): Promise<BlobInfo[]> {
    const out: BlobInfo[] = [];
    for (const name of await fs.readdir(this.blobsDir)) {
      const digest = `sha256:${name}`;
      if (!isDigest(digest)) continue;
      const st = await fs.stat(path.join(this.blobsDir, name));
      out.push({ digest, size: st.size });
    }
    return out;
  }

  /** Used by the writer: moves a verified ingest into place. */
  async install(dir: string, digest: Digest): Promise<void> {
    const target = this.blobPath(digest);
    try {
      await fs.access(target);
      // already exists: the content is identical by definition.
    } catch {
      await fs.rename(path.join(dir, 'data'), target);
      await syncDir(this.blobsDir);
    }
    await fs.rm(dir, { recursive: true, force: true });
  }
}

class LocalContentWriter implements ContentWriter {
  private readonly hash: Hash = createHash('sha256');
  private size = 0;
  private done = false;
  /** Bytes on disk (followers read up to here). */
  private flushed = 0;
  private outcome: 'verified' | Error | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly store: LocalContentStore,
    private readonly dir: string,
    private readonly fh: fs.FileHandle,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.hash.update(chunk);
    this.size += chunk.length;
    let off = 0;
    while (off < chunk.length) {
      const { bytesWritten } = await this.fh.write(chunk, off, chunk.length - off);
      off += bytesWritten;
    }
    this.flushed += chunk.length;
    this.notify();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private settle(outcome: 'verified' | Error): void {
    this.outcome ??= outcome;
    this.notify();
  }

  async follow(): Promise<Readable> {
    if (this.done) throw invalidArgument('the blob is no longer being written');
    const fh = await fs.open(path.join(this.dir, 'data'), 'r');
    let pos = 0;
    const writer = this;
    const next = (): Promise<void> => new Promise<void>((resolve) => {
      const wake = (): void => {
        writer.waiters.delete(wake);
        resolve();
      };
      writer.waiters.add(wake);
    });
    return new Readable({
      highWaterMark: 1024 * 1024,
      read(): void {
        void (async () => {
          try {
            for (;;) {
              if (pos < writer.flushed) {
                const buf = Buffer.allocUnsafe(Math.min(1024 * 1024, writer.flushed - pos));
                const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
                pos += bytesRead;
                this.push(buf.subarray(0, bytesRead));
                return;
              }
              if (writer.outcome === 'verified') {
                this.push(null);
                return;
              }
              if (writer.outcome instanceof Error) {
                this.destroy(writer.outcome);
                return;
              }
              await next();
            }
          } catch (e: unknown) {
            this.destroy(e instanceof Error ? e : new Error(String(e)));
          }
        })();
      },
      destroy(err, cb): void {
        fh.close().then(() => cb(err), () => cb(err));
      },
    });
  }

  written(): BlobInfo {
    return { digest: `sha256:${this.hash.copy().digest('hex')}`, size: this.size };
  }

  async commit(expected: { digest?: Digest; size?: number } = {}): Promise<BlobInfo> {
    const digest: Digest = `sha256:${this.hash.digest('hex')}`;
    this.done = true;
    try {
      if (expected.size !== undefined && expected.size !== this.size) {
        throw invalidArgument(`unexpected blob size ${this.size}, expected ${expected.size}`);
      }
      if (expected.digest !== undefined && expected.digest !== digest) {
        throw invalidArgument(`digest mismatch: got ${digest}, expected ${expected.digest}`);
      }
      this.settle('verified');
      await this.fh.sync();
      await this.fh.close();
    } catch (e: unknown) {
      this.settle(e instanceof Error ? e : new Error(String(e)));
      await this.fh.close().catch(() => undefined);
      await fs.rm(this.dir, { recursive: true, force: true });
      throw e;
    }
    await this.store.install(this.dir, digest);
    return { digest, size: this.size };
  }

  async abort(): Promise<void> {
    this.settle(new Error('the blob write was aborted'));
    if (!this.done) {
      this.done = true;
      await this.fh.close().catch(() => undefined);
    }
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
