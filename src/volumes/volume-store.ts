import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonFile, removeDirAtomic, sweepRemoving, syncDir, writeJsonAtomic } from '../storage/atomic-file.js';
import type { VolumeRecord } from './volume.js';

/**
 * Volumes in `<dir>/<name>/`: `volume.json` (the record) and `_data` (the
 * content). A volume is built under a hidden name and renamed into place, so a
 * crash never leaves a half-made one; leftovers are swept at startup.
 */
export class VolumeStore {
  private readonly records = new Map<string, VolumeRecord>();

  constructor(readonly dir: string) {}

  dataPath(name: string): string {
    return path.join(this.dir, name, '_data');
  }

  async load(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o701 });
    await sweepRemoving(this.dir);
    for (const name of await fs.readdir(this.dir)) {
      if (name.startsWith('.tmp-')) {
        await fs.rm(path.join(this.dir, name), { recursive: true, force: true });
        continue;
      }
      if (name.startsWith('.')) continue;
      const raw = await readJsonFile(path.join(this.dir, name, 'volume.json'));
      if (typeof raw !== 'object' || raw === null || (raw as VolumeRecord).name !== name) continue;
      this.records.set(name, raw as VolumeRecord);
    }
  }

  get(name: string): VolumeRecord | undefined {
    return this.records.get(name);
  }

  all(): VolumeRecord[] {
    return [...this.records.values()];
  }

  async create(rec: VolumeRecord): Promise<void> {
    const tmp = path.join(this.dir, `.tmp-${randomBytes(6).toString('hex')}`);
    await fs.mkdir(path.join(tmp, '_data'), { recursive: true, mode: 0o755 });
    await writeJsonAtomic(path.join(tmp, 'volume.json'), rec);
    await fs.rename(tmp, path.join(this.dir, rec.name));
    await syncDir(this.dir);
    this.records.set(rec.name, rec);
  }

  async delete(name: string): Promise<void> {
    this.records.delete(name);
    await removeDirAtomic(path.join(this.dir, name));
  }
}
