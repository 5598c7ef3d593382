/**
 * `docker save` / `docker load` archives. Save writes Docker 25's format: an OCI image
 * layout (oci-layout, index.json, blobs/sha256/...) with Docker's manifest.json beside it.
 * Load reads that, the older Docker format (<id>/layer.tar, <config>.json, manifest.json)
 * and plain OCI layouts, plain or compressed. Archive paths are only ever looked up,
 * never used to write files: every blob goes into the content store by its digest.
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { ContentStore } from '../content/content-store.js';
import { digestHex, isDigest, sha256Digest, type Digest } from '../content/digest.js';
import { invalidArgument } from '../engine-error.js';
import { MediaType, parseManifest, selectPlatform } from '../registry/manifest.js';
import { detectCompression } from './decompress.js';
import type { Image } from './image-store.js';

/** Files up to this size are kept in memory (JSON documents, small layers). */
const IN_MEMORY_MAX = 4 * 1024 * 1024;
const IN_MEMORY_TOTAL_MAX = 256 * 1024 * 1024;

export interface SaveEntry {
  readonly image: Image;
  /** Full references ("docker.io/library/busybox:latest") and their familiar form. */
  readonly tags: ReadonlyArray<{ readonly full: string; readonly familiar: string; readonly tag: string }>;
  readonly manifest: { readonly bytes: Buffer; readonly mediaType: string };
}

/** Streams the archive of `entries` as a tar. */
export function writeArchive(content: ContentStore, entries: readonly SaveEntry[]): Readable {
  const pack = tar.pack();
  const add = (name: string, data: Buffer): Promise<void> => new Promise((resolve, reject) => {
    pack.entry({ name, size: data.length, mode: 0o644, mtime: new Date(0) }, data, (e) => (e ? reject(e) : resolve()));
  });
  const addBlob = (digest: Digest, size: number): Promise<void> => new Promise((resolve, reject) => {
    const entry = pack.entry({ name: `blobs/sha256/${digestHex(digest)}`, size, mode: 0o644, mtime: new Date(0) }, (e) => (e ? reject(e) : resolve()));
    const src = content.readStream(digest);
    src.on('error', (e) => { entry.destroy(e); reject(e); });
    src.pipe(entry);
  });
  void (async () => {
    const written = new Set<string>();
    pack.entry({ name: 'blobs/', type: 'directory', mode: 0o755, mtime: new Date(0) });
    pack.entry({ name: 'blobs/sha256/', type: 'directory', mode: 0o755, mtime: new Date(0) });
    const index: unknown[] = [];
    const manifestJson: unknown[] = [];
    for (const e of entries) {
      const rec = e.image.record;
      for (const l of rec.layers) {
        if (written.has(l.digest)) continue;
        written.add(l.digest);
        await addBlob(l.digest, l.size);
      }
      if (!written.has(rec.id)) {
        written.add(rec.id);
        await addBlob(rec.id, e.image.configSize);
      }
      const mdigest = sha256Digest(e.manifest.bytes);
      if (!written.has(mdigest)) {
        written.add(mdigest);
        await add(`blobs/sha256/${digestHex(mdigest)}`, e.manifest.bytes);
      }
      const desc = { mediaType: e.manifest.mediaType, digest: mdigest, size: e.manifest.bytes.length };
      if (e.tags.length === 0) index.push(desc);
      for (const t of e.tags) index.push({ ...desc, annotations: { 'io.containerd.image.name': t.full, 'org.opencontainers.image.ref.name': t.tag } });
      manifestJson.push({
        Config: `blobs/sha256/${digestHex(rec.id)}`,
        RepoTags: e.tags.length === 0 ? null : e.tags.map((t) => t.familiar),
        Layers: rec.layers.map((l) => `blobs/sha256/${digestHex(l.digest)}`),
      });
    }
    await add('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: index })));
    await add('manifest.json', Buffer.from(JSON.stringify(manifestJson)));
    await add('oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
    pack.finalize();
  })().catch((e: unknown) => pack.destroy(e instanceof Error ? e : new Error(String(e))));
  return Readable.from(pack as unknown as AsyncIterable<Buffer>);
}

/** A file of a loaded archive: in memory, or already in the content store. */
type ArchiveFile = { readonly data: Buffer } | { readonly digest: Digest; readonly size: number };

export interface LoadedImageSpec {
  readonly configBytes: Buffer;
  /** Layer blobs, bottom first, in the content store. */
  readonly layers: ReadonlyArray<{ readonly digest: Digest; readonly size: number; readonly mediaType: string }>;
  readonly repoTags: readonly string[];
}

/** Reads an (uncompressed) archive: which images it holds, with their blobs put in the content store. */
export async function readArchive(content: ContentStore, tarStream: Readable, platform: { os: string; architecture: string }): Promise<LoadedImageSpec[]> {
  const files = new Map<string, ArchiveFile>();
  const links = new Map<string, string>();
  let inMemory = 0;
  const extract = tar.extract();
  await new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const fail = (e: unknown): void => {
        stream.resume();
        extract.destroy(e instanceof Error ? e : new Error(String(e)));
      };
      let name: string;
      try {
        name = cleanName(header.name);
      } catch (e: unknown) {
        fail(e);
        return;
      }
      if (header.type === 'symlink' || header.type === 'link') {
        const target = header.type === 'symlink' ? path.posix.join(path.posix.dirname(name), header.linkname ?? '') : (header.linkname ?? '');
        links.set(name, target);
        stream.resume();
        stream.on('end', next);
        return;
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        stream.resume();
        stream.on('end', next);
        return;
      }
      const size = header.size ?? 0;
      if (size <= IN_MEMORY_MAX) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: unknown) => { chunks.push(c as Buffer); });
        stream.on('error', fail);
        stream.on('end', () => {
          inMemory += size;
          if (inMemory > IN_MEMORY_TOTAL_MAX) {
            fail(invalidArgument('invalid archive: too many small files'));
            return;
          }
          files.set(name, { data: Buffer.concat(chunks) });
          next();
        });
        return;
      }
      void (async () => {
        const w = await content.writer();
        try {
          for await (const c of stream) await w.write(c as Buffer);
          const info = await w.commit();
          files.set(name, info);
          next();
        } catch (e: unknown) {
          await w.abort();
          fail(e);
        }
      })();
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
    tarStream.on('error', reject);
    tarStream.pipe(extract);
  });

  const lookup = (name: string, seen = 0): ArchiveFile => {
    const clean = cleanName(name);
    const f = files.get(clean);
    if (f !== undefined) return f;
    const link = links.get(clean);
    if (link !== undefined && seen < 16) return lookup(link, seen + 1);
    throw invalidArgument(`invalid archive: ${name} is missing`);
  };
  const bytesOf = async (f: ArchiveFile): Promise<Buffer> => ('data' in f ? f.data : content.read(f.digest));
  const blobOf = async (f: ArchiveFile): Promise<{ digest: Digest; size: number; mediaType: string }> => {
    const info = 'data' in f ? await content.put(f.data) : f;
    const head = 'data' in f ? f.data.subarray(0, 8) : await readHead(content, f.digest);
    const kind = detectCompression(head);
    const mediaType = kind === 'gzip' ? MediaType.ociLayerGzip : kind === 'zstd' ? MediaType.ociLayerZstd : MediaType.ociLayer;
    return { digest: info.digest, size: info.size, mediaType };
  };

  const manifestFile = files.get('manifest.json');
  const out: LoadedImageSpec[] = [];
  if (manifestFile !== undefined) {
    const list = parseJson(await bytesOf(manifestFile), 'manifest.json');
    if (!Array.isArray(list)) throw invalidArgument('invalid archive: manifest.json is not a list');
    for (const item of list) {
      const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
      if (typeof o['Config'] !== 'string' || !Array.isArray(o['Layers'])) throw invalidArgument('invalid archive: manifest.json entry without Config or Layers');
      const configBytes = await bytesOf(lookup(o['Config']));
      const layers = [];
      for (const l of o['Layers']) {
        if (typeof l !== 'string') throw invalidArgument('invalid archive: bad layer path in manifest.json');
        layers.push(await blobOf(lookup(l)));
      }
      const repoTags = Array.isArray(o['RepoTags']) ? o['RepoTags'].filter((t): t is string => typeof t === 'string') : [];
      out.push({ configBytes, layers, repoTags });
    }
    return out;
  }
  const indexFile = files.get('index.json');
  if (indexFile === undefined) throw invalidArgument('invalid archive: no manifest.json or index.json (is this an image archive?)');
  const blobPath = (d: string): string => {
    if (!isDigest(d)) throw invalidArgument(`invalid archive: bad digest ${d}`);
    return `blobs/sha256/${digestHex(d)}`;
  };
  const index = parseManifest(await bytesOf(indexFile), MediaType.ociIndex);
  if (index.kind !== 'index') throw invalidArgument('invalid archive: index.json is not an index');
  for (const desc of index.manifests) {
    let m = parseManifest(await bytesOf(lookup(blobPath(desc.digest))), desc.mediaType);
    if (m.kind === 'index') {
      const chosen = selectPlatform(m, platform);
      if (chosen === undefined) continue;
      m = parseManifest(await bytesOf(lookup(blobPath(chosen.digest))), chosen.mediaType);
      if (m.kind !== 'manifest') continue;
    }
    const configBytes = await bytesOf(lookup(blobPath(m.config.digest)));
    if (sha256Digest(configBytes) !== m.config.digest) throw invalidArgument(`invalid archive: config ${m.config.digest} does not match its digest`);
    const layers = [];
    for (const l of m.layers) {
      const b = await blobOf(lookup(blobPath(l.digest)));
      if (b.digest !== l.digest) throw invalidArgument(`invalid archive: layer ${l.digest} does not match its digest`);
      layers.push({ ...b, mediaType: l.mediaType });
    }
    out.push({ configBytes, layers, repoTags: [] });
  }
  return out;
}

async function readHead(content: ContentStore, digest: Digest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of content.readStream(digest, { start: 0, end: 8 })) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(b: Buffer, what: string): unknown {
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    throw invalidArgument(`invalid archive: ${what} is not valid JSON`);
  }
}

/** A member name as a clean relative path; names that climb out of the archive are refused. */
export function cleanName(name: string): string {
  const n = path.posix.normalize(name.replace(/^\.\/+/, ''));
  if (n.startsWith('/') || n === '..' || n.startsWith('../')) throw invalidArgument(`invalid archive: path ${JSON.stringify(name)} escapes the archive`);
  return n.replace(/\/+$/, '');
}
