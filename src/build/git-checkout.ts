import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../engine-error.js';
import { resolveInRoot } from '../rootfs/resolve-in-root.js';

/** Docker's test for a git source: git:// and git@ URLs, github.com/ paths, http(s) URLs of a .git repository. */
export function isGitUrl(s: string): boolean {
  return /^git:\/\//.test(s) || /^git@/.test(s) || /^github\.com\//.test(s) || /^https?:\/\/.*\.git(?:#.*)?$/.test(s);
}

/**
 * Clones `remote` (`url#ref:subdir`) into `scratch` and moves the wanted
 * directory (without .git) to `dest`, which must not exist or be empty.
 */
export async function gitCheckout(remote: string, scratch: string, dest: string, signal: AbortSignal): Promise<void> {
  const [given = '', fragment = ''] = remote.split('#', 2);
  const url = given.startsWith('github.com/') ? `https://${given}` : given;
  const [ref = '', subdir = ''] = fragment.split(':', 2);
  const clone = (shallow: boolean): Promise<{ code: number; stderr: string }> => new Promise((resolve) => {
    const args = ['clone', ...(shallow ? ['--depth', '1'] : []), '--recurse-submodules', ...(ref !== '' ? ['--branch', ref] : []), '--', url, scratch];
    execFile('git', args, { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, signal, timeout: 600_000 }, (err, _out, stderr) => {
      resolve({ code: err === null ? 0 : 1, stderr: String(stderr) });
    });
  });
  let r = await clone(true);
  if (r.code !== 0 && /does not support shallow/.test(r.stderr)) {
    // a dumb HTTP server cannot serve a shallow clone
    await fs.rm(scratch, { recursive: true, force: true });
    r = await clone(false);
  }
  if (r.code !== 0) throw invalidArgument(`unable to prepare context: unable to 'git clone' to temporary context directory: error fetching: ${r.stderr.trim()}`);
  await fs.rm(path.join(scratch, '.git'), { recursive: true, force: true });
  const root = await resolveInRoot(scratch, path.posix.normalize(`/${subdir}`));
  await fs.rm(dest, { recursive: true, force: true });
  await fs.rename(root, dest);
  await fs.rm(scratch, { recursive: true, force: true });
}
