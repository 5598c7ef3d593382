import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, createReadStream, promises as fs, type Stats } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { EngineError, invalidArgument, notFound } from '../engine-error.js';
import { resolveContainerPath, type ToHostPath } from '../rootfs/resolve-in-root.js';
import { startTarExtract } from '../snapshots/tar-extract.js';

/** What `HEAD /containers/{id}/archive` reports (Docker's PathStat; mode as a Go FileMode). */
export interface PathStat {
  readonly name: string;
  readonly size: number;
  readonly mode: number;
  readonly mtime: string;
  readonly linkTarget: string;
}

/** Go's os.FileMode type bits over the permission bits. */
export function goFileMode(st: Stats): number {
  let mode = st.mode & 0o777;
  if (st.isDirectory()) mode += 2 ** 31;
  if (st.isSymbolicLink()) mode += 2 ** 27;
  if (st.isFIFO()) mode += 2 ** 25;
  if (st.isSocket()) mode += 2 ** 24;
  if (st.isBlockDevice()) mode += 2 ** 26;
  if (st.isCharacterDevice()) mode += 2 ** 26 + 2 ** 21;
  if ((st.mode & 0o4000) !== 0) mode += 2 ** 23;
  if ((st.mode & 0o2000) !== 0) mode += 2 ** 22;
  if ((st.mode & 0o1000) !== 0) mode += 2 ** 20;
  return mode;
}

/**
 * Finds `p` in the container (symlinks resolved inside it; a final symlink is
 * kept unless the path ends with "/" or "/."), as Docker's archive API does.
 */
export async function statPath(toHost: ToHostPath, p: string, container: string): Promise<{ stat: PathStat; hostPath: string; containerPath: string }> {
  const followLast = /\/\.?$/.test(p);
  const { containerPath, hostPath } = await resolveContainerPath(toHost, p, followLast);
  let st: Stats;
  try {
    st = await fs.lstat(hostPath);
  } catch {
    throw notFound(`Could not find the file ${p} in container ${container}`);
  }
  let linkTarget = '';
  if (st.isSymbolicLink()) linkTarget = (await resolveContainerPath(toHost, containerPath, true)).containerPath;
  const name = containerPath === '/' ? '/' : path.posix.basename(containerPath);
  return { stat: { name, size: st.size, mode: goFileMode(st), mtime: st.mtime.toISOString(), linkTarget }, hostPath, containerPath };
}

/** A tar of one file or directory tree, its entries named after the path's last component. */
export function tarOf(hostPath: string, entryName: string, opts: { wholeDir?: boolean } = {}): Readable {
  const args = opts.wholeDir === true
    ? ['-c', '-f', '-', '--numeric-owner', '--xattrs', '-C', hostPath, '.']
    : ['-c', '-f', '-', '--numeric-owner', '--xattrs', '-C', path.dirname(hostPath),
        ...(entryName === path.basename(hostPath) ? [] : ['--transform', `s,^${escapeSed(path.basename(hostPath))},${escapeSed(entryName)},`]),
        path.basename(hostPath)];
  const child = spawn('tar', args, { stdio: ['ignore', 'pipe', 'ignore'] });
  return child.stdout;
}

function escapeSed(s: string): string {
  return s.replace(/[\\,.*[\]^$&]/g, '\\$&');
}

/**
 * Extracts a tar into the container directory `dest` without ever writing
 * outside what the container sees: the archive is unpacked into a fresh
 * directory first, then each entry is placed at its path resolved inside the
 * container, never following a symlink at the entry itself.
 */
export async function extractInto(toHost: ToHostPath, dest: string, container: string, tar: Readable,
  opts: { copyUidGid: boolean; noOverwriteDirNonDir: boolean; scratchDir?: string }): Promise<void> {
  const target = await statPath(toHost, `${dest.replace(/\/+$/, '')}/.`, container).catch(() => undefined)
    ?? await statPath(toHost, dest, container);
  if ((target.stat.mode & 2 ** 31) === 0) throw invalidArgument('extraction point is not a directory');
  const tmp = path.join(opts.scratchDir ?? os.tmpdir(), `.berth-cp-${randomBytes(6).toString('hex')}`);
  await fs.mkdir(tmp, { mode: 0o700 });
  try {
    const extract = startTarExtract(tmp);
    tar.on('error', () => extract.kill());
    tar.pipe(extract.input);
    await extract.done;
    await placeTree(tmp, '', target.containerPath, toHost, opts);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

async function placeTree(tmpRoot: string, rel: string, destContainerPath: string, toHost: ToHostPath,
  opts: { copyUidGid: boolean; noOverwriteDirNonDir: boolean }): Promise<void> {
  const entries = await fs.readdir(path.join(tmpRoot, rel));
  for (const name of entries) {
    const relPath = path.join(rel, name);
    const src = path.join(tmpRoot, relPath);
    const st = await fs.lstat(src);
    const { hostPath } = await resolveContainerPath(toHost, path.posix.join(destContainerPath, relPath), false);
    const existing = await fs.lstat(hostPath).catch(() => undefined);
    const uid = opts.copyUidGid ? st.uid : 0;
    const gid = opts.copyUidGid ? st.gid : 0;
    if (st.isDirectory()) {
      if (existing !== undefined && !existing.isDirectory()) {
        if (opts.noOverwriteDirNonDir) throw invalidArgument(`cannot overwrite non-directory "${path.posix.join(destContainerPath, relPath)}" with directory`);
        await fs.rm(hostPath, { force: true });
      }
      if (existing === undefined || !existing.isDirectory()) await fs.mkdir(hostPath);
      await placeTree(tmpRoot, relPath, destContainerPath, toHost, opts);
      // Through a handle opened without following links: a swapped-in symlink cannot redirect us.
      const dir = await fs.open(hostPath, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY | fsConstants.O_NOFOLLOW);
      try {
        await dir.chmod(st.mode & 0o7777);
        await dir.chown(uid, gid);
        await dir.utimes(st.atime, st.mtime);
      } finally {
        await dir.close();
      }
      continue;
    }
    if (existing?.isDirectory() === true) {
      if (opts.noOverwriteDirNonDir) throw invalidArgument(`cannot overwrite directory "${path.posix.join(destContainerPath, relPath)}" with non-directory`);
      await fs.rm(hostPath, { recursive: true, force: true });
    } else if (existing !== undefined) {
      await fs.unlink(hostPath);
    }
    if (st.isSymbolicLink()) {
      await fs.symlink(await fs.readlink(src), hostPath);
      await fs.lchown(hostPath, uid, gid);
    } else if (st.isFile()) {
      // A new file (O_EXCL) opened without following links: owner and mode set on the handle, then the content.
      const out = await fs.open(hostPath, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW, 0o600);
      try {
        await out.chown(uid, gid);
        await out.chmod(st.mode & 0o7777);
      } catch (e: unknown) {
        await out.close();
        throw e;
      }
      await pipeline(createReadStream(src), out.createWriteStream());
      await fs.lutimes(hostPath, st.atime, st.mtime);
    } else {
      throw new EngineError('not-implemented', `copying special files is not supported: ${relPath}`);
    }
  }
}
