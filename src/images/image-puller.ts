import type { ContentStore, ContentWriter } from '../content/content-store.js';
import type { Digest } from '../content/digest.js';
import { EngineError, invalidArgument, notFound } from '../engine-error.js';
import type { AuthConfig } from '../registry/auth-config.js';
import { MANIFEST_ACCEPT, parseManifest, platformString, selectPlatform, type Descriptor, type ImageManifest } from '../registry/manifest.js';
import type { RegistryClient } from '../registry/registry-client.js';
import { RegistryError } from '../registry/registry-error.js';
import type { RepositoryClient } from '../registry/repository-client.js';
import { familiarName, familiarString, type ImageReference } from '../reference/image-reference.js';
import { chainIds } from '../snapshots/chain-id.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';
import { unpackBlob, unpackStream } from './layer-unpack.js';
import { parseImageConfig, type ImageConfig } from './image-config.js';
import type { LayerRef } from './image-store.js';
import type { Platform } from './platform.js';
import { shortId, throttledBytes, type ProgressSink } from './progress.js';

/** Layers downloaded at once (dockerd's max-concurrent-downloads). */
const CONCURRENT_DOWNLOADS = 3;

export interface PulledImage {
  readonly config: ImageConfig;
  readonly configDigest: Digest;
  readonly configSize: number;
  readonly layers: readonly LayerRef[];
  /** The digest the reference resolved to (an index's when the tag names one): the repo digest. */
  readonly repoDigest: Digest;
  /** The platform manifest, kept so that a push sends the same bytes. */
  readonly manifest: { readonly digest: Digest; readonly mediaType: string };
  /** Whether any layer had to be fetched or unpacked. */
  readonly downloaded: boolean;
}

export interface PullerDeps {
  readonly registry: RegistryClient;
  readonly content: ContentStore;
  readonly snapshots: Snapshotter;
  /** Chains unpacked by pulls that have not recorded their image yet: garbage collection spares them. */
  readonly pendingChains: Set<Digest>;
}

/**
 * Fetches an image (manifest, config, layers) into the content store and unpacks its
 * layers, without recording it: the caller writes the image record and references last,
 * so an interrupted pull leaves verified blobs (reused by the next try) and no image.
 */
export async function pullImage(deps: PullerDeps, ref: ImageReference, platform: Platform, auth: AuthConfig, progress: ProgressSink, signal?: AbortSignal): Promise<PulledImage> {
  const endpoints = await deps.registry.endpoints(ref.domain, 'pull');
  let lastError: unknown;
  for (const ep of endpoints) {
    const handle = deps.registry.open(ep, ref.path, auth, 'pull');
    try {
      return await pullFrom(deps, handle.repository, ref, platform, progress, signal);
    } catch (e: unknown) {
      // A mirror that fails is skipped: the registry itself is the last word.
      if (!ep.mirror || signal?.aborted === true) throw e;
      lastError = e;
    } finally {
      handle.close();
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/** The tags of a repository, from the first endpoint that answers. */
export async function listTags(registry: RegistryClient, ref: ImageReference, auth: AuthConfig, signal?: AbortSignal): Promise<string[]> {
  let lastError: unknown;
  for (const ep of await registry.endpoints(ref.domain, 'pull')) {
    const handle = registry.open(ep, ref.path, auth, 'pull');
    try {
      return await handle.repository.listTags(signal);
    } catch (e: unknown) {
      if (!ep.mirror) throw pullError(e, ref);
      lastError = e;
    } finally {
      handle.close();
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function pullFrom(deps: PullerDeps, repo: RepositoryClient, ref: ImageReference, platform: Platform, progress: ProgressSink, signal?: AbortSignal): Promise<PulledImage> {
  const tagOrDigest = ref.digest ?? ref.tag ?? 'latest';
  const top = await repo.getManifest(tagOrDigest, MANIFEST_ACCEPT, signal).catch((e: unknown) => { throw pullError(e, ref); });
  let parsed = parseManifest(top.bytes, top.mediaType);
  let manifestBytes = top.bytes;
  let manifestDesc = { digest: top.digest, mediaType: parsed.mediaType };
  if (parsed.kind === 'index') {
    const chosen = selectPlatform(parsed, platform);
    if (chosen === undefined) throw notFound(`no matching manifest for ${platformString(platform)} in the manifest list entries`);
    const m = await repo.getManifest(chosen.digest, MANIFEST_ACCEPT, signal);
    parsed = parseManifest(m.bytes, m.mediaType);
    if (parsed.kind !== 'manifest') throw invalidArgument(`manifest ${chosen.digest} is an index inside an index`);
    manifestBytes = m.bytes;
    manifestDesc = { digest: m.digest, mediaType: parsed.mediaType };
  }
  const manifest: ImageManifest = parsed;
  progress({ id: tagOrDigest, status: `Pulling from ${ref.path}` });

  // The config: small, fetched first, it names the diffIDs the layers must unpack to.
  const configBytes = await fetchSmallBlob(deps.content, repo, manifest.config, signal);
  let config: ImageConfig;
  try {
    config = parseImageConfig(JSON.parse(configBytes.toString('utf8')));
  } catch (e: unknown) {
    throw invalidArgument(`invalid image config ${manifest.config.digest}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length) {
    throw invalidArgument(`invalid image: the manifest has ${manifest.layers.length} layers, the config ${diffIds.length} diffIDs`);
  }
  await deps.content.put(manifestBytes);

  const chains = chainIds(diffIds);
  for (const c of chains) deps.pendingChains.add(c);
  const layers = manifest.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType }));
  let downloaded = false;
  const inner = new AbortController();
  try {
    // Which layers are already unpacked: those (and all below them) are done.
    let have = 0;
    while (have < chains.length && deps.snapshots.hasCommitted(chains[have] as Digest)) have++;
    for (let i = 0; i < manifest.layers.length; i++) {
      progress({ id: shortId(layerAt(manifest, i).digest), status: i < have ? 'Already exists' : 'Pulling fs layer', layer: true });
    }
    // Downloads run in parallel; each layer unpacks once it and every layer below it are in.
    const limit = limiter(CONCURRENT_DOWNLOADS);
    for (let i = have + CONCURRENT_DOWNLOADS; i < manifest.layers.length; i++) {
      progress({ id: shortId(layerAt(manifest, i).digest), status: 'Waiting', layer: true });
    }
    // Each layer unpacks as soon as the one below it is in, following its download as the
    // bytes land (the stream ends only once the blob's digest is verified).
    const innerSignal = signal === undefined ? inner.signal : AbortSignal.any([signal, inner.signal]);
    const writers: Array<Promise<ContentWriter | undefined>> = [];
    const downloads: Array<Promise<void>> = [];
    for (let i = have; i < manifest.layers.length; i++) {
      let announce: (w: ContentWriter | undefined) => void = () => undefined;
      writers[i] = new Promise((resolve) => { announce = resolve; });
      const job = limit(() => downloadLayer(deps.content, repo, layerAt(manifest, i), progress, innerSignal, announce));
      job.then(() => announce(undefined), () => {
        announce(undefined);
        inner.abort();
      });
      downloads[i] = job;
    }
    for (let i = have; i < manifest.layers.length; i++) {
      const desc = layerAt(manifest, i);
      const parent = i === 0 ? undefined : chains[i - 1];
      const download = downloads[i] as Promise<void>;
      const writer = await writers[i];
      const followed = writer === undefined ? undefined : await writer.follow().catch(() => undefined);
      let unpacked = false;
      if (followed !== undefined) {
        try {
          await unpackStream(deps.snapshots, followed, desc.digest, diffIds[i] as Digest, parent, innerSignal);
          unpacked = true;
        } catch (e: unknown) {
          await download; // a failed download explains the failure best
          if (e instanceof EngineError && e.kind === 'invalid-argument') throw e;
        }
      }
      await download;
      downloaded = true;
      if (unpacked) {
        progress({ id: shortId(desc.digest), status: 'Extracting', layer: true, current: desc.size, total: desc.size });
        progress({ id: shortId(desc.digest), status: 'Pull complete', layer: true });
      } else {
        await unpackLayer(deps, desc, diffIds[i] as Digest, parent, progress, innerSignal);
      }
    }
  } catch (e: unknown) {
    inner.abort(); // the other downloads stop too
    for (const c of chains) deps.pendingChains.delete(c);
    throw e;
  }
  return {
    config, configDigest: manifest.config.digest, configSize: configBytes.length, layers,
    repoDigest: top.digest, manifest: manifestDesc, downloaded,
  };
}

/** Runs at most `n` of the functions given to it at once, in the order given. */
function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  const next = (): void => {
    if (active >= n) return;
    const start = queue.shift();
    if (start !== undefined) start();
  };
  return <T>(fn: () => Promise<T>) => new Promise<T>((resolve, reject) => {
    queue.push(() => {
      active++;
      fn().then(resolve, reject).finally(() => {
        active--;
        next();
      });
    });
    next();
  });
}

function layerAt(m: ImageManifest, i: number): Descriptor {
  const d = m.layers[i];
  if (d === undefined) throw new Error(`no layer ${i}`);
  return d;
}

/** Docker's wording for a repository or tag the registry does not have, or will not show. */
function pullError(e: unknown, ref: ImageReference): unknown {
  if (!(e instanceof RegistryError)) return e;
  const name = familiarName(ref);
  if (e.code === 'MANIFEST_UNKNOWN' || (e.status === 404 && e.code === undefined)) {
    return new EngineError('not-found', `manifest for ${familiarString(ref.digest === undefined && ref.tag === undefined ? { ...ref, tag: 'latest' } : ref)} not found: ${e.message}`);
  }
  if (e.code === 'NAME_UNKNOWN' || e.status === 401 || e.status === 403) {
    return new EngineError('not-found', `pull access denied for ${name}, repository does not exist or may require 'docker login': ${e.message}`);
  }
  return e;
}

/** A blob small enough to hold in memory (the config): from the store, or fetched and verified into it. */
async function fetchSmallBlob(content: ContentStore, repo: RepositoryClient, desc: Descriptor, signal?: AbortSignal): Promise<Buffer> {
  const have = await content.info(desc.digest);
  if (have !== undefined && have.size === desc.size) return content.read(desc.digest);
  await fetchIntoStore(content, repo, desc, () => undefined, signal);
  return content.read(desc.digest);
}

async function fetchIntoStore(content: ContentStore, repo: RepositoryClient, desc: Descriptor, onBytes: (n: number) => void, signal?: AbortSignal, onWriter?: (w: ContentWriter) => void): Promise<void> {
  let writer: ContentWriter = await content.writer();
  onWriter?.(writer);
  const out = batched((b) => writer.write(b));
  try {
    await repo.fetchBlob(desc.digest, desc.size, {
      write: (chunk) => out.write(chunk),
      reset: async () => {
        out.drop();
        await writer.abort();
        writer = await content.writer();
      },
    }, onBytes, signal);
    await out.flush();
    await writer.commit({ digest: desc.digest, size: desc.size });
  } catch (e: unknown) {
    await writer.abort();
    if (e instanceof EngineError && e.kind === 'invalid-argument' && /digest mismatch|unexpected blob size/.test(e.message)) {
      throw invalidArgument(`failed to verify layer ${desc.digest}: ${e.message}`);
    }
    throw e;
  }
}

/** Batches small writes into ~1 MiB ones. */
function batched(write: (b: Buffer) => Promise<void>): { write(c: Buffer): Promise<void>; flush(): Promise<void>; drop(): void } {
  let chunks: Buffer[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (size === 0) return;
    const b = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
    chunks = [];
    size = 0;
    await write(b);
  };
  return {
    write: async (c) => {
      chunks.push(c);
      size += c.length;
      if (size >= 1024 * 1024) await flush();
    },
    flush,
    drop: () => {
      chunks = [];
      size = 0;
    },
  };
}

async function downloadLayer(content: ContentStore, repo: RepositoryClient, desc: Descriptor, progress: ProgressSink, signal: AbortSignal | undefined, onWriter: (w: ContentWriter) => void): Promise<void> {
  const id = shortId(desc.digest);
  const have = await content.info(desc.digest);
  if (have === undefined || have.size !== desc.size) {
    const t = throttledBytes((n) => progress({ id, status: 'Downloading', layer: true, current: n, total: desc.size }));
    await fetchIntoStore(content, repo, desc, (n) => t.update(n), signal, onWriter);
    t.flush();
    progress({ id, status: 'Verifying Checksum', layer: true });
  }
  progress({ id, status: 'Download complete', layer: true });
}

async function unpackLayer(deps: PullerDeps, desc: Descriptor, diffId: Digest, parent: Digest | undefined, progress: ProgressSink, signal?: AbortSignal): Promise<void> {
  const id = shortId(desc.digest);
  const t = throttledBytes((n) => progress({ id, status: 'Extracting', layer: true, current: n, total: desc.size }));
  await unpackBlob(deps.content, deps.snapshots, desc.digest, diffId, parent, (n) => t.update(n), signal);
  t.flush();
  progress({ id, status: 'Pull complete', layer: true });
}
