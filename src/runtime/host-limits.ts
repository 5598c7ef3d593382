import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { CgroupInfo } from './runtime-select.js';

/** Names of `/proc/self/limits` rows, by ulimit name. */
const LIMIT_ROWS: Readonly<Record<string, string>> = {
  core: 'Max core file size', cpu: 'Max cpu time', data: 'Max data size', fsize: 'Max file size', locks: 'Max file locks',
  memlock: 'Max locked memory', msgqueue: 'Max msgqueue size', nice: 'Max nice priority', nofile: 'Max open files',
  nproc: 'Max processes', rss: 'Max resident set', rtprio: 'Max realtime priority', rttime: 'Max realtime timeout',
  sigpending: 'Max pending signals', stack: 'Max stack size', as: 'Max address space',
};

/** The daemon's own hard limit for a ulimit name (-1: unlimited; undefined: unknown). */
export function hostHardLimit(name: string, limitsText?: string): number | undefined {
  const row = LIMIT_ROWS[name];
  if (row === undefined) return undefined;
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return undefined;
    }
  }
  const line = text.split('\n').find((l) => l.startsWith(row));
  const fields = line?.slice(row.length).trim().split(/\s+/);
  const hard = fields?.[1];
  if (hard === undefined) return undefined;
  return hard === 'unlimited' ? -1 : Number(hard);
}

/** CPUs and whether swap can be limited, for Docker's resource checks. */
export function hostResources(cgroups: CgroupInfo, root = '/sys/fs/cgroup'): { cpus: number; swapLimit: boolean } {
  let swapLimit: boolean;
  if (cgroups.layout === 'v2') {
    try {
      swapLimit = readFileSync(`${root}/cgroup.subtree_control`, 'utf8').split(/\s+/).includes('memory') && existsSync('/proc/swaps');
    } catch {
      swapLimit = false;
    }
  } else {
    swapLimit = existsSync(`${root}/memory/memory.memsw.limit_in_bytes`);
  }
  return { cpus: os.availableParallelism(), swapLimit };
}
