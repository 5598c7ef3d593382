import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { mountAt, unmount } from '../snapshots/mounter.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';
import { topChainId, type BuildState } from './build-state.js';

export interface MountedState {
  readonly dir: string;
  /** Snapshot key of the writable layer mounted over the state. */
  readonly key: string;
  unmount(): Promise<void>;
  /** Unmounts and drops the writable layer. */
  release(): Promise<void>;
}

/** Mounts a state's filesystem (over a throwaway writable layer) until `release`. */
export async function mountState(snapshots: Snapshotter, state: BuildState, workDir: string): Promise<MountedState> {
  const key = `build-${randomBytes(8).toString('hex')}`;
  const dir = path.join(workDir, key);
  await snapshots.prepare(key, topChainId(state));
  try {
    await mountAt(snapshots.mounts(key), dir);
  } catch (e: unknown) {
    await snapshots.remove(key);
    throw e;
  }
  let released = false;
  return {
    dir, key,
    unmount: () => unmount(dir),
    release: async () => {
      if (released) return;
      released = true;
      await unmount(dir);
      await fs.rm(dir, { recursive: true, force: true });
      await snapshots.remove(key);
    },
  };
}

