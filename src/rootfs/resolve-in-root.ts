import { promises as fs } from 'node:fs';
import path from 'node:path';
import { errnoCode, invalidArgument } from '../engine-error.js';

const MAX_SYMLINKS = 255;

/**
 * Resolves `p` as a path inside the directory `root`, as the container would see
 * it: symlinks are followed relative to `root` (absolute targets start at `root`,
 * `..` stops at `root`), so the result never leaves `root`. Components that do
 * not exist are kept as they are. With `followLast` false a final symlink is not followed.
 */
export async function resolveInRoot(root: string, p: string, followLast = true): Promise<string> {
  const pending = p.split('/').filter((c) => c !== '' && c !== '.');
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() ?? '';
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const candidate = path.join(root, ...resolved, part);
    if (pending.length === 0 && !followLast) {
      resolved.push(part);
      break;
    }
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
  return path.join(root, ...resolved);
}
