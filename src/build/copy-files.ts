import { createHash } from 'node:crypto';
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { errnoCode, invalidArgument } from '../engine-error.js';
import { resolveInRoot } from '../rootfs/resolve-in-root.js';

/** One resolved COPY/ADD source: where it is on the host and the name it is copied under. */
export interface CopySource {
  readonly hostPath: string;
  /** Path relative to the source root, for cache keys and messages. */
  readonly rel: string;
}

export interface CopyOwnership {
  readonly uid: number;
  readonly gid: number;
}

export interface CopyOptions {
  readonly chown?: CopyOwnership;
  /** --chmod: mode for every file and directory copied. */
  readonly mode?: number;
  /** Keep the sources' owners (ADD of an archive) instead of root's. */
  readonly keepOwners?: boolean;
}

const GLOB_CHARS = /[*?[]/;

/**
 * Finds the files a COPY/ADD source names inside `root` (the build context or
 * another stage's filesystem). Symlinks are followed within `root` only.
 * Wildcards match per path element, as Go's filepath.Match.
 */
export async function resolveSources(root: string, source: string): Promise<CopySource[]> {
  const clean = path.posix.normalize(`/${source}`);
  if (!GLOB_CHARS.test(clean)) {
    const hostPath = await resolveInRoot(root, clean);
    try {
      await fs.lstat(hostPath);
    } catch (e: unknown) {
      if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'ENOTDIR') return [];
      throw e;
    }
    return [{ hostPath, rel: clean.slice(1) }];
  }
  const parts = clean.split('/').filter((p) => p !== '');
  let current: Array<{ host: string; rel: string }> = [{ host: root, rel: '' }];
  for (const part of parts) {
    const next: Array<{ host: string; rel: string }> = [];
    for (const c of current) {
      if (!GLOB_CHARS.test(part)) {
        const rel = c.rel === '' ? part : `${c.rel}/${part}`;
        next.push({ host: await resolveInRoot(root, `/${rel}`), rel });
        continue;
      }
      const re = globSegment(part);
      let names: string[];
      try {
        names = await fs.readdir(c.host);
      } catch {
        continue;
      }
      for (const n of names.sort()) {
        if (!re.test(n)) continue;
        const rel = c.rel === '' ? n : `${c.rel}/${n}`;
        next.push({ host: await resolveInRoot(root, `/${rel}`), rel });
      }
    }
    current = next;
  }
  const out: CopySource[] = [];
  for (const c of current) {
    if (await fs.lstat(c.host).then(() => true, () => false)) out.push({ hostPath: c.host, rel: c.rel });
  }
  return out;
}

function globSegment(seg: string): RegExp {
  let re = '^';
  for (let i = 0; i < seg.length; i++) {
    const ch = seg[i] ?? '';
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = seg.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let cls = seg.slice(i + 1, end);
        if (cls.startsWith('!') || cls.startsWith('^')) cls = `^${cls.slice(1)}`;
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (ch === '\\' && i + 1 < seg.length) {
      i++;
      re += (seg[i] ?? '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 's');
}

/** A digest of what the sources hold: names, types, modes, link targets and file contents. */
export async function hashSources(sources: readonly CopySource[]): Promise<string> {
  const h = createHash('sha256');
  const visit = async (host: string, rel: string): Promise<void> => {
    const st = await fs.lstat(host);
    h.update(`${rel}\0${st.mode}\0`);
    if (st.isSymbolicLink()) h.update(`l${await fs.readlink(host)}\0`);
    else if (st.isFile()) {
      h.update(`f${st.size}\0`);
      for await (const chunk of createReadStream(host)) h.update(chunk as Buffer);
    } else if (st.isDirectory()) {
      for (const n of (await fs.readdir(host)).sort()) await visit(path.join(host, n), `${rel}/${n}`);
    }
  };
  for (const s of sources) await visit(s.hostPath, s.rel);
  return h.digest('hex');
}

/**
 * Copies `src` (a file, symlink or directory on the host) to `destPath`
 * inside `rootfs`: a directory's content is merged into `destPath`; files
 * replace what is there. Every write stays inside `rootfs` (existing symlinks
 * there are followed within it, never out of it). Files keep their mode and
 * mtime; owners become `chown` (root by default).
 */
export async function copyInto(rootfs: string, src: string, destPath: string, opts: CopyOptions): Promise<void> {
  const st = await fs.stat(src); // the source itself is followed (it was resolved inside its root)
  if (st.isDirectory()) {
    const dir = await ensureDir(rootfs, destPath, opts);
    await copyDirContents(rootfs, src, destPath, dir, opts);
    return;
  }
  const parent = await ensureDir(rootfs, path.posix.dirname(destPath), opts);
  await copyEntry(src, st, path.join(parent, path.posix.basename(destPath)), rootfs, destPath, opts);
}

/** Creates (like mkdir -p) the directory `p` inside rootfs; new directories get the copy's owner. */
export async function ensureDir(rootfs: string, p: string, opts: CopyOptions): Promise<string> {
  const parts = p.split('/').filter((x) => x !== '' && x !== '.');
  let containerPath = '';
  let host = rootfs;
  for (const part of parts) {
    containerPath += `/${part}`;
    host = await resolveInRoot(rootfs, containerPath);
    let st: Stats | undefined;
    try {
      st = await fs.stat(host);
    } catch (e: unknown) {
      if (errnoCode(e) !== 'ENOENT') throw e;
    }
    if (st === undefined) {
      // a symlink may lead to a place whose parents are missing too: all of them are inside rootfs
      await fs.mkdir(host, { recursive: true, mode: 0o755 });
      await fs.chmod(host, opts.mode ?? 0o755);
      if (opts.chown !== undefined) await fs.chown(host, opts.chown.uid, opts.chown.gid);
    } else if (!st.isDirectory()) {
      throw invalidArgument(`cannot copy to non-directory: ${containerPath}`);
    }
  }
  return host;
}

async function copyDirContents(rootfs: string, srcDir: string, destPath: string, destHost: string, opts: CopyOptions): Promise<void> {
  for (const name of (await fs.readdir(srcDir)).sort()) {
    const src = path.join(srcDir, name);
    const st = await fs.lstat(src);
    const childPath = path.posix.join(destPath, name);
    if (st.isDirectory()) {
      const existing = await fs.lstat(path.join(destHost, name)).catch(() => undefined);
      let host: string;
      if (existing?.isDirectory() === true) host = path.join(destHost, name);
      else if (existing?.isSymbolicLink() === true) host = await ensureDir(rootfs, childPath, opts);
      else {
        if (existing !== undefined) await fs.rm(path.join(destHost, name), { force: true });
        host = path.join(destHost, name);
        await fs.mkdir(host);
      }
      await copyDirContents(rootfs, src, childPath, host, opts);
      await applyMeta(host, st, opts, false);
    } else {
      await copyEntry(src, st, path.join(destHost, name), rootfs, childPath, opts);
    }
  }
}

async function copyEntry(src: string, st: Stats, target: string, _rootfs: string, containerPath: string, opts: CopyOptions): Promise<void> {
  const existing = await fs.lstat(target).catch(() => undefined);
  if (existing?.isDirectory() === true) throw invalidArgument(`cannot overwrite directory "${containerPath}" with non-directory`);
  if (existing !== undefined) await fs.unlink(target);
  if (st.isSymbolicLink()) {
    await fs.symlink(await fs.readlink(src), target);
    await applyMeta(target, st, opts, true);
    return;
  }
  if (!st.isFile()) return; // devices and sockets from a context are not copied
  await fs.copyFile(src, target);
  await applyMeta(target, st, opts, false);
}

async function applyMeta(target: string, st: Stats, opts: CopyOptions, symlink: boolean): Promise<void> {
  const uid = opts.chown?.uid ?? (opts.keepOwners === true ? st.uid : 0);
  const gid = opts.chown?.gid ?? (opts.keepOwners === true ? st.gid : 0);
  if (symlink) {
    await fs.lchown(target, uid, gid);
    await fs.lutimes(target, st.atime, st.mtime).catch(() => undefined);
    return;
  }
  await fs.chown(target, uid, gid);
  await fs.chmod(target, opts.mode ?? st.mode & 0o7777);
  await fs.utimes(target, st.atime, st.mtime);
}
