import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import { internal } from '../engine-error.js';
import type { MountSpec } from './snapshotter.js';

const run = promisify(execFile);

/** Performs the mounts that snapshotters describe, with mount(8) and umount(8). */
export async function mountAt(spec: MountSpec, target: string): Promise<void> {
  await fs.mkdir(target, { recursive: true });
  try {
    await run('mount', ['-t', spec.type, '-o', spec.options.join(','), spec.source, target]);
  } catch (e: unknown) {
    throw internal(`error mounting ${spec.type} on ${target}: ${stderrOf(e)}`, e);
  }
}

export async function unmount(target: string): Promise<void> {
  if (!(await isMountPoint(target))) return;
  try {
    await run('umount', [target]);
  } catch (e: unknown) {
    // busy (e.g. a process still holds it): detach lazily rather than leak the mount
    try {
      await run('umount', ['-l', target]);
    } catch {
      throw internal(`error unmounting ${target}: ${stderrOf(e)}`, e);
    }
  }
}

export async function isMountPoint(target: string): Promise<boolean> {
  const info = await fs.readFile('/proc/self/mountinfo', 'utf8');
  for (const line of info.split('\n')) {
    const mountPoint = line.split(' ')[4];
    if (mountPoint !== undefined && unescapeMountPath(mountPoint) === target) return true;
  }
  return false;
}

function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

function stderrOf(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'stderr' in e) {
    const s = String((e as { stderr: unknown }).stderr).trim();
    if (s !== '') return s;
  }
  return e instanceof Error ? e.message : String(e);
}
