import type { Readable } from 'node:stream';
import type { ContentStore } from '../content/content-store.js';
import type { Digest } from '../content/digest.js';
import { conflict, invalidArgument, notFound } from '../engine-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';
import { chainIds } from '../snapshots/chain-id.js';
import { Mutex } from '../sync/mutex.js';
import { decompressed } from './decompress.js';
import { parsePlatform } from './platform.js';
import type { ContainerDefaults, HistoryEntry, ImageConfig } from './image-config.js';
import type { Image, ImageStore } from './image-store.js';
import { applyChanges } from './import-changes.js';
import { familiarString, parseReference, type ImageReference } from '../reference/image-reference.js';
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

  constructor(
    private readonly store: ImageStore,
    private readonly content: ContentStore,
    private readonly snapshots: Snapshotter,
    private readonly events: EventBus,
    private readonly users: ImageUsers,
  ) {}

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
        const lastRef = refs.length <= 1;
        const user = users[0];
        if (lastRef && user !== undefined && opts.force !== true) {
          throw conflict(`conflict: unable to remove repository reference "${nameOrId}" (must force) - container ${user.id.slice(0, 12)} is using its referenced image ${short(id)}`);
        }
        await this.store.deleteRef(ref);
        const name = familiarString(parseReference(ref));
        report.push({ untagged: name });
        this.logEvent('untag', id, id);
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
      const keep = new Set([...this.store.all().flatMap((i) => chainIds(i.config.rootfs.diff_ids)), ...this.snapshots.chainsInUse(), ...this.pendingChains]);
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
    const keepChains = new Set([...others.flatMap((i) => chainIds(i.config.rootfs.diff_ids)), ...this.snapshots.chainsInUse()]);
    const keepBlobs = new Set(others.flatMap((i) => [i.record.id, ...i.record.layers.map((l) => l.digest)]));
    await this.store.delete(id);
    const report: RemoveReportItem[] = [{ deleted: id }];
    for (const c of chainIds(image.config.rootfs.diff_ids).reverse()) {
      if (keepChains.has(c)) continue;
      await this.snapshots.removeCommitted(c);
      report.push({ deleted: c });
    }
    for (const d of [id, ...image.record.layers.map((l) => l.digest)]) {
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
