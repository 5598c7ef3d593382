import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { internal } from '../engine-error.js';
import { OPAQUE_WHITEOUT, WHITEOUT_PREFIX } from './layer-diff.js';

const run = promisify(execFile);

/**
 * Turns the OCI whiteout files of a freshly unpacked layer into what overlayfs
 * reads in a lower directory: `.wh.<name>` becomes a 0/0 character device
 * `<name>`, and `.wh..wh..opq` the `trusted.overlay.opaque=y` xattr on its
 * directory. Returns how many were converted.
 */
export async function convertWhiteouts(dir: string): Promise<number> {
  const { stdout } = await run('find', [dir, '-name', `${WHITEOUT_PREFIX}*`, '-print0'], { maxBuffer: 64 * 1024 * 1024, encoding: 'buffer' });
  const found = stdout.toString('utf8').split('\0').filter((p) => p !== '');
  // deepest first, so a directory whiteout never removes another one's parent first
  found.sort((a, b) => b.length - a.length);
  for (const file of found) {
    const parent = path.dirname(file);
    const base = path.basename(file);
    await fs.rm(file, { force: true });
    try {
      if (base === OPAQUE_WHITEOUT) {
        await run('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', parent]);
      } else {
        const target = path.join(parent, base.slice(WHITEOUT_PREFIX.length));
        await fs.rm(target, { recursive: true, force: true });
        await run('mknod', ['-m', '000', target, 'c', '0', '0']);
      }
    } catch (e: unknown) {
      throw internal(`failed to apply whiteout ${path.relative(dir, file)}: ${e instanceof Error ? e.message : String(e)}`, e);
    }
  }
  return found.length;
}
