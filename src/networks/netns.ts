import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { internal } from '../engine-error.js';
import { isMountPoint, unmount } from '../snapshots/mounter.js';

const run = promisify(execFile);

/**
 * Network namespaces that outlive any process: `unshare --net=<file>` bind-mounts
 * a new namespace on a file under the exec root (with loopback up); the runtime
 * joins it by path.
 */
export class NetnsManager {
  constructor(private readonly dir: string) {}

  pathOf(id: string): string {
    return path.join(this.dir, id);
  }

  async create(id: string): Promise<string> {
    const file = this.pathOf(id);
    if (await isMountPoint(file)) return file;
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await fs.writeFile(file, '');
    try {
      // One process both makes the namespace and brings its loopback up.
      await run('unshare', [`--net=${file}`, 'ip', 'link', 'set', 'lo', 'up']);
    } catch (e: unknown) {
      await fs.rm(file, { force: true });
      throw internal(`cannot create a network namespace: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    return file;
  }

  async remove(id: string): Promise<void> {
    const file = this.pathOf(id);
    await unmount(file);
    await fs.rm(file, { force: true });
  }

  async list(): Promise<string[]> {
    return (await fs.readdir(this.dir).catch(() => [] as string[])).filter((n) => !n.startsWith('.'));
  }
}
