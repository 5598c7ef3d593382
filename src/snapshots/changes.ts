import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readXattrs } from './layer-diff.js';
import type { MountSpec } from './snapshotter.js';

/** Docker's change kinds: 0 modified, 1 added, 2 deleted. */
export type ChangeKind = 0 | 1 | 2;

export interface Change {
  readonly path: string;
  readonly kind: ChangeKind;
}

/** The lower directories of an overlay mount description, topmost first. */
export function lowerDirs(spec: MountSpec): string[] {
  const opt = spec.options.find((o) => o.startsWith('lowerdir='));
  return opt === undefined ? [] : opt.slice('lowerdir='.length).split(':');
}

/**
 * What a writable layer changed over its lowers, as `docker diff` lists it:
 * a whiteout is a deletion, a path the lowers have is a modification, the
 * rest was added. Sorted by path.
 */
export async function changes(upper: string, lowers: readonly string[]): Promise<Change[]> {
  const xattrs = await readXattrs(upper);
  const out: Change[] = [];
  const walk = async (rel: string, opaqueAbove: boolean): Promise<void> => {
    const names = await fs.readdir(path.join(upper, rel)).catch(() => [] as string[]);
    for (const name of names) {
      const childRel = `${rel}/${name}`;
      const st = await fs.lstat(path.join(upper, childRel));
      if (st.isCharacterDevice() && st.rdev === 0) {
        out.push({ path: childRel, kind: 2 });
        continue;
      }
      const existed = !opaqueAbove && (await inLowers(lowers, childRel));
      out.push({ path: childRel, kind: existed ? 0 : 1 });
      if (st.isDirectory()) {
        const opaque = xattrs.get(childRel.slice(1))?.get('trusted.overlay.opaque')?.toString() === 'y';
        await walk(childRel, opaqueAbove || opaque);
      }
    }
  };
  await walk('', false);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function inLowers(lowers: readonly string[], rel: string): Promise<boolean> {
  for (const lower of lowers) {
    const st = await fs.lstat(path.join(lower, rel)).catch(() => undefined);
    if (st === undefined) continue;
    return !(st.isCharacterDevice() && st.rdev === 0);
  }
  return false;
}
