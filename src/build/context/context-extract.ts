import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import tar from 'tar-stream';
import { errnoCode, invalidArgument } from '../../engine-error.js';
import { decompressed } from '../../images/decompress.js';

/**
 * Unpacks a build context tar (plain or compressed) into the empty directory
 * `dir`. Nothing is ever written outside `dir`: member names are cleaned and
 * refused when they climb out with `..`, no member is written through a
 * symlink, and hard links must point inside. Owners are not kept (COPY gives
 * context files to root unless --chown says otherwise); modes and mtimes are.
 */
export async function extractContext(source: Readable, dir: string): Promise<{ files: number; bytes: number }> {
  try {
    if (source.readableObjectMode) source = source.pipe(new PassThrough());
    return await extractInto(source, dir);
  } catch (e: unknown) {
    if (isTarError(e)) throw invalidArgument(`failed to read the build context: ${e instanceof Error ? e.message : String(e)}`, e);
    throw e;
  }
}

async function extractInto(source: Readable, dir: string): Promise<{ files: number; bytes: number }> {
  const input = await decompressed(source);
  const extract = tar.extract();
  const madeDirs = new Set<string>();
  let files = 0;
  let bytes = 0;
  const dirTimes: Array<[string, Date]> = [];
  const done = pipeline(input, extract);
  done.catch(() => undefined);
  for await (const entry of extract) {
    const h = entry.header;
    const rel = cleanMemberName(h.name);
    if (rel === undefined) {
      entry.resume();
      continue;
    }
    const target = path.join(dir, rel);
    await ensureParents(dir, rel, madeDirs);
    if (h.type !== 'directory') forget(madeDirs, rel);
    const mode = (h.mode ?? 0o644) & 0o7777;
    switch (h.type) {
      case 'directory':
        await fs.mkdir(target, { recursive: true });
        madeDirs.add(rel);
        await fs.chmod(target, mode);
        if (h.mtime !== undefined) dirTimes.push([target, h.mtime]);
        entry.resume();
        break;
      case 'file':
      case 'contiguous-file':
      case null:
      case undefined: {
        await removeExisting(target);
        if ((h.size ?? 0) <= 1 << 20) {
          // small files (most of a context) in one write
          const chunks: Buffer[] = [];
          for await (const c of entry) chunks.push(c as Buffer);
          await fs.writeFile(target, Buffer.concat(chunks), { mode, flag: 'wx' });
        } else {
          await pipeline(entry, createWriteStream(target, { mode, flags: 'wx' }));
        }
        if ((mode & 0o022) !== 0 || (mode & 0o7000) !== 0) await fs.chmod(target, mode); // bits the umask may have dropped
        if (h.mtime !== undefined) await fs.utimes(target, h.mtime, h.mtime);
        files++;
        bytes += h.size ?? 0;
        break;
      }
      case 'symlink':
        await removeExisting(target);
        await fs.symlink(h.linkname ?? '', target);
        if (h.mtime !== undefined) await fs.lutimes(target, h.mtime, h.mtime).catch(() => undefined);
        entry.resume();
        break;
      case 'link': {
        const linkRel = cleanMemberName(h.linkname ?? '');
        if (linkRel === undefined) throw invalidArgument(`invalid hardlink in build context: ${h.name} -> ${h.linkname ?? ''}`);
        await ensureParents(dir, linkRel, madeDirs);
        await removeExisting(target);
        await fs.link(path.join(dir, linkRel), target);
        files++;
        entry.resume();
        break;
      }
      default:
        // devices, fifos and the like have no place in a build context
        entry.resume();
    }
  }
  await done;
  // directories last: writing files into them changed their mtimes
  for (const [d, t] of dirTimes.reverse()) await fs.utimes(d, t, t);
  return { files, bytes };
}

/** `./a/../b/` → `b`; undefined for the root itself; refuses names that leave the root. */
export function cleanMemberName(name: string): string | undefined {
  const norm = path.posix.normalize(`/${name}`);
  if (name.split('/').includes('..')) {
    // a `..` that stays inside is fine; one that climbs above the root is not
    let depth = 0;
    for (const part of name.split('/')) {
      if (part === '..') depth--;
      else if (part !== '' && part !== '.') depth++;
      if (depth < 0) throw invalidArgument(`invalid path in build context: ${JSON.stringify(name)} leaves the context`);
    }
  }
  const rel = norm.replace(/^\/+/, '').replace(/\/+$/, '');
  return rel === '' ? undefined : rel;
}

/** Creates the parent directories of `rel`, refusing to go through a symlink. */
async function ensureParents(root: string, rel: string, made: Set<string>): Promise<void> {
  const parts = rel.split('/').slice(0, -1);
  let cur = root;
  let curRel = '';
  for (const part of parts) {
    cur = path.join(cur, part);
    curRel = curRel === '' ? part : `${curRel}/${part}`;
    if (made.has(curRel)) continue; // made (or checked) by this extraction: a real directory
    let st;
    try {
      st = await fs.lstat(cur);
    } catch (e: unknown) {
      if (errnoCode(e) !== 'ENOENT') throw e;
      await fs.mkdir(cur, { mode: 0o755 });
      made.add(curRel);
      continue;
    }
    if (st.isSymbolicLink()) throw invalidArgument(`invalid path in build context: ${JSON.stringify(rel)} goes through the symlink ${JSON.stringify(path.relative(root, cur))}`);
    if (!st.isDirectory()) throw invalidArgument(`invalid path in build context: ${JSON.stringify(rel)}: ${JSON.stringify(path.relative(root, cur))} is not a directory`);
    made.add(curRel);
  }
}

/** `rel` is no longer a directory made by this extraction (a file or symlink replaces it). */
function forget(made: Set<string>, rel: string): void {
  for (const d of made) if (d === rel || d.startsWith(`${rel}/`)) made.delete(d);
}

async function removeExisting(target: string): Promise<void> {
  const st = await fs.lstat(target).catch(() => undefined);
  if (st === undefined) return;
  if (st.isDirectory()) await fs.rm(target, { recursive: true, force: true });
  else await fs.unlink(target);
}

function isTarError(e: unknown): boolean {
  return e instanceof Error && !('kind' in e) && (/header|tar|Unexpected end|checksum/i.test(e.message));
}
