import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { KeyedMutex } from '../sync/mutex.js';

/**
 * BuildKit's `sharing` of RUN --mount=type=cache between steps that run at the
 * same time (in one build or several): `shared` lets them all in, `private`
 * gives a step that finds the cache busy an empty one of its own, `locked`
 * makes it wait until the others are done.
 */
export class CacheMountSharing {
  private readonly users = new Map<string, number>();
  private readonly locks = new KeyedMutex();

  async acquire(dir: string, sharing: string): Promise<{ dir: string; release(): Promise<void> }> {
    if (sharing === 'private' && (this.users.get(dir) ?? 0) > 0) {
      const own = `${dir}-private-${randomBytes(6).toString('hex')}`;
      await fs.mkdir(own, { recursive: true });
      const st = await fs.stat(dir);
      await fs.chmod(own, st.mode & 0o7777);
      await fs.chown(own, st.uid, st.gid);
      return { dir: own, release: () => fs.rm(own, { recursive: true, force: true }) };
    }
    let unlock: (() => void) | undefined;
    if (sharing === 'locked') {
      await new Promise<void>((acquired) => {
        void this.locks.run(dir, () => new Promise<void>((done) => {
          unlock = done;
          acquired();
        }));
      });
    }
    this.users.set(dir, (this.users.get(dir) ?? 0) + 1);
    return {
      dir,
      release: async () => {
        const n = (this.users.get(dir) ?? 1) - 1;
        if (n <= 0) this.users.delete(dir);
        else this.users.set(dir, n);
        unlock?.();
      },
    };
  }
}
