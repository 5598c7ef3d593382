import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../engine-error.js';

export type CgroupLayout = 'v1' | 'v2' | 'hybrid';

export interface CgroupInfo {
  readonly layout: CgroupLayout;
  /** On hybrid hosts: whether some controller is still bound to the v2 hierarchy (crun refuses that). */
  readonly v2ControllersInUse: boolean;
}

export async function detectCgroups(root = '/sys/fs/cgroup'): Promise<CgroupInfo> {
  const controllers = await readOptional(path.join(root, 'cgroup.controllers'));
  if (controllers !== undefined) return { layout: 'v2', v2ControllersInUse: controllers.trim() !== '' };
  const unified = await readOptional(path.join(root, 'unified', 'cgroup.controllers'));
  if (unified !== undefined) return { layout: 'hybrid', v2ControllersInUse: unified.trim() !== '' };
  return { layout: 'v1', v2ControllersInUse: false };
}

export async function findExecutable(name: string): Promise<string | undefined> {
  if (name.includes('/')) return (await isExecutable(name)) ? name : undefined;
  const dirs = (process.env['PATH'] ?? '').split(':').concat(['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']);
  for (const dir of dirs) {
    if (dir === '') continue;
    const p = path.join(dir, name);
    if (await isExecutable(p)) return p;
  }
  return undefined;
}

/**
 * Picks the OCI runtime: the requested one, or crun where the host's cgroup
 * layout lets it work (crun 1.8 refuses hybrid hosts with v2 controllers), runc otherwise.
 */
export async function selectRuntime(requested: string | undefined, cgroups: CgroupInfo): Promise<{ name: string; path: string }> {
  if (requested !== undefined && requested !== '') {
    const p = await findExecutable(requested);
    if (p === undefined) throw invalidArgument(`runtime "${requested}" not found in PATH`);
    return { name: path.basename(requested), path: p };
  }
  const crunUsable = !(cgroups.layout === 'hybrid' && cgroups.v2ControllersInUse);
  if (crunUsable) {
    const crun = await findExecutable('crun');
    if (crun !== undefined) return { name: 'crun', path: crun };
  }
  const runc = await findExecutable('runc');
  if (runc !== undefined) return { name: 'runc', path: runc };
  throw invalidArgument('no OCI runtime found: install runc or crun');
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function isExecutable(p: string): Promise<boolean> {
  try {
    await fs.access(p, fs.constants.X_OK);
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}
