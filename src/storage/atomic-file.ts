import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { errnoCode } from '../engine-error.js';

/**
 * Writes `data` to `target` so that a crash leaves either the old file or the new one:
 * temp file in the same directory, fsync, rename over the target, fsync the directory.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fs.open(tmp, 'w', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e: unknown) {
    await fh.close();
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await fs.rename(tmp, target);
  } catch (e: unknown) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dir);
}

export async function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  await writeFileAtomic(target, JSON.stringify(value, null, 1) + '\n');
}

/** Reads and parses a JSON file; undefined when it does not exist. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e: unknown) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    throw e;
  }
  return JSON.parse(text) as unknown;
}

export async function syncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Removes a directory tree so that a crash never leaves it half-deleted under its
 * real name: rename it to a hidden `.removing-*` name first, then delete that.
 * Leftover `.removing-*` entries are swept by `sweepRemoving()` at startup.
 */
export async function removeDirAtomic(dir: string): Promise<void> {
  const hidden = await hideDir(dir);
  if (hidden !== undefined) await fs.rm(hidden, { recursive: true, force: true });
}

/** The first half of removeDirAtomic(): the durable rename. Returns the hidden name (undefined if `dir` was gone). */
export async function hideDir(dir: string): Promise<string | undefined> {
  const hidden = path.join(path.dirname(dir), `.removing-${path.basename(dir)}-${randomBytes(4).toString('hex')}`);
  try {
    await fs.rename(dir, hidden);
  } catch (e: unknown) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    throw e;
  }
  await syncDir(path.dirname(dir));
  return hidden;
}

/** Deletes leftovers of interrupted removals and writes in `dir`. */
export async function sweepRemoving(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e: unknown) {
    if (errnoCode(e) === 'ENOENT') return;
    throw e;
  }
  await Promise.all(
    names
      .filter((n) => n.startsWith('.removing-') || (n.startsWith('.') && n.endsWith('.tmp')))
      .map((n) => fs.rm(path.join(dir, n), { recursive: true, force: true })),
  );
}
