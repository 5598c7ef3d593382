import { promises as fs } from 'node:fs';
import path from 'node:path';

/** One blkio counter: a device, an operation ("Read", "Write", … on v1; "read", "write" on v2), a value. */
export interface BlkioEntry {
  readonly major: number;
  readonly minor: number;
  readonly op: string;
  readonly value: number;
}

/**
 * What a container's cgroup says at one moment, in the units Docker reports
 * (nanoseconds of CPU time, bytes). Fields a layout does not have are undefined.
 */
export interface CgroupSample {
  readonly cpu: {
    readonly totalNano: number;
    readonly perCpuNano?: readonly number[] | undefined;
    readonly kernelNano: number;
    readonly userNano: number;
    readonly throttling: { readonly periods: number; readonly throttledPeriods: number; readonly throttledNano: number };
  };
  readonly memory: {
    readonly usage: number;
    readonly maxUsage?: number | undefined;
    readonly failcnt?: number | undefined;
    /** The limit, or undefined when there is none. */
    readonly limit: number | undefined;
    readonly stats: Readonly<Record<string, number>>;
  };
  readonly pids: { readonly current: number; readonly limit: number | undefined };
  readonly blkio: {
    readonly serviceBytes: readonly BlkioEntry[];
    /** Only v1 counts operations separately; v2 has no such file. */
    readonly serviced?: readonly BlkioEntry[] | undefined;
  };
}

/** Clock ticks per second of cpuacct.stat and /proc/stat (USER_HZ, 100 on Linux). */
export const CLOCK_TICKS = 100;
/** The "no limit" a v1 memory cgroup reports (PAGE_COUNTER_MAX in pages): anything this large means none. */
const V1_UNLIMITED = 2 ** 62;

async function read(file: string): Promise<string | undefined> {
  return fs.readFile(file, 'utf8').catch(() => undefined);
}

function num(text: string | undefined): number {
  const n = Number((text ?? '').trim());
  return Number.isFinite(n) ? n : 0;
}

/** "key value" lines (memory.stat, cpu.stat, cpuacct.stat) as a map. */
export function parseKeyValues(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (text ?? '').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k === undefined || k === '' || v === undefined) continue;
    const n = Number(v);
    if (Number.isFinite(n)) out[k] = n;
  }
  return out;
}

/** v1 blkio files: "8:0 Read 4096" lines; the closing "Total n" line is not a device's. */
export function parseBlkioV1(text: string | undefined): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3) continue;
    const [dev = '', op = '', value = ''] = f;
    const [major, minor] = dev.split(':').map(Number);
    if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) continue;
    out.push({ major, minor, op, value: num(value) });
  }
  return out;
}

/** v2 io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 …" → read and write bytes per device, as Docker reports them. */
export function parseIoStatV2(text: string | undefined): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    const [dev, ...pairs] = line.trim().split(/\s+/);
    if (dev === undefined || dev === '') continue;
    const [major, minor] = dev.split(':').map(Number);
    if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) continue;
    const kv = Object.fromEntries(pairs.map((p) => p.split('=') as [string, string]));
    out.push({ major, minor, op: 'read', value: num(kv['rbytes']) }, { major, minor, op: 'write', value: num(kv['wbytes']) });
  }
  return out;
}

/** A container's cgroup under the v1 controllers (`<root>/<controller>/<cgroupPath>`), as on v1 and hybrid hosts. */
export async function readCgroupV1(root: string, cgroupPath: string): Promise<CgroupSample> {
  const at = (controller: string, file: string): string => path.join(root, controller, cgroupPath, file);
  const [usage, percpu, acct, cpuStat, memUsage, memMax, memFail, memLimit, memStat, pidsCurrent, pidsMax, bytes, serviced] = await Promise.all([
    read(at('cpuacct', 'cpuacct.usage')), read(at('cpuacct', 'cpuacct.usage_percpu')), read(at('cpuacct', 'cpuacct.stat')),
    read(at('cpu', 'cpu.stat')),
    read(at('memory', 'memory.usage_in_bytes')), read(at('memory', 'memory.max_usage_in_bytes')), read(at('memory', 'memory.failcnt')),
    read(at('memory', 'memory.limit_in_bytes')), read(at('memory', 'memory.stat')),
    read(at('pids', 'pids.current')), read(at('pids', 'pids.max')),
    read(at('blkio', 'blkio.throttle.io_service_bytes_recursive')), read(at('blkio', 'blkio.throttle.io_serviced_recursive')),
  ]);
  const ticks = parseKeyValues(acct);
  const cs = parseKeyValues(cpuStat);
  const limit = num(memLimit);
  return {
    cpu: {
      totalNano: num(usage),
      perCpuNano: (percpu ?? '').trim().split(/\s+/).filter((s) => s !== '').map(Number),
      kernelNano: Math.round(((ticks['system'] ?? 0) * 1e9) / CLOCK_TICKS),
      userNano: Math.round(((ticks['user'] ?? 0) * 1e9) / CLOCK_TICKS),
      throttling: { periods: cs['nr_periods'] ?? 0, throttledPeriods: cs['nr_throttled'] ?? 0, throttledNano: cs['throttled_time'] ?? 0 },
    },
    memory: {
      usage: num(memUsage), maxUsage: num(memMax), failcnt: num(memFail),
      limit: memLimit === undefined || limit >= V1_UNLIMITED ? undefined : limit,
      stats: parseKeyValues(memStat),
    },
    pids: { current: num(pidsCurrent), limit: pidsMax === undefined || pidsMax.trim() === 'max' ? undefined : num(pidsMax) },
    blkio: { serviceBytes: parseBlkioV1(bytes), serviced: parseBlkioV1(serviced) },
  };
}

/** A container's cgroup on the unified (v2) hierarchy: `<root>/<cgroupPath>`. */
export async function readCgroupV2(root: string, cgroupPath: string): Promise<CgroupSample> {
  const at = (file: string): string => path.join(root, cgroupPath, file);
  const [cpuStat, memCurrent, memMax, memStat, pidsCurrent, pidsMax, ioStat] = await Promise.all([
    read(at('cpu.stat')), read(at('memory.current')), read(at('memory.max')), read(at('memory.stat')),
    read(at('pids.current')), read(at('pids.max')), read(at('io.stat')),
  ]);
  const cs = parseKeyValues(cpuStat);
  return {
    cpu: {
      totalNano: (cs['usage_usec'] ?? 0) * 1000,
      kernelNano: (cs['system_usec'] ?? 0) * 1000,
      userNano: (cs['user_usec'] ?? 0) * 1000,
      throttling: { periods: cs['nr_periods'] ?? 0, throttledPeriods: cs['nr_throttled'] ?? 0, throttledNano: (cs['throttled_usec'] ?? 0) * 1000 },
    },
    memory: {
      usage: num(memCurrent),
      limit: memMax === undefined || memMax.trim() === 'max' ? undefined : num(memMax),
      stats: parseKeyValues(memStat),
    },
    pids: { current: num(pidsCurrent), limit: pidsMax === undefined || pidsMax.trim() === 'max' ? undefined : num(pidsMax) },
    blkio: { serviceBytes: parseIoStatV2(ioStat) },
  };
}

/** The host's CPU time (nanoseconds, Docker's system_cpu_usage) and number of online CPUs, from /proc/stat. */
export function parseProcStat(text: string): { systemNano: number; onlineCpus: number } {
  let systemNano = 0;
  let onlineCpus = 0;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[0] === 'cpu') {
      // user nice system idle iowait irq softirq, as Docker adds them up.
      const ticks = f.slice(1, 8).reduce((a, v) => a + Number(v), 0);
      systemNano = (ticks * 1e9) / CLOCK_TICKS;
    } else if (/^cpu\d+$/.test(f[0] ?? '')) {
      onlineCpus++;
    }
  }
  return { systemNano, onlineCpus };
}

export interface InterfaceCounters {
  readonly rxBytes: number; readonly rxPackets: number; readonly rxErrors: number; readonly rxDropped: number;
  readonly txBytes: number; readonly txPackets: number; readonly txErrors: number; readonly txDropped: number;
}

/** /proc/<pid>/net/dev: the counters of each interface of the container's namespace but `lo`. */
export function parseNetDev(text: string): Record<string, InterfaceCounters> {
  const out: Record<string, InterfaceCounters> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === 'lo' || name === '') continue;
    const v = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (v.length < 16 || v.some((n) => Number.isNaN(n))) continue;
    const at = (i: number): number => v[i] ?? 0;
    out[name] = {
      rxBytes: at(0), rxPackets: at(1), rxErrors: at(2), rxDropped: at(3),
      txBytes: at(8), txPackets: at(9), txErrors: at(10), txDropped: at(11),
    };
  }
  return out;
}
