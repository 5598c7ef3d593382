import { Readable, Transform } from 'node:stream';
import type { ContentStore } from '../content/content-store.js';
import { sha256Digest, type Digest } from '../content/digest.js';
import { conflict, EngineError, invalidArgument, notFound, notImplemented } from '../engine-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';
import { chainIds } from '../snapshots/chain-id.js';
import { Mutex } from '../sync/mutex.js';
import { decompressed } from './decompress.js';
import { parsePlatform } from './platform.js';
import { parseImageConfig, type ContainerDefaults, type HistoryEntry, type ImageConfig } from './image-config.js';
import type { Image, ImageStore, LayerRef } from './image-store.js';
import { applyChanges } from './import-changes.js';
import { familiarName, familiarString, parseReference, withTag, type ImageReference } from '../reference/image-reference.js';
import type { AuthConfig } from '../registry/auth-config.js';
import type { RegistryClient } from '../registry/registry-client.js';
import { listTags, pullImage } from './image-puller.js';
import { manifestFor, pushImage } from './image-pusher.js';
import { readArchive, writeArchive } from './image-archive.js';
import { unpackBlob } from './layer-unpack.js';
import { throttledBytes, type ProgressSink } from './progress.js';
import { matchImageFilters, matchReference, type ImageFilters } from './image-filters.js';

export const LAYER_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar';

export interface ImageSummary {
  readonly id: Digest;
  readonly repoTags: string[];
  readonly repoDigests: string[];
  readonly created: Date | undefined;
  readonly size: number;
  readonly labels: Record<string, string>;
  readonly containers: number;
}

export interface ImageDetails extends ImageSummary {
  readonly config: ImageConfig;
  readonly lastTagTime: string | undefined;
}

export interface HistoryItem {
  readonly id: string;
  readonly created: Date | undefined;
  readonly createdBy: string;
  readonly tags: string[];
  readonly size: number;
  readonly comment: string;
}

export type RemoveReportItem = { untagged: string } | { deleted: string };

export interface ImportOptions {
  /** Repository and tag to give the image, e.g. "busybox" and "latest". */
  readonly repo?: string;
  readonly tag?: string;
  readonly changes?: readonly string[];
  readonly message?: string;
  /** `os[/arch[/variant]]` of the imported content (default: the host's). */
  readonly platform?: string;
}

export interface PullOptions {
  /** `fromImage`: "busybox", "localhost:5000/app:1", "app@sha256:…". */
  readonly reference: string;
  /** A tag or a digest, overriding the one in `reference`. */
  readonly tag?: string;
  /** `os[/arch[/variant]]` to pick from a multi-platform image (default: the host's). */
  readonly platform?: string;
  readonly auth: AuthConfig;
  readonly signal?: AbortSignal;
}

export interface PushOptions {
  readonly name: string;
  readonly tag?: string;
  readonly auth: AuthConfig;
  readonly signal?: AbortSignal;
}

/** Who uses an image: asked before an image is removed. */
export type ImageUsers = (id: Digest) => Array<{ id: string; running: boolean }>;

export function hostArchitecture(): string {
  switch (process.arch) {
    case 'x64': return 'amd64';
    case 'ia32': return '386';
    default: return process.arch;
  }
}

export class ImageService {
  private readonly lock = new Mutex();
  /** Layers unpacked by imports that have not recorded their image yet: garbage collection spares them. */
  private readonly pendingChains = new Set<Digest>();
  /** Layers and blobs that something besides images needs (the build cache): kept by garbage collection and image removal. */
  private retainer: () => { chains: Set<Digest>; blobs: Set<Digest> } = () => ({ chains: new Set(), blobs: new Set() });

  constructor(
    private readonly store: ImageStore,
    private readonly content: ContentStore,
    private readonly snapshots: Snapshotter,
    private readonly events: EventBus,
    private readonly users: ImageUsers,
    /** The distribution client for pull and push (none: those verbs are unavailable). */
    private readonly registry?: RegistryClient,
  ) {}

  /**
   * Pulls `reference` (with `tag`, a tag or a digest) from its registry. Layers are fetched
   * and unpacked first; the image record and its references are written last.
   */
  async pull(opts: PullOptions, progress: ProgressSink): Promise<void> {
    const registry = this.needRegistry();
    const platform = opts.platform !== undefined && opts.platform !== '' ? parsePlatform(opts.platform, hostArchitecture()) : { os: 'linux', architecture: hostArchitecture() };
    const named = parseReference(opts.reference);
    if ((opts.tag === undefined || opts.tag === '') && named.tag === undefined && named.digest === undefined) {
      // No tag at all: every tag of the repository (`docker pull --all-tags`).
      const tags = await listTags(registry, named, opts.auth, opts.signal);
      let changed = false;
      for (const t of tags) {
        const r = await this.pullOne(registry, { ...named, tag: t }, platform, opts, progress);
        changed ||= r.changed;
        progress({ status: `Digest: ${r.repoDigest}` });
      }
      progress({ status: `Status: ${changed ? 'Downloaded newer image' : 'Image is up to date'} for ${familiarName(named)}` });
      return;
    }
    const ref = pullReference(opts.reference, opts.tag);
    const r = await this.pullOne(registry, ref, platform, opts, progress);
    progress({ status: `Digest: ${r.repoDigest}` });
    progress({ status: `Status: ${r.changed ? 'Downloaded newer image' : 'Image is up to date'} for ${familiarString(ref)}` });
  }

  private async pullOne(registry: RegistryClient, ref: ImageReference, platform: { os: string; architecture: string; variant?: string }, opts: PullOptions, progress: ProgressSink): Promise<{ changed: boolean; repoDigest: Digest }> {
    const pulled = await pullImage({ registry, content: this.content, snapshots: this.snapshots, pendingChains: this.pendingChains }, ref, platform, opts.auth, progress, opts.signal);
    const chains = chainIds(pulled.config.rootfs.diff_ids);
    const name = familiarString(ref);
    const updated = await this.lock.run(async () => {
      try {
        const existing = this.store.get(pulled.configDigest);
        if (existing === undefined || existing.record.manifest === undefined) {
          await this.store.add({
            id: pulled.configDigest, layers: pulled.layers, addedAt: existing?.record.addedAt ?? new Date().toISOString(),
            manifest: pulled.manifest,
          }, pulled.config, pulled.configSize);
        }
        let changed = existing === undefined;
        const key = refKey(ref);
        if (this.store.resolveRef(key) !== pulled.configDigest) {
          await this.store.setRef(key, pulled.configDigest);
          changed = true;
        }
        const digestKey = refKey({ domain: ref.domain, path: ref.path, digest: pulled.repoDigest });
        if (this.store.resolveRef(digestKey) !== pulled.configDigest) await this.store.setRef(digestKey, pulled.configDigest);
        this.events.publish('image', 'pull', name, { name });
        return changed;
      } finally {
        for (const c of chains) this.pendingChains.delete(c);
      }
    });
    return { changed: pulled.downloaded || updated, repoDigest: pulled.repoDigest };
  }

  /** Pushes `name` (one tag, or every tag of the repository when `tag` is not given). */
  async push(opts: PushOptions, progress: ProgressSink): Promise<void> {
    const registry = this.needRegistry();
    const base = parseReference(opts.name);
    if (base.digest !== undefined) throw invalidArgument('cannot push a digest reference');
    const tag = opts.tag !== undefined && opts.tag !== '' ? opts.tag : base.tag;
    const repoName = `${base.domain}/${base.path}`;
    const tags = tag !== undefined ? [tag] : [...this.store.allRefs().keys()]
      .filter((k) => k.startsWith(`${repoName}:`) && !k.includes('@')).map((k) => k.slice(repoName.length + 1));
    if (tags.length === 0) throw notFound(`An image does not exist locally with the tag: ${familiarName(base)}`);
    const images = tags.map((t) => {
      const image = this.find(refKey({ ...base, tag: t }));
      if (image === undefined) throw notFound(`An image does not exist locally with the tag: ${familiarName(base)}`);
      return { tag: t, image };
    });
    progress({ status: `The push refers to repository [${repoName}]` });
    for (const { tag: t, image } of images) {
      // Any image on this registry (pulled from or pushed to it) that has the blob can lend it.
      const mountFrom = (digest: Digest): string[] => [...new Set(this.store.all()
        .filter((i) => i.record.layers.some((l) => l.digest === digest) || (i.record.pushLayers ?? []).some((l) => l.digest === digest))
        .flatMap((i) => this.store.refsOf(i.record.id).map((r) => parseReference(r)))
        .filter((r) => r.domain === base.domain && r.path !== base.path).map((r) => r.path))];
      const compressedOf = (plain: Digest): LayerRef | undefined => {
        for (const i of this.store.all()) {
          const at = i.record.layers.findIndex((l) => l.digest === plain);
          const c = at >= 0 ? i.record.pushLayers?.[at] : undefined;
          if (c !== undefined) return c;
        }
        return undefined;
      };
      const result = await pushImage({ registry, content: this.content }, { ...base, tag: t }, { image, tag: t, mountFrom, compressedOf }, opts.auth, progress, opts.signal);
      await this.lock.run(async () => {
        const current = this.store.get(image.record.id);
        if (current === undefined) return;
        const plainLayers = current.record.layers.some((l, i) => result.pushLayers[i]?.digest !== l.digest);
        if (current.record.manifest?.digest !== result.manifest.digest || (plainLayers && current.record.pushLayers === undefined)) {
          await this.store.add({ ...current.record, manifest: result.manifest, ...(plainLayers ? { pushLayers: result.pushLayers } : {}) }, current.config, current.configSize);
        }
        const digestKey = refKey({ domain: base.domain, path: base.path, digest: result.digest });
        if (this.store.resolveRef(digestKey) !== image.record.id) await this.store.setRef(digestKey, image.record.id);
        this.events.publish('image', 'push', image.record.id, { name: familiarString({ ...base, tag: t }) });
      });
    }
  }

  /**
   * The archive of `names` (references or IDs; a repository name alone means all its tags),
   * in Docker 25's format. Every name is resolved before any byte is written.
   */
  async save(names: readonly string[]): Promise<Readable> {
    if (names.length === 0) throw invalidArgument('no images specified');
    const byId = new Map<Digest, { image: Image; tags: Array<{ full: string; familiar: string; tag: string }> }>();
    for (const n of names) {
      const entryFor = (image: Image): { image: Image; tags: Array<{ full: string; familiar: string; tag: string }> } => {
        let e = byId.get(image.record.id);
        if (e === undefined) {
          e = { image, tags: [] };
          byId.set(image.record.id, e);
        }
        return e;
      };
      // An image ID (or a prefix of one) saves the image without tags; anything else is a reference.
      const hex = /^(?:sha256:)?([a-f0-9]{12,64})$/.exec(n)?.[1];
      const isId = hex !== undefined && this.find(n)?.record.id.startsWith(`sha256:${hex}`) === true;
      let ref: ImageReference | undefined;
      try {
        ref = isId ? undefined : parseReference(n);
      } catch {
        ref = undefined;
      }
      if (ref !== undefined && ref.tag === undefined && ref.digest === undefined) {
        const prefix = `${ref.domain}/${ref.path}:`;
        const keys = [...this.store.allRefs().keys()].filter((k) => k.startsWith(prefix));
        if (keys.length === 0) throw notFound(`No such image: ${familiarName(ref)}`);
        for (const k of keys) {
          const image = this.find(k);
          if (image === undefined) continue;
          const tref = parseReference(k);
          entryFor(image).tags.push({ full: k, familiar: familiarString(tref), tag: tref.tag ?? 'latest' });
        }
        continue;
      }
      const image = this.resolve(n);
      const e = entryFor(image);
      if (ref?.tag !== undefined) e.tags.push({ full: refKey(ref), familiar: familiarString(ref), tag: ref.tag });
    }
    const entries = [];
    for (const e of byId.values()) entries.push({ ...e, manifest: await manifestFor(this.content, e.image) });
    return writeArchive(this.content, entries);
  }

  /** Loads an archive (Docker's or OCI's, plain or compressed): its images and tags. */
  async load(source: Readable, progress: ProgressSink): Promise<void> {
    const specs = await readArchive(this.content, await decompressed(source), { os: 'linux', architecture: hostArchitecture() });
    if (specs.length === 0) throw invalidArgument('invalid archive: no images');
    for (const spec of specs) {
      let config: ImageConfig;
      try {
        config = parseImageConfig(JSON.parse(spec.configBytes.toString('utf8')));
      } catch (e: unknown) {
        throw invalidArgument(`invalid archive: bad image config: ${e instanceof Error ? e.message : String(e)}`);
      }
      const diffIds = config.rootfs.diff_ids;
      if (diffIds.length !== spec.layers.length) throw invalidArgument(`invalid archive: ${spec.layers.length} layers for ${diffIds.length} diffIDs`);
      const tags = spec.repoTags.map((t) => parseTarget(t, undefined));
      const chains = chainIds(diffIds);
      for (const c of chains) this.pendingChains.add(c);
      try {
        for (let i = 0; i < chains.length; i++) {
          const chain = chains[i] as Digest;
          if (this.snapshots.hasCommitted(chain)) continue;
          const layer = spec.layers[i];
          if (layer === undefined) break;
          await unpackBlob(this.content, this.snapshots, layer.digest, diffIds[i] as Digest, i === 0 ? undefined : chains[i - 1], () => undefined);
        }
        const blob = await this.content.put(spec.configBytes);
        await this.lock.run(async () => {
          if (this.store.get(blob.digest) === undefined) {
            await this.store.add({ id: blob.digest, layers: spec.layers, addedAt: new Date().toISOString() }, config, blob.size);
          }
          for (const t of tags) {
            const previous = this.store.resolveRef(refKey(t));
            if (previous !== undefined && previous !== blob.digest) {
              progress({ status: '', stream: `The image ${familiarString(t)} already exists, renaming the old one with ID ${previous} to empty string\n` });
            }
            await this.store.setRef(refKey(t), blob.digest);
          }
          this.logEvent('load', blob.digest, blob.digest);
        });
        if (tags.length === 0) progress({ status: '', stream: `Loaded image ID: ${blob.digest}\n` });
        for (const t of tags) progress({ status: '', stream: `Loaded image: ${familiarString(t)}\n` });
      } finally {
        for (const c of chains) this.pendingChains.delete(c);
      }
    }
  }

  /** Checks credentials against a registry, as `docker login` does through `POST /auth`. */
  async login(auth: AuthConfig, signal?: AbortSignal): Promise<void> {
    await this.needRegistry().login(auth.serveraddress ?? '', auth, signal);
  }

  private needRegistry(): RegistryClient {
    if (this.registry === undefined) throw notImplemented('registry access is not configured');
    return this.registry;
  }

  /** Finds an image by ID, ID prefix, name[:tag] or name@digest. */
  resolve(nameOrId: string): Image {
    const image = this.find(nameOrId);
    if (image !== undefined) return image;
    if (!/^(?:sha256:)?[a-f0-9]+$/.test(nameOrId)) parseReference(nameOrId); // an invalid reference is a 400, not a 404
    throw notFound(`No such image: ${displayName(nameOrId)}`);
  }

  find(nameOrId: string): Image | undefined {
    const full = /^(?:sha256:)?([a-f0-9]{64})$/.exec(nameOrId);
    if (full !== null) return this.store.get(`sha256:${full[1] ?? ''}`);
    let ref: ImageReference | undefined;
    try {
      ref = parseReference(nameOrId);
    } catch {
      ref = undefined;
    }
    if (ref !== undefined) {
      const id = this.store.resolveRef(refKey(ref));
      if (id !== undefined) return this.store.get(id);
    }
    const prefix = /^(?:sha256:)?([a-f0-9]+)$/.exec(nameOrId)?.[1];
    if (prefix !== undefined) {
      const matches = this.store.all().filter((i) => i.record.id.startsWith(`sha256:${prefix}`));
      if (matches.length === 1) return matches[0];
    }
    return undefined;
  }

  list(opts: { filters?: ImageFilters } = {}): ImageSummary[] {
    const out = this.store.all().map((i) => this.summary(i));
    const filters = opts.filters ?? {};
    const patterns = filters['reference'] ?? [];
    const filtered = out
      .filter((s) => matchImageFilters(s, filters, (n) => this.find(n)))
      // Like Docker, a reference filter also narrows the tags listed for the image.
      .map((s) => patterns.length === 0 ? s : { ...s, repoTags: s.repoTags.filter((t) => patterns.some((p) => matchReference(p, t))) });
    return filtered.sort((a, b) => (b.created?.getTime() ?? 0) - (a.created?.getTime() ?? 0));
  }

  inspect(nameOrId: string): ImageDetails {
    const image = this.resolve(nameOrId);
    return { ...this.summary(image), config: image.config, lastTagTime: image.record.lastTagTime };
  }

  history(nameOrId: string): HistoryItem[] {
    const image = this.resolve(nameOrId);
    const layers = image.config.rootfs.diff_ids;
    const chains = chainIds(layers);
    const entries: HistoryEntry[] = image.config.history ?? layers.map(() => ({}));
    let layerIndex = 0;
    const items: HistoryItem[] = entries.map((h) => {
      let size = 0;
      if (h.empty_layer !== true) {
        const c = chains[layerIndex++];
        if (c !== undefined) size = this.snapshots.committedSize(c);
      }
      return {
        id: '<missing>',
        created: h.created === undefined ? undefined : new Date(h.created),
        createdBy: h.created_by ?? '',
        tags: [],
        size,
        comment: h.comment ?? '',
      };
    });
    items.reverse();
    if (items[0] !== undefined) {
      items[0] = { ...items[0], id: image.record.id, tags: this.tagsOf(image.record.id) };
    }
    return items;
  }

  async tag(source: string, repo: string, tag: string | undefined): Promise<void> {
    await this.lock.run(async () => {
      const image = this.resolve(source);
      const ref = parseTarget(repo, tag);
      await this.store.setRef(refKey(ref), image.record.id);
      this.logEvent('tag', image.record.id, familiarString(ref));
    });
  }

  async import(source: Readable, opts: ImportOptions): Promise<Digest> {
    const target = opts.repo !== undefined && opts.repo !== '' ? parseTarget(opts.repo, opts.tag) : undefined;
    const defaults: ContainerDefaults = applyChanges({}, opts.changes ?? []);
    const platform = opts.platform !== undefined && opts.platform !== '' ? parsePlatform(opts.platform, hostArchitecture()) : undefined;
    const tar = await decompressed(source);
    const writer = await this.content.writer();
    const apply = await this.snapshots.applyLayer(undefined);
    let layer;
    try {
      for await (const chunk of tar) {
        const buf = chunk as Buffer;
        await writer.write(buf);
        if (!apply.input.write(buf)) await drained(apply.input);
      }
      apply.input.end();
      // The layer must unpack before its blob is kept: a bad tar leaves nothing behind.
      layer = writer.written();
      this.pendingChains.add(layer.digest);
      await apply.finish(layer.digest, layer.size);
      await writer.commit({ digest: layer.digest });
    } catch (e: unknown) {
      if (layer !== undefined) this.pendingChains.delete(layer.digest);
      await writer.abort();
      await apply.abort();
      throw e;
    }
    const layerChain = layer.digest;
    const now = new Date().toISOString();
    const config: ImageConfig = {
      architecture: platform?.architecture ?? hostArchitecture(),
      os: platform?.os ?? 'linux',
      ...(platform?.variant !== undefined ? { variant: platform.variant } : {}),
      created: now,
      config: defaults,
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
      history: [{ created: now, comment: opts.message !== undefined && opts.message !== '' ? opts.message : 'Imported from -' }],
    };
    if (opts.message !== undefined && opts.message !== '') config.comment = opts.message;
    const blob = await this.content.put(JSON.stringify(config));
    return this.lock.run(async () => {
      await this.store.add({ id: blob.digest, layers: [{ digest: layer.digest, size: layer.size, mediaType: LAYER_MEDIA_TYPE }], addedAt: now }, config, blob.size);
      this.pendingChains.delete(layerChain);
      if (target !== undefined) {
        await this.store.setRef(refKey(target), blob.digest);
        this.logEvent('tag', blob.digest, familiarString(target));
      }
      this.logEvent('import', blob.digest, blob.digest);
      return blob.digest;
    });
  }

  /** `import` of a tarball the daemon downloads (http or https), with Docker's progress lines. */
  async importFromUrl(src: string, opts: ImportOptions, progress: ProgressSink, signal?: AbortSignal): Promise<Digest> {
    const text = src.includes('://') ? src : `http://${src}`;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw invalidArgument(`invalid URL: ${src}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidArgument(`unsupported URL scheme ${url.protocol.replace(/:$/, '')}: only http and https`);
    let res: Response;
    try {
      res = await fetch(url, signal !== undefined ? { signal } : {});
    } catch (e: unknown) {
      throw new EngineError('unavailable', `Get "${url.toString()}": ${e instanceof Error && e.cause instanceof Error ? e.cause.message : String(e)}`, { cause: e });
    }
    if (!res.ok || res.body === null) throw invalidArgument(`Get "${url.toString()}": bad status ${res.status} ${res.statusText}`);
    progress({ status: `Downloading from ${url.toString()}` });
    const total = Number(res.headers.get('content-length') ?? 0);
    let n = 0;
    const t = throttledBytes((c) => progress({ status: 'Importing', layer: true, current: c, total }));
    const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream).pipe(new Transform({
      transform(chunk: Buffer, _enc, cb): void {
        n += chunk.length;
        t.update(n);
        cb(null, chunk);
      },
    }));
    const id = await this.import(body, opts);
    t.flush();
    return id;
  }

  setRetainer(fn: () => { chains: Set<Digest>; blobs: Set<Digest> }): void {
    this.retainer = fn;
  }

  /**
   * Records an image whose layer blobs are in the content store and unpacked
   * already (a build's result), and tags it.
   */
  async createImage(config: ImageConfig, layers: readonly LayerRef[], tags: readonly string[]): Promise<Digest> {
    const refs = tags.map((t) => parseTarget(t, undefined));
    const json = JSON.stringify(config);
    // A rebuild with everything cached gives the same config: nothing to write then.
    const known = this.store.get(sha256Digest(json));
    const blob = known !== undefined ? { digest: known.record.id, size: known.configSize } : await this.content.put(json);
    return this.lock.run(async () => {
      if (this.store.get(blob.digest) === undefined) {
        await this.store.add({ id: blob.digest, layers: [...layers], addedAt: new Date().toISOString() }, config, blob.size);
      }
      for (const ref of refs) {
        if (this.store.resolveRef(refKey(ref)) === blob.digest) continue;
        await this.store.setRef(refKey(ref), blob.digest);
        this.logEvent('tag', blob.digest, familiarString(ref));
      }
      return blob.digest;
    });
  }

  /** Checks that `tag` is a valid reference to tag with (Docker's "invalid reference format" otherwise). */
  validateTag(tag: string): void {
    parseTarget(tag, undefined);
  }

  /** Blobs that images use: configs and layers. */
  imageBlobs(): Set<Digest> {
    return new Set(this.store.all().flatMap((i) => [i.record.id, ...i.record.layers.map((l) => l.digest), ...(i.record.pushLayers ?? []).map((l) => l.digest)]));
  }

  async remove(nameOrId: string, opts: { force?: boolean; noPrune?: boolean } = {}): Promise<RemoveReportItem[]> {
    return this.lock.run(async () => {
      const image = this.resolve(nameOrId);
      const id = image.record.id;
      const refs = this.store.refsOf(id);
      const users = this.users(id);
      const byId = isIdLike(nameOrId, id);
      const report: RemoveReportItem[] = [];
      if (!byId) {
        const ref = refKey(parseReference(nameOrId));
        // As Docker: when a tag goes and only digest references of its repository remain, they go too.
        const removed = parseReference(ref);
        const others = refs.filter((r) => r !== ref);
        const digestsToo = removed.digest === undefined && others.length > 0 && others.every((r) => r.startsWith(`${removed.domain}/${removed.path}@`)) ? others : [];
        const lastRef = others.length === digestsToo.length;
        const user = users[0];
        if (lastRef && user !== undefined && opts.force !== true) {
          throw conflict(`conflict: unable to remove repository reference "${nameOrId}" (must force) - container ${user.id.slice(0, 12)} is using its referenced image ${short(id)}`);
        }
        await this.store.deleteRef(ref);
        const name = familiarString(parseReference(ref));
        report.push({ untagged: name });
        this.logEvent('untag', id, id);
        if (lastRef && !users.some((u) => u.running) && (users.length === 0 || opts.force === true)) {
          for (const r of digestsToo) {
            await this.store.deleteRef(r);
            report.push({ untagged: familiarString(parseReference(r)) });
          }
        }
        // Forced, an image only running containers use stays (untagged); stopped ones do not hold it.
        if (!lastRef || users.some((u) => u.running) || (users.length > 0 && opts.force !== true)) return report;
      } else {
        const running = users.find((u) => u.running);
        if (running !== undefined) {
          throw conflict(`conflict: unable to delete ${short(id)} (cannot be forced) - image is being used by running container ${running.id.slice(0, 12)}`);
        }
        if (refs.length > 1 && opts.force !== true) {
          throw conflict(`conflict: unable to delete ${short(id)} (must be forced) - image is referenced in multiple repositories`);
        }
        const stopped = users[0];
        if (stopped !== undefined && opts.force !== true) {
          throw conflict(`conflict: unable to delete ${short(id)} (must be forced) - image is being used by stopped container ${stopped.id.slice(0, 12)}`);
        }
        for (const r of refs) {
          await this.store.deleteRef(r);
          const name = familiarString(parseReference(r));
          report.push({ untagged: name });
          this.logEvent('untag', id, id);
        }
      }
      report.push(...(await this.deleteImageLocked(image)));
      return report;
    });
  }

  async prune(opts: { all: boolean; filters?: ImageFilters }): Promise<{ deleted: RemoveReportItem[]; spaceReclaimed: number }> {
    return this.lock.run(async () => {
      const deleted: RemoveReportItem[] = [];
      let spaceReclaimed = 0;
      for (const image of this.store.all()) {
        const id = image.record.id;
        const refs = this.store.refsOf(id);
        if (!opts.all && refs.length > 0) continue;
        if (this.users(id).length > 0) continue;
        const { 'label!': notLabels = [], ...filters } = opts.filters ?? {};
        if (!matchImageFilters(this.summary(image), { ...filters, dangling: [] }, (n) => this.find(n))) continue;
        if (notLabels.some((l) => matchImageFilters(this.summary(image), { label: [l] }, (n) => this.find(n)))) continue;
        for (const r of refs) {
          await this.store.deleteRef(r);
          deleted.push({ untagged: familiarString(parseReference(r)) });
        }
        // Like Docker, only the layers actually removed count: one shared with another image frees nothing.
        const sizes = new Map<string, number>(chainIds(image.config.rootfs.diff_ids).map((c) => [c, this.snapshots.committedSize(c)]));
        const items = await this.deleteImageLocked(image);
        for (const item of items) if ('deleted' in item) spaceReclaimed += sizes.get(item.deleted) ?? 0;
        deleted.push(...items);
      }
      this.events.publish('image', 'prune', '', { reclaimed: String(spaceReclaimed) });
      return { deleted, spaceReclaimed };
    });
  }

  /**
   * Removes unpacked layers that no image and no container needs any more (a
   * container can outlive its image: its layers stay until it is removed).
   */
  async collectGarbage(): Promise<void> {
    await this.lock.run(async () => {
      const keep = new Set([...this.store.all().flatMap((i) => chainIds(i.config.rootfs.diff_ids)), ...this.snapshots.chainsInUse(), ...this.pendingChains, ...this.retainer().chains]);
      for (const c of this.snapshots.committedChains()) {
        if (!keep.has(c)) await this.snapshots.removeCommitted(c);
      }
    });
  }

  /** Docker's LogImageEvent: the image's labels (while it exists) and a name. */
  private logEvent(action: string, id: Digest, name: string): void {
    const labels = this.store.get(id)?.config.config?.Labels ?? {};
    this.events.publish('image', action, id, { ...labels, name });
  }

  /** Chain ID of the image's top layer: what a container's writable layer sits on. */
  topChainId(image: Image): Digest | undefined {
    const chains = chainIds(image.config.rootfs.diff_ids);
    return chains[chains.length - 1];
  }

  private async deleteImageLocked(image: Image): Promise<RemoveReportItem[]> {
    const id = image.record.id;
    const others = this.store.all().filter((i) => i.record.id !== id);
    const retained = this.retainer();
    const keepChains = new Set([...others.flatMap((i) => chainIds(i.config.rootfs.diff_ids)), ...this.snapshots.chainsInUse(), ...retained.chains]);
    const keepBlobs = new Set([...others.flatMap((i) => [i.record.id, ...i.record.layers.map((l) => l.digest), ...(i.record.pushLayers ?? []).map((l) => l.digest)]), ...retained.blobs]);
    await this.store.delete(id);
    const report: RemoveReportItem[] = [{ deleted: id }];
    for (const c of chainIds(image.config.rootfs.diff_ids).reverse()) {
      if (keepChains.has(c)) continue;
      await this.snapshots.removeCommitted(c);
      report.push({ deleted: c });
    }
    const manifest = image.record.manifest?.digest;
    for (const d of [id, ...image.record.layers.map((l) => l.digest), ...(image.record.pushLayers ?? []).map((l) => l.digest), ...(manifest !== undefined && !others.some((i) => i.record.manifest?.digest === manifest) ? [manifest] : [])]) {
      if (!keepBlobs.has(d)) await this.content.delete(d);
    }
    this.logEvent('delete', id, id);
    return report;
  }

  /**
   * `system df`'s image part: each image with the size of the layers it shares
   * with other images, and the size of all layers, each counted once.
   */
  diskUsage(): { layersSize: number; images: Array<ImageSummary & { sharedSize: number }> } {
    const all = this.store.all();
    const users = new Map<Digest, number>();
    for (const image of all) for (const c of new Set(chainIds(image.config.rootfs.diff_ids))) users.set(c, (users.get(c) ?? 0) + 1);
    let layersSize = 0;
    for (const c of users.keys()) layersSize += this.snapshots.committedSize(c);
    const images = all.map((image) => ({
      ...this.summary(image),
      sharedSize: [...new Set(chainIds(image.config.rootfs.diff_ids))].filter((c) => (users.get(c) ?? 0) > 1)
        .reduce((n, c) => n + this.snapshots.committedSize(c), 0),
    }));
    return { layersSize, images };
  }

  private tagsOf(id: Digest): string[] {
    return this.store.refsOf(id).filter((r) => !r.includes('@')).map((r) => familiarString(parseReference(r)));
  }

  private summary(image: Image): ImageSummary {
    const id = image.record.id;
    const refs = this.store.refsOf(id);
    const size = chainIds(image.config.rootfs.diff_ids).reduce((n, c) => n + this.snapshots.committedSize(c), 0);
    return {
      id,
      repoTags: refs.filter((r) => !r.includes('@')).map((r) => familiarString(parseReference(r))),
      repoDigests: refs.filter((r) => r.includes('@')).map((r) => familiarString(parseReference(r))),
      created: image.config.created === undefined ? undefined : new Date(image.config.created),
      size,
      labels: image.config.config?.Labels ?? {},
      containers: this.users(id).length,
    };
  }
}

/** The key of a reference in the store: full name with tag (latest when none) or digest. */
export function refKey(ref: ImageReference): string {
  const name = `${ref.domain}/${ref.path}`;
  if (ref.digest !== undefined) return `${name}@${ref.digest}`;
  return `${name}:${ref.tag ?? 'latest'}`;
}

/** The reference a pull names: `fromImage` with `tag` (a tag or a digest) applied, "latest" by default. */
export function pullReference(reference: string, tag: string | undefined): ImageReference {
  let ref = parseReference(reference);
  if (tag !== undefined && tag !== '') {
    const named = { domain: ref.domain, path: ref.path };
    ref = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:/.test(tag) ? parseReference(`${familiarName(named)}@${tag}`) : withTag(named, tag);
  }
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: 'latest' } : ref;
}

function parseTarget(repo: string, tag: string | undefined): ImageReference {
  const text = tag !== undefined && tag !== '' ? `${repo}:${tag}` : repo;
  const ref = parseReference(text);
  if (ref.digest !== undefined) throw invalidArgument('refusing to create a tag with a digest reference');
  return ref;
}

function isIdLike(nameOrId: string, id: Digest): boolean {
  const m = /^(?:sha256:)?([a-f0-9]+)$/.exec(nameOrId);
  return m !== null && id.startsWith(`sha256:${m[1] ?? ''}`);
}

function short(id: Digest): string {
  return id.slice(7, 19);
}

function displayName(nameOrId: string): string {
  if (/^(?:sha256:)?[a-f0-9]{64}$/.test(nameOrId)) return nameOrId;
  try {
    const ref = parseReference(nameOrId);
    return familiarString(ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: 'latest' } : ref);
  } catch {
    return nameOrId;
  }
}

/** Waits until a writable can take more, or is gone. */
function drained(w: NodeJS.WritableStream & { once: (e: string, l: () => void) => unknown; off: (e: string, l: () => void) => unknown }): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      w.off('drain', done);
      w.off('close', done);
      resolve();
    };
    w.once('drain', done);
    w.once('close', done);
  });
}
