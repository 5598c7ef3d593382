import type { Writable } from 'node:stream';
import type { Digest } from '../content/digest.js';

/** A mount the caller performs; snapshotters describe mounts, they do not mount. */
export interface MountSpec {
  readonly type: string;
  readonly source: string;
  readonly options: readonly string[];
}

/** An unpack of one layer on top of a parent chain, in progress. */
export interface LayerApply {
  /** The uncompressed layer tar is written here. */
  readonly input: Writable;
  /** Call after `input` has ended; `diffId` and `size` describe the tar written (the snapshotter may record the unpacked size). */
  finish(diffId: Digest, size: number): Promise<{ chainId: Digest }>;
  abort(): Promise<void>;
}

export interface Snapshotter {
  /** Whether the layer stack `chainId` is unpacked. */
  hasCommitted(chainId: Digest): boolean;
  applyLayer(parent: Digest | undefined): Promise<LayerApply>;
  /** Creates the writable layer `key` over the committed stack `parent` (undefined: empty image). */
  prepare(key: string, parent: Digest | undefined): Promise<void>;
  mounts(key: string): MountSpec;
  /** The writable directory of `key`: what was changed over its parent (overlayfs' upper dir). */
  upperDir(key: string): string;
  hasActive(key: string): boolean;
  /** Keys of all writable layers. */
  activeKeys(): string[];
  /** Committed stacks that writable layers sit on (with all their ancestors). */
  chainsInUse(): Set<Digest>;
  committedChains(): Digest[];
  /** Bytes used by the writable layer `key`. */
  usage(key: string): Promise<number>;
  remove(key: string): Promise<void>;
  removeCommitted(chainId: Digest): Promise<void>;
  /** Bytes used by the unpacked stack (only the top layer of it). */
  committedSize(chainId: Digest): number;
}
