import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { conflict, EngineError, invalidArgument, notFound } from '../engine-error.js';
import type { EventBus } from '../events/event-bus.js';
import { directorySize } from '../snapshots/overlay-snapshotter.js';
import { isMountPoint, mountAt, unmount } from '../snapshots/mounter.js';
import { KeyedMutex } from '../sync/mutex.js';
import { ANONYMOUS_LABEL, type VolumeRecord } from './volume.js';
import type { VolumeStore } from './volume-store.js';

export interface CreateVolumeOptions {
  readonly name?: string;
  readonly driver?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly options?: Readonly<Record<string, string>>;
  readonly anonymous?: boolean;
}

export interface VolumeView {
  readonly record: VolumeRecord;
  readonly mountpoint: string;
  /** Bytes used and containers using it, when asked for. */
  readonly size?: number;
  readonly refCount?: number;
}

export type VolumeFilters = Readonly<Record<string, readonly string[]>>;

/** Which containers use a volume (any state): asked before removing it. */
export type VolumeUsers = (name: string) => string[];

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const LOCAL_OPTIONS = new Set(['type', 'device', 'o', 'size']);

export class VolumeService {
  private readonly locks = new KeyedMutex();
  /** Containers running with each volume mounted (for volumes backed by a mount of their own). */
  private readonly mounted = new Map<string, number>();

  constructor(
    private readonly store: VolumeStore,
    private readonly events: EventBus,
    private readonly users: VolumeUsers,
  ) {}

  find(name: string): VolumeRecord | undefined {
    return this.store.get(name);
  }

  resolve(name: string): VolumeRecord {
    const v = this.store.get(name);
    if (v === undefined) throw notFound(`get ${name}: no such volume`);
    return v;
  }

  mountpoint(name: string): string {
    return this.store.dataPath(name);
  }

  async create(opts: CreateVolumeOptions): Promise<VolumeRecord> {
    const anonymous = opts.anonymous === true || opts.name === undefined || opts.name === '';
    const name = opts.name !== undefined && opts.name !== '' ? opts.name : randomBytes(32).toString('hex');
    if (!NAME_RE.test(name)) {
      throw invalidArgument(name.length < 2
        ? `create ${name}: volume name is too short, names should be at least two alphanumeric characters`
        : `create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`);
    }
    const driver = opts.driver === undefined || opts.driver === '' ? 'local' : opts.driver;
    if (driver !== 'local') throw notFound(`create ${name}: error looking up volume plugin ${driver}: plugin "${driver}" not found`);
    for (const k of Object.keys(opts.options ?? {})) {
      if (!LOCAL_OPTIONS.has(k)) throw invalidArgument(`create ${name}: invalid option: "${k}"`);
    }
    return this.locks.run(name, async () => {
      const existing = this.store.get(name);
      if (existing !== undefined) return existing;
      const rec: VolumeRecord = {
        name, driver: 'local', created: new Date().toISOString(),
        labels: { ...(opts.labels ?? {}), ...(anonymous ? { [ANONYMOUS_LABEL]: '' } : {}) },
        options: { ...(opts.options ?? {}) }, anonymous,
      };
      await this.store.create(rec);
      this.events.publish('volume', 'create', name, { driver: 'local' });
      return rec;
    });
  }

  async list(filters: VolumeFilters, withSize = false): Promise<VolumeView[]> {
    for (const k of Object.keys(filters)) {
      if (!['dangling', 'name', 'label', 'driver'].includes(k)) throw invalidArgument(`invalid filter '${k}'`);
    }
    const dangling = filters['dangling'] ?? [];
    if (dangling.length > 1 || dangling.some((v) => !['true', 'false', '1', '0'].includes(v))) {
      throw invalidArgument(`invalid filter 'dangling=[${dangling.join(' ')}]'`);
    }
    const out: VolumeView[] = [];
    for (const rec of this.store.all()) {
      if (!matches(rec, filters, this.users(rec.name).length > 0)) continue;
      out.push(await this.view(rec, withSize));
    }
    return out.sort((a, b) => (a.record.name < b.record.name ? -1 : 1));
  }

  async inspect(name: string): Promise<VolumeView> {
    return this.view(this.resolve(name), false);
  }

  async remove(name: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.locks.run(name, async () => {
      const rec = this.store.get(name);
      if (rec === undefined) {
        if (opts.force === true) return;
        throw notFound(`get ${name}: no such volume`);
      }
      const users = this.users(name);
      if (users.length > 0) throw conflict(`remove ${name}: volume is in use - [${users.join(', ')}]`);
      await this.deleteLocked(rec);
    });
  }

  /** Removes unused volumes: anonymous ones only, or all with `all`. */
  async prune(opts: { all: boolean; filters?: VolumeFilters }): Promise<{ deleted: string[]; spaceReclaimed: number }> {
    const filters = opts.filters ?? {};
    for (const k of Object.keys(filters)) {
      if (!['label', 'label!', 'all'].includes(k)) throw invalidArgument(`invalid filter '${k}'`);
    }
    const deleted: string[] = [];
    let spaceReclaimed = 0;
    for (const rec of this.store.all()) {
      if (!opts.all && !rec.anonymous) continue;
      if (!matches(rec, { label: filters['label'] ?? [] }, false)) continue;
      if ((filters['label!'] ?? []).some((l) => matches(rec, { label: [l] }, false))) continue;
      if (this.users(rec.name).length > 0) continue;
      const size = await directorySize(this.store.dataPath(rec.name));
      await this.locks.run(rec.name, () => this.deleteLocked(rec));
      deleted.push(rec.name);
      spaceReclaimed += size;
    }
    this.events.publish('volume', 'prune', '', { reclaimed: String(spaceReclaimed) });
    return { deleted, spaceReclaimed };
  }

  /**
   * Makes the volume's content available for a container that starts: for
   * volumes with mount options (tmpfs, bind of a host path), mounts them on
   * first use. Returns the host path to bind into the container.
   */
  async acquire(name: string): Promise<string> {
    const rec = this.resolve(name);
    const data = this.store.dataPath(name);
    if (rec.options['type'] === undefined && rec.options['device'] === undefined) return data;
    await this.locks.run(name, async () => {
      const n = this.mounted.get(name) ?? 0;
      if (n === 0 && !(await isMountPoint(data))) await mountAt(localMount(rec), data);
      this.mounted.set(name, n + 1);
    });
    return data;
  }

  /** A container that used the volume stopped: the last one out unmounts it. */
  async release(name: string): Promise<void> {
    const rec = this.store.get(name);
    if (rec === undefined || (rec.options['type'] === undefined && rec.options['device'] === undefined)) return;
    await this.locks.run(name, async () => {
      const n = (this.mounted.get(name) ?? 1) - 1;
      if (n <= 0) {
        this.mounted.delete(name);
        await unmount(this.store.dataPath(name));
      } else {
        this.mounted.set(name, n);
      }
    });
  }

  /** After a daemon restart: a running container still holds a mount-backed volume. */
  restore(name: string): void {
    this.mounted.set(name, (this.mounted.get(name) ?? 0) + 1);
  }

  private async deleteLocked(rec: VolumeRecord): Promise<void> {
    const data = this.store.dataPath(rec.name);
    // Never delete through a mount: that would empty a bind-mounted host directory.
    await unmount(data);
    if (await isMountPoint(data)) throw new EngineError('internal', `remove ${rec.name}: its data is still mounted`);
    await this.store.delete(rec.name);
    this.mounted.delete(rec.name);
    this.events.publish('volume', 'destroy', rec.name, { driver: 'local' });
  }

  private async view(rec: VolumeRecord, withSize: boolean): Promise<VolumeView> {
    const base = { record: rec, mountpoint: this.store.dataPath(rec.name) };
    if (!withSize) return base;
    return { ...base, size: await directorySize(base.mountpoint), refCount: this.users(rec.name).length };
  }
}

/** The local driver's mount for a volume made with `-o type=... -o device=... -o o=...`. */
function localMount(rec: VolumeRecord): { type: string; source: string; options: string[] } {
  const o = (rec.options['o'] ?? '').split(',').filter(Boolean);
  if (rec.options['size'] !== undefined) o.push(`size=${rec.options['size']}`);
  const type = rec.options['type'] ?? 'none';
  if (o.includes('bind') || type === 'none') {
    return { type: 'none', source: rec.options['device'] ?? '', options: o.includes('bind') || o.includes('rbind') ? o : ['bind', ...o] };
  }
  return { type, source: rec.options['device'] ?? type, options: o.length > 0 ? o : ['defaults'] };
}

function matches(rec: VolumeRecord, filters: VolumeFilters, inUse: boolean): boolean {
  const any = (k: string, pred: (v: string) => boolean): boolean => (filters[k] ?? []).length === 0 || (filters[k] ?? []).some(pred);
  if (!any('dangling', (v) => (v === 'true' || v === '1') === !inUse)) return false;
  if (!any('name', (v) => { try { return new RegExp(v).test(rec.name); } catch { return rec.name.includes(v); } })) return false;
  if (!any('driver', (v) => v === rec.driver)) return false;
  for (const l of filters['label'] ?? []) {
    const i = l.indexOf('=');
    if (i < 0 ? !(l in rec.labels) : rec.labels[l.slice(0, i)] !== l.slice(i + 1)) return false;
  }
  return true;
}

export async function isEmptyDir(dir: string): Promise<boolean> {
  return (await fs.readdir(dir).catch(() => [])).length === 0;
}
