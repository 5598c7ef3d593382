import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { ContentStore } from '../content/content-store.js';
import type { Digest } from '../content/digest.js';
import { isDigest } from '../content/digest.js';
import { parseImageConfig, type ImageConfig } from '../images/image-config.js';
import type { LayerRef } from '../images/image-store.js';
import { chainIds } from '../snapshots/chain-id.js';
import { readJsonFile, writeJsonAtomic } from '../storage/atomic-file.js';
import type { BuildState } from './build-state.js';

/** What the cache needs to check that a cached step's layers are still there. */
export interface CacheLayers {
  hasCommitted(chainId: Digest): boolean;
}

export interface CacheEntry {
  readonly key: string;
  readonly state: BuildState;
  readonly createdAt: string;
  lastUsedAt: string;
}

/**
 * The step cache: `<dir>/<key>.json` maps a step key (parent step + the
 * instruction + what it copies) to the state the step produced. Records are
 * written atomically, so a crash keeps the old cache or the new entry. An entry
 * whose layers were removed meanwhile is a miss.
 */
export class BuildCache {
  private readonly entries = new Map<string, CacheEntry>();
  /** Layers of builds in progress (not in the cache or an image yet). */
  private readonly holds = new Set<Set<Digest>>();

  constructor(private readonly dir: string, private readonly content: ContentStore, private readonly layers: CacheLayers) {}

  async load(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (const name of await fs.readdir(this.dir)) {
      const m = /^([a-f0-9]{64})\.json$/.exec(name);
      if (m === null) {
        if (name.startsWith('.')) await fs.rm(path.join(this.dir, name), { force: true });
        continue;
      }
      try {
        const entry = parseEntry(await readJsonFile(path.join(this.dir, name)));
        if (entry !== undefined && entry.key === m[1]) this.entries.set(entry.key, entry);
      } catch {
        // an unreadable record is no cache entry
      }
    }
  }

  /** The cached result of step `key`, when all its layers are still there. */
  async get(key: string): Promise<BuildState | undefined> {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const chains = chainIds(entry.state.config.rootfs.diff_ids);
    const top = chains.at(-1);
    if (top !== undefined && !this.layers.hasCommitted(top)) return undefined;
    for (const l of entry.state.layers) {
      if ((await this.content.info(l.digest)) === undefined) return undefined;
    }
    entry.lastUsedAt = new Date().toISOString();
    return entry.state;
  }

  async put(key: string, state: BuildState): Promise<void> {
    const now = new Date().toISOString();
    const entry: CacheEntry = { key, state, createdAt: now, lastUsedAt: now };
    await writeJsonAtomic(path.join(this.dir, `${key}.json`), entry);
    this.entries.set(key, entry);
  }

  /** Keeps the chains and blobs put in `held` while a build runs; call the result when it ends. */
  hold(held: Set<Digest>): () => void {
    this.holds.add(held);
    return () => { this.holds.delete(held); };
  }

  /** Layer chains and blobs the cache and running builds refer to (garbage collection keeps them). */
  retained(): { chains: Set<Digest>; blobs: Set<Digest> } {
    const chains = new Set<Digest>();
    const blobs = new Set<Digest>();
    for (const h of this.holds) for (const d of h) { chains.add(d); blobs.add(d); }
    for (const e of this.entries.values()) {
      for (const c of chainIds(e.state.config.rootfs.diff_ids)) chains.add(c);
      for (const l of e.state.layers) blobs.add(l.digest);
    }
    return { chains, blobs };
  }

  /** Drops every entry; returns how many there were. */
  async prune(): Promise<{ count: number; keys: string[] }> {
    const keys = [...this.entries.keys()];
    for (const key of keys) {
      await fs.rm(path.join(this.dir, `${key}.json`), { force: true });
      this.entries.delete(key);
    }
    return { count: keys.length, keys };
  }

  size(): number {
    return this.entries.size;
  }
}

/** A cache key: sha256 over the parts, each length-prefixed so parts never run together. */
export function cacheKey(...parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${Buffer.byteLength(p)}:${p}`);
  return h.digest('hex');
}

function parseEntry(v: unknown): CacheEntry | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  const state = r['state'];
  if (typeof r['key'] !== 'string' || typeof state !== 'object' || state === null) return undefined;
  const s = state as Record<string, unknown>;
  if (!Array.isArray(s['layers']) || typeof s['cacheKey'] !== 'string') return undefined;
  const layers: LayerRef[] = [];
  for (const l of s['layers'] as unknown[]) {
    if (typeof l !== 'object' || l === null) return undefined;
    const lr = l as Record<string, unknown>;
    if (typeof lr['digest'] !== 'string' || !isDigest(lr['digest']) || typeof lr['size'] !== 'number' || typeof lr['mediaType'] !== 'string') return undefined;
    layers.push({ digest: lr['digest'], size: lr['size'], mediaType: lr['mediaType'] });
  }
  parseImageConfig(s['config']); // validates; the record keeps the exact JSON, so the image ID stays the same
  const config = s['config'] as ImageConfig;
  const createdAt = typeof r['createdAt'] === 'string' ? r['createdAt'] : new Date(0).toISOString();
  return { key: r['key'], state: { config, layers, cacheKey: s['cacheKey'] }, createdAt, lastUsedAt: typeof r['lastUsedAt'] === 'string' ? r['lastUsedAt'] : createdAt };
}
