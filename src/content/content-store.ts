import type { Readable } from 'node:stream';
import type { Digest } from './digest.js';

export interface BlobInfo {
  readonly digest: Digest;
  readonly size: number;
}

/** An in-progress blob write: hashed as it is written, verified on commit. */
export interface ContentWriter {
  write(chunk: Uint8Array): Promise<void>;
  /** Digest and size of what was written so far. */
  written(): BlobInfo;
  /** Verifies size and digest (when expected), then makes the blob visible. */
  commit(expected?: { digest?: Digest; size?: number }): Promise<BlobInfo>;
  abort(): Promise<void>;
  /**
   * The bytes written so far and those still to come: the stream ends once the blob is
   * verified by `commit`, and fails if the write is aborted or the check fails.
   */
  follow(): Promise<Readable>;
}

/** Blobs addressed by digest. */
export interface ContentStore {
  info(digest: Digest): Promise<BlobInfo | undefined>;
  read(digest: Digest): Promise<Buffer>;
  /** The blob's bytes, or those from `start` (inclusive) to `end` (exclusive). */
  readStream(digest: Digest, range?: { start: number; end: number }): Readable;
  writer(): Promise<ContentWriter>;
  put(data: Uint8Array | string): Promise<BlobInfo>;
  delete(digest: Digest): Promise<void>;
  list(): Promise<BlobInfo[]>;
}
