import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Digest } from '../content/digest.js';
import { isDigest } from '../content/digest.js';
import { errnoCode, internal, notFound } from '../engine-error.js';
import { readJsonFile, removeDirAtomic, sweepRemoving, syncDir, writeJsonAtomic } from '../storage/atomic-file.js';
import { chainId as computeChainId } from './chain-id.js';
import { startTarExtract } from './tar-extract.js';
import { convertWhiteouts } from './whiteouts.js';
import type { LayerApply, MountSpec, Snapshotter } from './snapshotter.js';

type SnapshotRecord =
  | { kind: 'committed'; id: number; chainId: Digest; parent: Digest | null; diffId: Digest; size: number; createdAt: string }
  | { kind: 'active'; id: number; key: string; parent: Digest | null; createdAt: string };

/**
 * Layers unpacked into `<root>/<n>/fs`, writable layers in `<root>/<n>/upper` and
 * `work`, combined by overlayfs. Numeric directory names keep mount options short.
 * A snapshot directory is built under a hidden temporary name with its record
 * inside, then renamed: the rename is the commit point.
 */
export class OverlaySnapshotter implements Snapshotter {
  private readonly byChain = new Map<Digest, Extract<SnapshotRecord, { kind: 'committed' }>>();
  private readonly byKey = new Map<string, Extract<SnapshotRecord, { kind: 'active' }>>();
  private nextId = 1;

  constructor(private readonly root: string) {}

  private get emptyDir(): string {
    return path.join(this.root, 'empty');
  }

  async load(): Promise<void> {
    await sweepRemoving(this.root);
    await fs.mkdir(this.emptyDir, { recursive: true });
    for (const name of await fs.readdir(this.root)) {
      if (name.startsWith('.tmp-')) {
        await fs.rm(path.join(this.root, name), { recursive: true, force: true });
        continue;
      }
      if (!/^\d+$/.test(name)) continue;
      const rec = parseRecord(await readJsonFile(path.join(this.root, name, 'snapshot.json')));
      if (rec === undefined || rec.id !== Number(name)) {
        await removeDirAtomic(path.join(this.root, name));
        continue;
      }
      this.nextId = Math.max(this.nextId, rec.id + 1);
      if (rec.kind === 'committed') this.byChain.set(rec.chainId, rec);
      else this.byKey.set(rec.key, rec);
    }
  }

  hasCommitted(chainId: Digest): boolean {
    return this.byChain.has(chainId);
  }

  committedSize(chainId: Digest): number {
    return this.byChain.get(chainId)?.size ?? 0;
  }

  chainsInUse(): Set<Digest> {
    const used = new Set<Digest>();
    for (const rec of this.byKey.values()) {
      for (let c = rec.parent; c !== null && !used.has(c); c = this.byChain.get(c)?.parent ?? null) used.add(c);
    }
    return used;
  }

  committedChains(): Digest[] {
    return [...this.byChain.keys()];
  }

  hasActive(key: string): boolean {
    return this.byKey.has(key);
  }

  activeKeys(): string[] {
    return [...this.byKey.keys()];
  }

  async applyLayer(parent: Digest | undefined): Promise<LayerApply> {
    if (parent !== undefined && !this.byChain.has(parent)) throw notFound(`parent snapshot ${parent} does not exist`);
    const tmp = path.join(this.root, `.tmp-${randomBytes(6).toString('hex')}`);
    await fs.mkdir(path.join(tmp, 'fs'), { recursive: true });
    const extract = startTarExtract(path.join(tmp, 'fs'));
    let settled = false;
    return {
      input: extract.input,
      finish: async (diffId: Digest) => {
        settled = true;
        try {
          await extract.done;
          await convertWhiteouts(path.join(tmp, 'fs'));
        } catch (e: unknown) {
          await fs.rm(tmp, { recursive: true, force: true });
          throw e;
        }
        // A layer's size is what its files take once unpacked (Docker's DiffSize), not the tar's length.
        const size = await directorySize(path.join(tmp, 'fs'));
        const chainId = computeChainId(parent, diffId);
        if (this.byChain.has(chainId)) {
          await fs.rm(tmp, { recursive: true, force: true });
          return { chainId };
        }
        const rec = {
          kind: 'committed' as const, id: this.nextId++, chainId, parent: parent ?? null, diffId, size,
          createdAt: new Date().toISOString(),
        };
        await this.commitDir(tmp, rec);
        this.byChain.set(chainId, rec);
        return { chainId };
      },
      abort: async () => {
        if (!settled) {
          settled = true;
          extract.kill();
          await extract.done.catch(() => undefined);
        }
        await fs.rm(tmp, { recursive: true, force: true });
      },
    };
  }

  async prepare(key: string, parent: Digest | undefined): Promise<void> {
    if (this.byKey.has(key)) return;
    if (parent !== undefined && !this.byChain.has(parent)) throw notFound(`parent snapshot ${parent} does not exist`);
    const tmp = path.join(this.root, `.tmp-${randomBytes(6).toString('hex')}`);
    await fs.mkdir(path.join(tmp, 'upper'), { recursive: true, mode: 0o755 });
    await fs.mkdir(path.join(tmp, 'work'), { mode: 0o700 });
    const rec = { kind: 'active' as const, id: this.nextId++, key, parent: parent ?? null, createdAt: new Date().toISOString() };
    await this.commitDir(tmp, rec);
    this.byKey.set(key, rec);
  }

  mounts(key: string): MountSpec {
    const rec = this.byKey.get(key);
    if (rec === undefined) throw notFound(`snapshot ${key} does not exist`);
    const lowers: string[] = [];
    for (let c = rec.parent; c !== null; ) {
      const layer = this.byChain.get(c);
      if (layer === undefined) throw internal(`snapshot ${key}: missing layer ${c}`);
      lowers.push(path.join(this.root, String(layer.id), 'fs'));
      c = layer.parent;
    }
    if (lowers.length === 0) lowers.push(this.emptyDir);
    const dir = path.join(this.root, String(rec.id));
    return {
      type: 'overlay',
      source: 'overlay',
      options: [`lowerdir=${lowers.join(':')}`, `upperdir=${dir}/upper`, `workdir=${dir}/work`],
    };
  }

  /** The writable directory of `key` (files the container changed). */
  upperDir(key: string): string {
    const rec = this.byKey.get(key);
    if (rec === undefined) throw notFound(`snapshot ${key} does not exist`);
    return path.join(this.root, String(rec.id), 'upper');
  }

  async usage(key: string): Promise<number> {
    const rec = this.byKey.get(key);
    if (rec === undefined) return 0;
    return directorySize(path.join(this.root, String(rec.id), 'upper'));
  }

  async remove(key: string): Promise<void> {
    const rec = this.byKey.get(key);
    if (rec === undefined) return;
    await removeDirAtomic(path.join(this.root, String(rec.id)));
    this.byKey.delete(key);
  }

  async removeCommitted(chainId: Digest): Promise<void> {
    const rec = this.byChain.get(chainId);
    if (rec === undefined) return;
    await removeDirAtomic(path.join(this.root, String(rec.id)));
    this.byChain.delete(chainId);
  }

  /**
   * Committed layers are made durable. A writable layer is not synced: after a
   * crash an unreadable one is swept at startup, and its owner prepares it again.
   */
  private async commitDir(tmp: string, rec: SnapshotRecord): Promise<void> {
    if (rec.kind === 'committed') {
      await writeJsonAtomic(path.join(tmp, 'snapshot.json'), rec);
      await fs.rename(tmp, path.join(this.root, String(rec.id)));
      await syncDir(this.root);
    } else {
      await fs.writeFile(path.join(tmp, 'snapshot.json'), JSON.stringify(rec));
      await fs.rename(tmp, path.join(this.root, String(rec.id)));
    }
  }
}

/**
 * Sum of the sizes of the regular files and symlinks under `dir`. Walks with
 * lstat and never follows a symlink: a layer may hold one to `/` (Node 20's
 * recursive readdir follows them, out of the snapshot into the host).
 */
export async function directorySize(dir: string): Promise<number> {
  let total = 0;
  const pending = [dir];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    let entries;
    try {
      entries = await fs.readdir(next, { withFileTypes: true });
    } catch (e: unknown) {
      if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'ENOTDIR') continue;
      throw e;
    }
    for (const entry of entries) {
      const p = path.join(next, entry.name);
      if (entry.isDirectory()) {
        pending.push(p);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        try {
          total += (await fs.lstat(p)).size;
        } catch {
          // vanished while walking
        }
      }
    }
  }
  return total;
}

function parseRecord(v: unknown): SnapshotRecord | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  const parent = r['parent'] === null ? null : typeof r['parent'] === 'string' && isDigest(r['parent']) ? r['parent'] : undefined;
  if (typeof r['id'] !== 'number' || parent === undefined || typeof r['createdAt'] !== 'string') return undefined;
  if (r['kind'] === 'committed' && typeof r['chainId'] === 'string' && isDigest(r['chainId']) &&
      typeof r['diffId'] === 'string' && isDigest(r['diffId']) && typeof r['size'] === 'number') {
    return { kind: 'committed', id: r['id'], chainId: r['chainId'], parent, diffId: r['diffId'], size: r['size'], createdAt: r['createdAt'] };
  }
  if (r['kind'] === 'active' && typeof r['key'] === 'string') {
    return { kind: 'active', id: r['id'], key: r['key'], parent, createdAt: r['createdAt'] };
  }
  return undefined;
}
