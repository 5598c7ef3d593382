import { createHash } from 'node:crypto';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ContentStore } from '../content/content-store.js';
import type { Digest } from '../content/digest.js';
import { invalidArgument } from '../engine-error.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';
import { decompressed } from './decompress.js';

/**
 * Unpacks a layer blob from the content store (plain, gzip, zstd, ...) on `parent`. Its
 * uncompressed content must hash to `diffId` (from the image config), or nothing is kept.
 * `onBytes` gets the count of blob bytes read so far.
 */
export async function unpackBlob(content: ContentStore, snapshots: Snapshotter, blob: Digest, diffId: Digest, parent: Digest | undefined, onBytes: (n: number) => void, signal?: AbortSignal): Promise<{ chainId: Digest; size: number }> {
  let read = 0;
  const stream = content.readStream(blob);
  const counter = new Transform({
    transform(c: Buffer, _enc, cb): void {
      read += c.length;
      onBytes(read);
      cb(null, c);
    },
  });
  stream.on('error', (e) => counter.destroy(e));
  return unpackStream(snapshots, stream.pipe(counter), blob, diffId, parent, signal);
}

/** Unpacks a layer from a stream of its blob's bytes (a download in progress, or the stored blob). */
export async function unpackStream(snapshots: Snapshotter, source: Readable, blob: Digest, diffId: Digest, parent: Digest | undefined, signal?: AbortSignal): Promise<{ chainId: Digest; size: number }> {
  const apply = await snapshots.applyLayer(parent);
  const hash = createHash('sha256');
  let size = 0;
  try {
    const tar = await decompressed(source);
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb): void {
        hash.update(chunk);
        size += chunk.length;
        if (apply.input.write(chunk)) {
          cb();
          return;
        }
        const go = (): void => {
          apply.input.off('drain', go);
          apply.input.off('close', go);
          cb();
        };
        apply.input.on('drain', go);
        apply.input.on('close', go);
      },
      final(cb): void {
        apply.input.end();
        cb();
      },
    });
    if (signal !== undefined) await pipeline(tar, sink, { signal });
    else await pipeline(tar, sink);
    const got: Digest = `sha256:${hash.digest('hex')}`;
    if (got !== diffId) {
      throw invalidArgument(`failed to register layer: layer ${blob} unpacks to ${got}, but the image config says ${diffId}`);
    }
    const { chainId } = await apply.finish(diffId, size);
    return { chainId, size };
  } catch (e: unknown) {
    await apply.abort();
    throw e;
  }
}
