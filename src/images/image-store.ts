import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ContentStore } from '../content/content-store.js';
import { digestHex, isDigest, type Digest } from '../content/digest.js';
import { readJsonFile, sweepRemoving, writeJsonAtomic } from '../storage/atomic-file.js';
import { parseImageConfig, type ImageConfig } from './image-config.js';

export interface LayerRef {
  readonly digest: Digest;
  readonly size: number;
  readonly mediaType: string;
}

/** What berth keeps about an image besides its config blob. */
export interface ImageRecord {
  readonly id: Digest;
  readonly layers: readonly LayerRef[];
  readonly addedAt: string;
  /** When a reference was last set on the image (Metadata.LastTagTime). */
  readonly lastTagTime?: string;
  /** The manifest the image was pulled or pushed with (its blob is in the content store). */
  readonly manifest?: { readonly digest: Digest; readonly mediaType: string };
  /** gzip-compressed copies of plain-tar layers, made for pushes (the manifest names these). */
  readonly pushLayers?: readonly LayerRef[];
}

export interface Image {
  readonly record: ImageRecord;
  readonly config: ImageConfig;
  readonly configSize: number;
}

/**
 * Image records (`<dir>/<hex>.json`) and the reference table (`references.json`:
 * full reference such as docker.io/library/busybox:latest -> image ID). The image
 * ID is the digest of the config blob, which lives in the content store.
 */
export class ImageStore {
  private readonly images = new Map<Digest, Image>();
  private refs = new Map<string, Digest>();

  constructor(
    private readonly dir: string,
    private readonly content: ContentStore,
  ) {}

  private get refsFile(): string {
    return path.join(this.dir, 'references.json');
  }

  async load(): Promise<void> {
    await sweepRemoving(this.dir);
    for (const name of await fs.readdir(this.dir)) {
      const m = /^([a-f0-9]{64})\.json$/.exec(name);
      if (m === null) continue;
      const rec = parseRecord(await readJsonFile(path.join(this.dir, name)));
      if (rec === undefined || digestHex(rec.id) !== m[1]) continue;
      try {
        const blob = await this.content.read(rec.id);
        this.images.set(rec.id, { record: rec, config: parseImageConfig(JSON.parse(blob.toString('utf8'))), configSize: blob.length });
      } catch {
        // a record whose config blob is gone is not an image
      }
    }
    const raw = await readJsonFile(this.refsFile);
    if (typeof raw === 'object' && raw !== null) {
      for (const [ref, id] of Object.entries(raw)) {
        if (typeof id === 'string' && isDigest(id) && this.images.has(id)) this.refs.set(ref, id);
      }
    }
  }

  get(id: Digest): Image | undefined {
    return this.images.get(id);
  }

  all(): Image[] {
    return [...this.images.values()];
  }

  async add(record: ImageRecord, config: ImageConfig, configSize: number): Promise<Image> {
    await writeJsonAtomic(path.join(this.dir, `${digestHex(record.id)}.json`), record);
    const image = { record, config, configSize };
    this.images.set(record.id, image);
    return image;
  }

  async delete(id: Digest): Promise<void> {
    await fs.rm(path.join(this.dir, `${digestHex(id)}.json`), { force: true });
    this.images.delete(id);
  }

  resolveRef(ref: string): Digest | undefined {
    return this.refs.get(ref);
  }

  /** References to the image, sorted as Docker's reference store sorts them (by full name). */
  refsOf(id: Digest): string[] {
    return [...this.refs].filter(([, v]) => v === id).map(([k]) => k).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  allRefs(): ReadonlyMap<string, Digest> {
    return this.refs;
  }

  async setRef(ref: string, id: Digest): Promise<void> {
    const next = new Map(this.refs);
    next.set(ref, id);
    await this.saveRefs(next);
    const image = this.images.get(id);
    if (image !== undefined) {
      const record = { ...image.record, lastTagTime: new Date().toISOString() };
      await writeJsonAtomic(path.join(this.dir, `${digestHex(id)}.json`), record);
      this.images.set(id, { ...image, record });
    }
  }

  async deleteRef(ref: string): Promise<void> {
    const next = new Map(this.refs);
    next.delete(ref);
    await this.saveRefs(next);
  }

  private async saveRefs(next: Map<string, Digest>): Promise<void> {
    const sorted = Object.fromEntries([...next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    await writeJsonAtomic(this.refsFile, sorted);
    this.refs = next;
  }
}

function parseRecord(v: unknown): ImageRecord | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  const id = r['id'];
  if (typeof id !== 'string' || !isDigest(id) || !Array.isArray(r['layers']) || typeof r['addedAt'] !== 'string') return undefined;
  const layers: LayerRef[] = [];
  for (const l of r['layers'] as unknown[]) {
    if (typeof l !== 'object' || l === null) return undefined;
    const lr = l as Record<string, unknown>;
    const digest = lr['digest'];
    if (typeof digest !== 'string' || !isDigest(digest) || typeof lr['size'] !== 'number' || typeof lr['mediaType'] !== 'string') return undefined;
    layers.push({ digest, size: lr['size'], mediaType: lr['mediaType'] });
  }
  let rec: ImageRecord = { id, layers, addedAt: r['addedAt'] };
  if (typeof r['lastTagTime'] === 'string') rec = { ...rec, lastTagTime: r['lastTagTime'] };
  if (Array.isArray(r['pushLayers'])) {
    const pl: LayerRef[] = [];
    for (const l of r['pushLayers'] as unknown[]) {
      const lr = (typeof l === 'object' && l !== null ? l : {}) as Record<string, unknown>;
      const digest = lr['digest'];
      if (typeof digest === 'string' && isDigest(digest) && typeof lr['size'] === 'number' && typeof lr['mediaType'] === 'string') pl.push({ digest, size: lr['size'], mediaType: lr['mediaType'] });
    }
    if (pl.length === layers.length) rec = { ...rec, pushLayers: pl };
  }
  const m = r['manifest'];
  if (typeof m === 'object' && m !== null) {
    const md = (m as Record<string, unknown>)['digest'];
    const mt = (m as Record<string, unknown>)['mediaType'];
    if (typeof md === 'string' && isDigest(md) && typeof mt === 'string') rec = { ...rec, manifest: { digest: md, mediaType: mt } };
  }
  return rec;
}
