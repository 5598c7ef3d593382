import { promises as fs } from 'node:fs';
import { invalidArgument, notFound } from '../engine-error.js';
import { checkDuplicates, type MountPoint, type MountRequest } from './mounts.js';

/** What containers need from the volume service. */
export interface VolumeBackend {
  create(opts: { name?: string; anonymous?: boolean; labels?: Readonly<Record<string, string>>; options?: Readonly<Record<string, string>> }): Promise<{ name: string }>;
  remove(name: string, opts?: { force?: boolean }): Promise<void>;
  /** The host path of the volume's content, mounted if the volume needs a mount of its own. */
  acquire(name: string): Promise<string>;
  release(name: string): Promise<void>;
  restore(name: string): void;
  /** Where the volume's content is on the host. */
  mountpoint(name: string): string;
}

/** Mount points another container has, for `--volumes-from`. */
export type MountsOf = (idOrName: string) => readonly MountPoint[] | undefined;

/**
 * Turns a container's mount requests into mount points: volumes created (named
 * ones when missing, anonymous ones with a new name), `-v` bind sources created
 * when missing and `--mount` ones required, `--volumes-from` copied, and the
 * image's VOLUMEs that nothing else covers given anonymous volumes. On failure
 * the volumes it created are removed again.
 */
export async function resolveMounts(
  requests: readonly MountRequest[], volumesFrom: readonly string[], imageVolumes: readonly string[],
  volumes: VolumeBackend, mountsOf: MountsOf,
): Promise<MountPoint[]> {
  const created: string[] = [];
  try {
    const out: MountPoint[] = [];
    for (const spec of volumesFrom) {
      const [name = '', mode = ''] = spec.split(':');
      if (mode !== '' && mode !== 'ro' && mode !== 'rw') throw invalidArgument(`invalid mode: ${mode}`);
      const theirs = mountsOf(name);
      if (theirs === undefined) throw notFound(`No such container: ${name}`);
      for (const m of theirs) {
        if (m.type === 'tmpfs') continue;
        out.push(mode === '' ? m : { ...m, readonly: mode === 'ro' });
      }
    }
    for (const r of requests) {
      if (r.type === 'tmpfs') {
        out.push(r);
      } else if (r.type === 'bind') {
        const exists = await fs.stat(r.source).then(() => true, () => false);
        if (!exists) {
          if (!r.createSource) throw invalidArgument(`invalid mount config for type "bind": bind source path does not exist: ${r.source}`);
          await fs.mkdir(r.source, { recursive: true, mode: 0o755 });
        }
        out.push({ type: 'bind', source: r.source, destination: r.destination, readonly: r.readonly, propagation: r.propagation, mode: r.mode });
      } else {
        const anonymous = r.name === '';
        const v = await volumes.create({
          ...(anonymous ? { anonymous: true } : { name: r.name }),
          ...(r.labels !== undefined ? { labels: r.labels } : {}),
          ...(r.driverOptions !== undefined ? { options: r.driverOptions } : {}),
        });
        if (anonymous) created.push(v.name);
        out.push({ type: 'volume', name: v.name, destination: r.destination, readonly: r.readonly, noCopy: r.noCopy, mode: r.mode, anonymous });
      }
    }
    // A later mount on the same path replaces one from --volumes-from, as in Docker.
    const byDest = new Map<string, MountPoint>();
    for (const m of out) byDest.set(m.destination, m);
    const explicit = [...byDest.values()];
    checkDuplicates(requests);
    for (const dest of imageVolumes) {
      const d = dest.replace(/\/$/, '') || '/';
      if (byDest.has(d)) continue;
      const v = await volumes.create({ anonymous: true });
      created.push(v.name);
      const m: MountPoint = { type: 'volume', name: v.name, destination: d, readonly: false, noCopy: false, mode: '', anonymous: true };
      byDest.set(d, m);
      explicit.push(m);
    }
    return explicit;
  } catch (e: unknown) {
    for (const name of created) await volumes.remove(name, { force: true }).catch(() => undefined);
    throw e;
  }
}
