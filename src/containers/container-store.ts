import { promises as fs } from 'node:fs';
import path from 'node:path';
import { hideDir, readJsonFile, removeDirAtomic, sweepRemoving, writeJsonAtomic } from '../storage/atomic-file.js';
import type { ContainerRecord } from './container.js';

/** Container records in `<dir>/<id>/container.json`, cached in memory. */
export class ContainerStore {
  private readonly records = new Map<string, ContainerRecord>();

  constructor(private readonly dir: string) {}

  dirOf(id: string): string {
    return path.join(this.dir, id);
  }

  async load(): Promise<void> {
    await sweepRemoving(this.dir);
    for (const id of await fs.readdir(this.dir)) {
      if (!/^[a-f0-9]{64}$/.test(id)) continue;
      const raw = await readJsonFile(path.join(this.dir, id, 'container.json'));
      const rec = parseRecord(raw, id);
      if (rec === undefined) {
        // A container directory without a complete record is an interrupted create.
        await removeDirAtomic(path.join(this.dir, id));
        continue;
      }
      this.records.set(id, rec);
    }
  }

  get(id: string): ContainerRecord | undefined {
    return this.records.get(id);
  }

  all(): ContainerRecord[] {
    return [...this.records.values()];
  }

  async save(rec: ContainerRecord): Promise<void> {
    await writeJsonAtomic(path.join(this.dir, rec.config.id, 'container.json'), rec);
    this.records.set(rec.config.id, rec);
  }

  /**
   * Deletes the record: once this resolves the container is gone (its directory
   * was renamed away); `purged` resolves when the files are deleted too.
   */
  async delete(id: string): Promise<{ purged: Promise<void> }> {
    this.records.delete(id);
    const hidden = await hideDir(path.join(this.dir, id));
    return { purged: hidden === undefined ? Promise.resolve() : fs.rm(hidden, { recursive: true, force: true }) };
  }
}

function parseRecord(raw: unknown, id: string): ContainerRecord | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Partial<ContainerRecord>;
  if (typeof r.name !== 'string' || typeof r.config !== 'object' || r.config === null || r.config.id !== id) return undefined;
  if (typeof r.state !== 'object' || r.state === null || typeof r.state.status !== 'string') return undefined;
  return r as ContainerRecord;
}
