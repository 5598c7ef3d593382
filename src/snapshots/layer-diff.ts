import { execFile } from 'node:child_process';
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { internal } from '../engine-error.js';
import { TAR_END, tarHeader, tarPadding } from './tar-writer.js';

const run = promisify(execFile);

/** OCI whiteout names: `.wh.<name>` deletes `<name>`; `.wh..wh..opq` hides the lower directory's content. */
export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_WHITEOUT = '.wh..wh..opq';
const OPAQUE_XATTR = 'trusted.overlay.opaque';

export type Xattrs = Map<string, Map<string, Buffer>>;

/**
 * The layer tar of an overlay upper directory: every file, directory, symlink
 * and device it holds with owners, modes, mtimes and xattrs (overlayfs' own
 * `trusted.overlay.*` left out); hard links as links; a 0/0 character device
 * (overlayfs' whiteout) as a `.wh.<name>` file; a directory marked opaque
 * followed by `.wh..wh..opq`. Entries come in sorted order, so the same
 * directory gives the same tar. `skip` leaves entries out (mount stubs).
 */
export async function* layerDiff(upperDir: string, skip?: (rel: string, st: Stats) => boolean, stats?: LayerStats): AsyncGenerator<Buffer> {
  const xattrs = await readXattrs(upperDir);
  const links = new Map<string, string>();
  yield* walk(upperDir, '', xattrs, links, skip ?? (() => false), stats ?? { contentBytes: 0 });
  yield TAR_END;
}

type Skip = (rel: string, st: Stats) => boolean;

/** What a layer holds: the bytes of its files (Docker's layer size), counted while the tar is made. */
export interface LayerStats {
  contentBytes: number;
}

async function* walk(root: string, rel: string, xattrs: Xattrs, links: Map<string, string>, skip: Skip, stats: LayerStats): AsyncGenerator<Buffer> {
  const names = (await fs.readdir(path.join(root, rel))).sort();
  for (const name of names) {
    const childRel = rel === '' ? name : `${rel}/${name}`;
    const full = path.join(root, childRel);
    const st = await fs.lstat(full);
    if (skip(childRel, st)) continue;
    const own = xattrs.get(childRel) ?? new Map<string, Buffer>();
    const kept = new Map([...own].filter(([k]) => !k.startsWith('trusted.overlay.')));
    const base = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime, size: 0, ...(kept.size > 0 ? { xattrs: kept } : {}) };
    if (st.isCharacterDevice() && st.rdev === 0) {
      yield tarHeader({ ...base, name: rel === '' ? `${WHITEOUT_PREFIX}${name}` : `${rel}/${WHITEOUT_PREFIX}${name}`, type: 'file', mode: 0, xattrs: new Map() });
      continue;
    }
    if (st.isDirectory()) {
      yield tarHeader({ ...base, name: childRel, type: 'dir' });
      if (own.get(OPAQUE_XATTR)?.toString() === 'y') {
        yield tarHeader({ name: `${childRel}/${OPAQUE_WHITEOUT}`, type: 'file', mode: 0, uid: 0, gid: 0, size: 0, mtime: st.mtime });
      }
      yield* walk(root, childRel, xattrs, links, skip, stats);
      continue;
    }
    if (st.isFile()) {
      if (st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`;
        const first = links.get(key);
        if (first !== undefined) {
          yield tarHeader({ ...base, name: childRel, type: 'link', linkname: first });
          continue;
        }
        links.set(key, childRel);
      }
      stats.contentBytes += st.size;
      yield tarHeader({ ...base, name: childRel, type: 'file', size: st.size });
      yield* fileContent(full, st);
      continue;
    }
    if (st.isSymbolicLink()) {
      const target = await fs.readlink(full);
      stats.contentBytes += Buffer.byteLength(target);
      yield tarHeader({ ...base, name: childRel, type: 'symlink', linkname: target });
      continue;
    }
    if (st.isCharacterDevice() || st.isBlockDevice()) {
      yield tarHeader({ ...base, name: childRel, type: st.isCharacterDevice() ? 'char' : 'block', devmajor: major(st.rdev), devminor: minor(st.rdev) });
      continue;
    }
    if (st.isFIFO()) yield tarHeader({ ...base, name: childRel, type: 'fifo' });
    // sockets are not archived (as Docker does)
  }
}

/** Exactly `st.size` bytes of the file (padded if it shrank meanwhile), then the block padding. */
async function* fileContent(file: string, st: Stats): AsyncGenerator<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    let left = st.size;
    while (left > 0) {
      const buf = Buffer.alloc(Math.min(left, 1 << 20));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) {
        yield Buffer.alloc(left);
        break;
      }
      left -= bytesRead;
      yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
  yield tarPadding(st.size);
}

function major(rdev: number): number {
  return Number((BigInt(rdev) >> 8n) & 0xfffn) | Number((BigInt(rdev) >> 32n) & ~0xfffn);
}

function minor(rdev: number): number {
  return Number(BigInt(rdev) & 0xffn) | Number((BigInt(rdev) >> 12n) & ~0xffn);
}

/** All xattrs under `dir` (not following symlinks), by path relative to `dir`. */
export async function readXattrs(dir: string): Promise<Xattrs> {
  let out: string;
  try {
    ({ stdout: out } = await run('getfattr', ['-R', '-P', '-h', '-d', '-m', '-', '-e', 'base64', '--absolute-names', dir], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }));
  } catch (e: unknown) {
    // getfattr exits 1 when some files have no xattrs support but still prints the rest
    const stdout = typeof e === 'object' && e !== null && 'stdout' in e ? String((e as { stdout: unknown }).stdout) : undefined;
    if (stdout === undefined || (e as { code?: unknown }).code === 'ENOENT') throw internal(`reading xattrs of ${dir}: ${e instanceof Error ? e.message : String(e)}`, e);
    out = stdout;
  }
  const result: Xattrs = new Map();
  let current: Map<string, Buffer> | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith('# file: ')) {
      const abs = unescapeOctal(line.slice('# file: '.length));
      const rel = path.relative(dir, abs);
      current = new Map();
      result.set(rel, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current === undefined || eq <= 0) continue;
    const name = line.slice(0, eq);
    const raw = line.slice(eq + 1);
    current.set(name, decodeValue(raw));
  }
  return result;
}

function decodeValue(raw: string): Buffer {
  if (raw.startsWith('0s')) return Buffer.from(raw.slice(2), 'base64');
  if (raw.startsWith('0x')) return Buffer.from(raw.slice(2), 'hex');
  if (raw.startsWith('"') && raw.endsWith('"')) return Buffer.from(unescapeOctal(raw.slice(1, -1)), 'latin1');
  return Buffer.from(raw);
}

function unescapeOctal(s: string): string {
  const bytes: number[] = [];
  const src = Buffer.from(s, 'utf8');
  for (let i = 0; i < src.length; i++) {
    if (src[i] === 0x5c && i + 3 < src.length + 0 && /^[0-7]{3}$/.test(src.subarray(i + 1, i + 4).toString('latin1'))) {
      bytes.push(parseInt(src.subarray(i + 1, i + 4).toString('latin1'), 8));
      i += 3;
    } else if (src[i] === 0x5c && src[i + 1] === 0x5c) {
      bytes.push(0x5c);
      i++;
    } else {
      bytes.push(src[i] ?? 0);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Files every container gets bind-mounted over: the runtime creates them empty when the image has none. */
export const MOUNT_STUB_FILES = ['etc/hosts', 'etc/resolv.conf', 'etc/hostname'];

/** The empty files the runtime made to mount /etc/hosts and friends on: not a container's own changes. */
export function isMountStub(rel: string, st: Stats): boolean {
  return st.isFile() && st.size === 0 && MOUNT_STUB_FILES.includes(rel);
}
