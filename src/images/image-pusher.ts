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
  /** Other repositories on the same registry that hold this image: blobs are mounted from them. */
  readonly mountFrom: readonly string[];
}

export interface PushResult {
  readonly digest: Digest;
  readonly size: number;
  readonly manifest: { readonly digest: Digest; readonly mediaType: string };
}

/**
 * The manifest to push for an image: the one it was pulled with, when that still describes
 * it (so digests survive a push/pull round trip), else a new one. Layers that are plain tars
 * make an OCI manifest; compressed Docker layers a Docker schema2 one.
 */
export async function manifestFor(content: ContentStore, image: Image): Promise<{ bytes: Buffer; mediaType: string }> {
  const rec = image.record;
  if (rec.manifest !== undefined && (await content.info(rec.manifest.digest)) !== undefined) {
    const bytes = await content.read(rec.manifest.digest);
    try {
      const m = parseManifest(bytes, rec.manifest.mediaType);
      if (m.kind === 'manifest' && m.config.digest === rec.id && m.layers.length === rec.layers.length && m.layers.every((l, i) => l.digest === rec.layers[i]?.digest)) {
        return { bytes, mediaType: m.mediaType };
      }
    } catch {
      // not usable: make a new one
    }
  }
  const docker = rec.layers.length > 0 && rec.layers.every((l) => l.mediaType.startsWith('application/vnd.docker.'));
  const doc = {
    schemaVersion: 2,
    mediaType: docker ? MediaType.dockerManifest : MediaType.ociManifest,
    config: { mediaType: docker ? MediaType.dockerConfig : MediaType.ociConfig, digest: rec.id, size: image.configSize },
    layers: rec.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
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
  const manifest = await manifestFor(deps.content, image);
  const diffIds = image.config.rootfs.diff_ids;
  const ids = image.record.layers.map((l, i) => shortId(diffIds[i] ?? l.digest));
  for (const l of image.record.layers) {
    if ((await deps.content.info(l.digest)) === undefined) throw invalidArgument(`cannot push ${fullName(ref)}: layer ${l.digest} is missing from the content store`);
  }
  // Docker lists layers top first.
  for (let i = ids.length - 1; i >= 0; i--) progress({ id: ids[i] ?? '', status: 'Preparing', layer: true });
  for (let i = ids.length - 1 - CONCURRENT_UPLOADS; i >= 0; i--) progress({ id: ids[i] ?? '', status: 'Waiting', layer: true });
  const queue = image.record.layers.map((l, i) => ({ layer: l, id: ids[i] ?? '' })).reverse();
  const seen = new Set<Digest>();
  const workers = Array.from({ length: CONCURRENT_UPLOADS }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      if (seen.has(item.layer.digest)) {
        progress({ id: item.id, status: 'Layer already exists', layer: true });
        continue;
      }
      seen.add(item.layer.digest);
      await pushLayer(deps, repo, item.layer, item.id, target.mountFrom, progress, signal);
    }
  });
  await Promise.all(workers);
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
  return { digest, size: manifest.bytes.length, manifest: { digest, mediaType: manifest.mediaType } };
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
  // A broken connection restarts the upload in a new session (a few times).
  for (let attempt = 1; ; attempt++) {
    try {
      location ??= await repo.startUpload(signal);
      await repo.upload(location, {
        digest: layer.digest, size: layer.size,
        open: (start, end) => deps.content.readStream(layer.digest, { start, end }),
      }, (n) => t.update(n), signal);
      break;
    } catch (e: unknown) {
      const broken = !(e instanceof EngineError) || e.kind === 'unavailable';
      if (!broken || attempt >= UPLOAD_ATTEMPTS || signal?.aborted === true) throw e;
      location = undefined;
      progress({ id, status: `Retrying in ${attempt} second${attempt > 1 ? 's' : ''}`, layer: true });
      await new Promise((r) => setTimeout(r, attempt * 1000));
    }
  }
  t.flush();
  progress({ id, status: 'Pushed', layer: true });
}
