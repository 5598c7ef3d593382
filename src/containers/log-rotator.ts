import { createReadStream, createWriteStream, promises as fs, watch, type FSWatcher } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { LogPolicy } from './log-policy.js';
import { rotatedNames } from './log-policy.js';

interface Watched {
  readonly logPath: string;
  readonly policy: LogPolicy;
  readonly reopen: () => Promise<void>;
  watcher: FSWatcher | undefined;
  timer: NodeJS.Timeout;
  busy: boolean;
  /** A check is due shortly: writes in between need no check of their own. */
  due: boolean;
}

/**
 * Rotates the logs of running containers at their max-size, keeping
 * max-file files (gzipped when asked): the current file is renamed to `.1`
 * and the monitor told to reopen its log.
 */
export class LogRotator {
  private readonly watched = new Map<string, Watched>();

  constructor(private readonly log: (msg: string) => void = () => undefined) {}

  watch(id: string, logPath: string, policy: LogPolicy, reopen: () => Promise<void>): void {
    this.unwatch(id);
    if (policy.maxFile <= 1) return; // the monitor truncates at max-size by itself
    const w: Watched = { logPath, policy, reopen, watcher: undefined, timer: setInterval(() => void this.check(id), 1000), busy: false, due: false };
    w.timer.unref();
    // A chatty container writes thousands of times a second: one size check per 100 ms is enough.
    const soon = (): void => {
      if (w.due) return;
      w.due = true;
      setTimeout(() => {
        w.due = false;
        void this.check(id);
      }, 100).unref();
    };
    try {
      w.watcher = watch(logPath, soon);
      w.watcher.on('error', () => undefined);
    } catch {
      w.watcher = undefined;
    }
    this.watched.set(id, w);
    void this.check(id);
  }

  unwatch(id: string): void {
    const w = this.watched.get(id);
    if (w === undefined) return;
    clearInterval(w.timer);
    w.watcher?.close();
    this.watched.delete(id);
  }

  close(): void {
    for (const id of [...this.watched.keys()]) this.unwatch(id);
  }

  private async check(id: string): Promise<void> {
    const w = this.watched.get(id);
    if (w === undefined || w.busy) return;
    w.busy = true;
    try {
      const st = await fs.stat(w.logPath).catch(() => undefined);
      if (st !== undefined && st.size >= w.policy.maxSize) await this.rotate(w);
    } catch (e: unknown) {
      this.log(`log rotation of ${id}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      w.busy = false;
    }
  }

  private async rotate(w: Watched): Promise<void> {
    const names = rotatedNames(w.logPath, w.policy);
    const last = names[names.length - 1];
    if (last !== undefined) await fs.rm(last, { force: true });
    for (let i = names.length - 2; i >= 0; i--) {
      const from = names[i];
      const to = names[i + 1];
      if (from !== undefined && to !== undefined) await fs.rename(from, to).catch(() => undefined);
    }
    const first = names[0];
    if (first === undefined) return;
    const plain = w.policy.compress ? `${w.logPath}.1.rotating` : first;
    await fs.rename(w.logPath, plain);
    await w.reopen();
    // The monitor writes to the renamed file until it has reopened the log: wait for the new file.
    for (let i = 0; i < 200; i++) {
      if (await fs.access(w.logPath).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    if (w.policy.compress) {
      await pipeline(createReadStream(plain), createGzip(), createWriteStream(`${first}.tmp`));
      await fs.rename(`${first}.tmp`, first);
      await fs.rm(plain, { force: true });
    }
  }
}
