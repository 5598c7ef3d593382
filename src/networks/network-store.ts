import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonFile, writeJsonAtomic } from '../storage/atomic-file.js';
import type { NetworkRecord } from './network.js';

/** Network records in `<dir>/<id>.json`. */
export class NetworkStore {
  private readonly records = new Map<string, NetworkRecord>();

  constructor(readonly dir: string) {}

  async load(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (const name of await fs.readdir(this.dir)) {
      const m = /^([a-f0-9]{64})\.json$/.exec(name);
      if (m === null) continue;
      const raw = await readJsonFile(path.join(this.dir, name));
      if (typeof raw !== 'object' || raw === null) continue;
      const rec = raw as NetworkRecord;
      if (rec.id !== m[1] || typeof rec.name !== 'string' || typeof rec.driver !== 'string') continue;
      this.records.set(rec.id, rec);
    }
  }

  all(): NetworkRecord[] {
    return [...this.records.values()];
  }

  get(id: string): NetworkRecord | undefined {
    return this.records.get(id);
  }

  async save(rec: NetworkRecord): Promise<void> {
    await writeJsonAtomic(path.join(this.dir, `${rec.id}.json`), rec);
    this.records.set(rec.id, rec);
  }

  async delete(id: string): Promise<void> {
    await fs.rm(path.join(this.dir, `${id}.json`), { force: true });
    this.records.delete(id);
  }
}
