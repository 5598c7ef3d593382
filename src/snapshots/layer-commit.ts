import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Stats } from 'node:fs';
import type { Writable } from 'node:stream';
import { layerDiff, type LayerStats } from './layer-diff.js';
import { chainId } from './chain-id.js';
import type { ContentStore } from '../content/content-store.js';
import type { Digest } from '../content/digest.js';
import type { Snapshotter } from './snapshotter.js';

export const GZIP_LAYER_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface CommittedLayer {
  /** Digest of the uncompressed tar. */
  readonly diffId: Digest;
  /** Digest and size of the gzip blob in the content store. */
  readonly digest: Digest;
  readonly size: number;
  readonly mediaType: string;
  /** Chain ID of the unpacked stack (parent + this layer). */
  readonly chainId: Digest;
}

/**
 * Stores a layer tar as a gzip blob (digest) and unpacks it over `parent`
 * (diffID, chain ID), in one pass. On failure neither the blob nor the
 * snapshot is left behind.
 */
/** Told the chain ID and blob digest of a layer before it becomes visible, so that garbage collection can be kept off it. */
export type RetainLayer = (chainId: Digest, digest: Digest) => void;

export async function commitLayer(tar: AsyncIterable<Buffer>, content: ContentStore, snapshots: Snapshotter, parent: Digest | undefined, contentSize?: () => number, retain?: RetainLayer): Promise<CommittedLayer> {
  const writer = await content.writer();
  const apply = await snapshots.applyLayer(parent);
  const gzip = createGzip();
  const hash = createHash('sha256');
  let size = 0;
  const compressed = (async () => {
    for await (const chunk of gzip) await writer.write(chunk as Buffer);
  })();
  compressed.catch(() => undefined);
  try {
    for await (const chunk of tar) {
      hash.update(chunk);
      size += chunk.length;
      apply.input.write(chunk);
      gzip.write(chunk);
      await drained(apply.input);
      await drained(gzip);
    }
    apply.input.end();
    gzip.end();
    await compressed;
    const diffId: Digest = `sha256:${hash.digest('hex')}`;
    retain?.(chainId(parent, diffId), writer.written().digest);
    const { chainId: committed } = await apply.finish(diffId, contentSize?.() ?? size);
    const blob = await writer.commit();
    return { diffId, digest: blob.digest, size: blob.size, mediaType: GZIP_LAYER_MEDIA_TYPE, chainId: committed };
  } catch (e: unknown) {
    gzip.destroy();
    await writer.abort();
    await apply.abort();
    throw e;
  }
}

/** Resolves once `w` can take more (or is gone). */
async function drained(w: Writable): Promise<void> {
  // it may have drained already (while another stream was awaited)
  if (!w.writableNeedDrain || w.destroyed) return;
  const ac = new AbortController();
  await Promise.race([once(w, 'drain', { signal: ac.signal }), once(w, 'close', { signal: ac.signal })]).catch(() => undefined);
  ac.abort();
}

/**
 * The changes in an overlay upper dir committed as a layer over `parent`, its
 * size (as `docker history` shows it) being the bytes of the files it holds.
 */
export function commitUpperDir(upperDir: string, content: ContentStore, snapshots: Snapshotter, parent: Digest | undefined, skip?: (rel: string, st: Stats) => boolean, retain?: RetainLayer): Promise<CommittedLayer> {
  const stats: LayerStats = { contentBytes: 0 };
  return commitLayer(layerDiff(upperDir, skip, stats), content, snapshots, parent, () => stats.contentBytes, retain);
}
