import { Transform, pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { ContentStore } from '../content/content-store.js';
import { sha256Digest, type Digest } from '../content/digest.js';
import { EngineError, invalidArgument } from '../engine-error.js';
import type { AuthConfig } from '../registry/auth-config.js';
import { MediaType, parseManifest } from '../registry/manifest.js';
import type { RegistryClient } from '../registry/registry-client.js';
import { RegistryError } from '../registry/registry-error.js';
import type { RepositoryClient } from '../registry/repository-client.js';
import { fullName, type ImageReference } from '../reference/image-reference.js';
import type { Image, LayerRef } from './image-store.js';
import { shortId, throttledBytes, type ProgressSink } from './progress.js';

/** Layers uploaded at once (dockerd's max-concurrent-uploads). */
const CONCURRENT_UPLOADS = 5;
const UPLOAD_ATTEMPTS = 3;

export interface PusherDeps {
  readonly registry: RegistryClient;
  readonly content: ContentStore;
}

export interface PushTarget {
  readonly image: Image;
  readonly tag: string;
  /** Other repositories on the same registry known to hold a blob: it is mounted from them. */
  readonly mountFrom: (digest: Digest) => readonly string[];
  /** A gzip copy that an earlier push made of a plain-tar layer (for any image that has it). */
  readonly compressedOf: (plain: Digest) => LayerRef | undefined;
}

export interface PushResult {
  readonly digest: Digest;
  readonly size: number;
  readonly manifest: { readonly digest: Digest; readonly mediaType: string };
  /** The layers the manifest names (gzip copies of plain-tar layers). */
  readonly pushLayers: readonly LayerRef[];
}

const PLAIN_TAR: ReadonlySet<string> = new Set([MediaType.ociLayer, 'application/vnd.docker.image.rootfs.diff.tar']);

/**
 * The layers to push: compressed ones as they are, plain tars as the gzip copy an earlier
 * push made; undefined where a plain tar has none yet (it is compressed while it uploads).
 */
async function knownLayers(content: ContentStore, image: Image, compressedOf: (plain: Digest) => LayerRef | undefined): Promise<Array<LayerRef | undefined>> {
  const rec = image.record;
  return Promise.all(rec.layers.map(async (l, i): Promise<LayerRef | undefined> => {
    if (!PLAIN_TAR.has(l.mediaType)) return l;
    const cached = rec.pushLayers?.[i] ?? compressedOf(l.digest);
    if (cached !== undefined && (await content.info(cached.digest))?.size === cached.size) return cached;
    return undefined;
  }));
}

/**
 * The manifest to push for an image: the one it was pulled or last pushed with, when that
 * still names `layers` (so digests survive a push/pull round trip), else a new one. Docker
 * layers make a Docker schema2 manifest, others an OCI one.
 */
export async function manifestFor(content: ContentStore, image: Image, layers: readonly LayerRef[] = image.record.layers): Promise<{ bytes: Buffer; mediaType: string }> {
  const rec = image.record;
  if (rec.manifest !== undefined && (await content.info(rec.manifest.digest)) !== undefined) {
    const bytes = await content.read(rec.manifest.digest);
    try {
      const m = parseManifest(bytes, rec.manifest.mediaType);
      if (m.kind === 'manifest' && m.config.digest === rec.id && m.layers.length === layers.length && m.layers.every((l, i) => l.digest === layers[i]?.digest)) {
        return { bytes, mediaType: m.mediaType };
      }
    } catch {
      // not usable: make a new one
    }
  }
  const docker = layers.length > 0 && layers.every((l) => l.mediaType.startsWith('application/vnd.docker.'));
  const doc = {
    schemaVersion: 2,
    mediaType: docker ? MediaType.dockerManifest : MediaType.ociManifest,
    config: { mediaType: docker ? MediaType.dockerConfig : MediaType.ociConfig, digest: rec.id, size: image.configSize },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  };
  return { bytes: Buffer.from(JSON.stringify(doc, null, 3)), mediaType: doc.mediaType };
}

/** Pushes one tag of an image: layers (skipping or mounting those the registry has), config, manifest. */
export async function pushImage(deps: PusherDeps, ref: ImageReference, target: PushTarget, auth: AuthConfig, progress: ProgressSink, signal?: AbortSignal): Promise<PushResult> {
  const [endpoint] = await deps.registry.endpoints(ref.domain, 'push');
  if (endpoint === undefined) throw new EngineError('internal', `no endpoint for ${ref.domain}`);
  const handle = deps.registry.open(endpoint, ref.path, auth, 'push');
  try {
    return await pushTo(deps, handle.repository, ref, target, progress, signal);
  } catch (e: unknown) {
    if (e instanceof RegistryError && (e.status === 401 || e.status === 403)) {
      throw new EngineError(e.kind, `denied: requested access to the resource is denied (${e.message})`);
    }
    throw e;
  } finally {
    handle.close();
  }
}

async function pushTo(deps: PusherDeps, repo: RepositoryClient, ref: ImageReference, target: PushTarget, progress: ProgressSink, signal?: AbortSignal): Promise<PushResult> {
  const { image } = target;
  const diffIds = image.config.rootfs.diff_ids;
  const ids = image.record.layers.map((l, i) => shortId(diffIds[i] ?? l.digest));
  for (const l of image.record.layers) {
    if ((await deps.content.info(l.digest)) === undefined) throw invalidArgument(`cannot push ${fullName(ref)}: layer ${l.digest} is missing from the content store`);
  }
  // Docker lists layers top first.
  for (let i = ids.length - 1; i >= 0; i--) progress({ id: ids[i] ?? '', status: 'Preparing', layer: true });
  const known = await knownLayers(deps.content, image, target.compressedOf);
  for (let i = ids.length - 1 - CONCURRENT_UPLOADS; i >= 0; i--) progress({ id: ids[i] ?? '', status: 'Waiting', layer: true });
  // Each distinct layer is pushed once; a plain tar is gzipped as it uploads, as Docker does.
  const pushes = new Map<string, Promise<LayerRef>>();
  const pushOne = (i: number): Promise<LayerRef> => {
    const plain = image.record.layers[i] as LayerRef;
    const have = known[i];
    const key = have?.digest ?? `plain:${plain.digest}`;
    let p = pushes.get(key);
    if (p !== undefined) {
      progress({ id: ids[i] ?? '', status: 'Layer already exists', layer: true });
      return p;
    }
    p = have !== undefined
      ? pushLayer(deps, repo, have, ids[i] ?? '', target.mountFrom(have.digest), progress, signal).then(() => have)
      : pushCompressed(deps, repo, plain, ids[i] ?? '', progress, signal);
    pushes.set(key, p);
    return p;
  };
  const order = image.record.layers.map((_, i) => i).reverse();
  const layers: LayerRef[] = [];
  const workers = Array.from({ length: CONCURRENT_UPLOADS }, async () => {
    for (let i = order.shift(); i !== undefined; i = order.shift()) layers[i] = await pushOne(i);
  });
  await Promise.all(workers);
  const manifest = await manifestFor(deps.content, image, layers);
  const configSize = image.configSize;
  if (!(await repo.blobExists(image.record.id, signal))) {
    const location = await repo.startUpload(signal);
    await repo.upload(location, { digest: image.record.id, size: configSize, open: (s, e) => deps.content.readStream(image.record.id, { start: s, end: e }) }, () => undefined, signal);
  }
  const digest = await repo.putManifest(target.tag, manifest.mediaType, manifest.bytes, signal);
  if (digest !== sha256Digest(manifest.bytes)) throw new EngineError('internal', 'manifest digest mismatch');
  progress({ status: `${target.tag}: digest: ${digest} size: ${manifest.bytes.length}` });
  progress({ status: '', pushed: { tag: target.tag, digest, size: manifest.bytes.length } });
  await deps.content.put(manifest.bytes);
  return { digest, size: manifest.bytes.length, manifest: { digest, mediaType: manifest.mediaType }, pushLayers: layers };
}

/** Retries `attempt` after broken connections, a few times, with Docker's "Retrying in N seconds". */
async function withRetries<T>(id: string, progress: ProgressSink, signal: AbortSignal | undefined, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (e: unknown) {
      const broken = !(e instanceof EngineError) || e.kind === 'unavailable';
      if (!broken || n >= UPLOAD_ATTEMPTS || signal?.aborted === true) throw e;
      progress({ id, status: `Retrying in ${n} second${n > 1 ? 's' : ''}`, layer: true });
      await new Promise((r) => setTimeout(r, n * 1000));
    }
  }
}

/** Gzips a plain-tar layer while uploading it; the compressed copy is kept for the next push. */
async function pushCompressed(deps: PusherDeps, repo: RepositoryClient, plain: LayerRef, id: string, progress: ProgressSink, signal?: AbortSignal): Promise<LayerRef> {
  const t = throttledBytes((n) => progress({ id, status: 'Pushing', layer: true, current: n, total: plain.size }));
  const result = await withRetries(id, progress, signal, async () => {
    const writer = await deps.content.writer();
    try {
      const location = await repo.startUpload(signal);
      let read = 0;
      const digest = await repo.uploadStream(location, () => {
        const counter = new Transform({
          transform(chunk: Buffer, _enc, cb): void {
            read += chunk.length;
            t.update(read);
            cb(null, chunk);
          },
        });
        const keep = new Transform({
          transform(chunk: Buffer, _enc, cb): void {
            writer.write(chunk).then(() => cb(null, chunk), cb);
          },
        });
        pipeline(deps.content.readStream(plain.digest), counter, createGzip({ level: 1 }), keep, (err) => {
          if (err) keep.destroy(err);
        });
        return keep;
      }, async () => (await writer.commit()).digest, signal);
      const info = await deps.content.info(digest);
      return { digest, size: info?.size ?? 0, mediaType: MediaType.ociLayerGzip };
    } catch (e: unknown) {
      await writer.abort();
      throw e;
    }
  });
  t.flush();
  progress({ id, status: 'Pushed', layer: true });
  return result;
}

async function pushLayer(deps: PusherDeps, repo: RepositoryClient, layer: LayerRef, id: string, mountFrom: readonly string[], progress: ProgressSink, signal?: AbortSignal): Promise<void> {
  if (await repo.blobExists(layer.digest, signal)) {
    progress({ id, status: 'Layer already exists', layer: true });
    return;
  }
  let location: string | undefined;
  for (const from of mountFrom) {
    const r = await repo.mountBlob(layer.digest, from, signal);
    if (r.mounted) {
      progress({ id, status: `Mounted from ${from}`, layer: true });
      return;
    }
    location = r.location;
    break;
  }
  const t = throttledBytes((n) => progress({ id, status: 'Pushing', layer: true, current: n, total: layer.size }));
  // A broken connection restarts the upload in a new session.
  await withRetries(id, progress, signal, async (n) => {
    const loc = n === 1 && location !== undefined ? location : await repo.startUpload(signal);
    await repo.upload(loc, {
      digest: layer.digest, size: layer.size,
      open: (start, end) => deps.content.readStream(layer.digest, { start, end }),
    }, (bytes) => t.update(bytes), signal);
  });
  t.flush();
  progress({ id, status: 'Pushed', layer: true });
}
