import { promises as fs } from 'node:fs';
import path from 'node:path';
import { errnoCode, invalidArgument } from '../engine-error.js';

const MAX_SYMLINKS = 255;

/** Maps a normalized absolute path inside the container to where it is on the host. */
export type ToHostPath = (containerPath: string) => string;

/**
 * Resolves `p` as the container sees it: symlinks are followed relative to the
 * container's root (absolute targets start at the root, `..` stops at the root),
 * each step mapped to the host through `toHost` (the root filesystem, or a volume
 * or bind mounted inside it), so the result never leaves what the container can
 * see. Components that do not exist are kept. With `followLast` false a final
 * symlink is not followed.
 */
export async function resolveContainerPath(toHost: ToHostPath, p: string, followLast = true): Promise<{ containerPath: string; hostPath: string }> {
  const pending = p.split('/').filter((c) => c !== '' && c !== '.');
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() ?? '';
    if (part === '..') {
      resolved.pop();
      continue;
    }
    if (pending.length === 0 && !followLast) {
      resolved.push(part);
      break;
    }
    const candidate = toHost(`/${[...resolved, part].join('/')}`);
    let target: string | undefined;
    try {
      const st = await fs.lstat(candidate);
      if (st.isSymbolicLink()) target = await fs.readlink(candidate);
    } catch (e: unknown) {
      const code = errnoCode(e);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
    }
    if (target === undefined) {
      resolved.push(part);
      continue;
    }
    if (++links > MAX_SYMLINKS) throw invalidArgument(`too many levels of symbolic links: ${p}`);
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...target.split('/').filter((c) => c !== '' && c !== '.'));
  }
  const containerPath = `/${resolved.join('/')}`;
  return { containerPath, hostPath: toHost(containerPath) };
}

/** resolveContainerPath() for a plain root directory. */
export async function resolveInRoot(root: string, p: string, followLast = true): Promise<string> {
  return (await resolveContainerPath((cp) => path.join(root, cp), p, followLast)).hostPath;
}
