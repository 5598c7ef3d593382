import { bytesSize, humanSizeWithPrecision } from '../../units/human-units.js';

/** The parts of Docker's stats JSON that `docker stats` reads. */
export interface StatsResponse {
  readonly name?: string;
  readonly id?: string;
  readonly pids_stats?: { readonly current?: number };
  readonly blkio_stats?: { readonly io_service_bytes_recursive?: ReadonlyArray<{ readonly op?: string; readonly value?: number }> | null };
  readonly cpu_stats?: CpuStats;
  readonly precpu_stats?: CpuStats;
  readonly memory_stats?: { readonly usage?: number; readonly limit?: number; readonly stats?: Readonly<Record<string, number>> };
  readonly networks?: Readonly<Record<string, { readonly rx_bytes?: number; readonly tx_bytes?: number }>>;
}

interface CpuStats {
  readonly cpu_usage?: { readonly total_usage?: number; readonly percpu_usage?: readonly number[] };
  readonly system_cpu_usage?: number;
  readonly online_cpus?: number;
}

/** One row of `docker stats`: the figures the docker CLI computes from a reading. */
export interface StatsEntry {
  readonly container: string;
  readonly name: string;
  readonly id: string;
  readonly cpuPercentage: number;
  readonly memory: number;
  readonly memoryLimit: number;
  readonly memoryPercentage: number;
  readonly networkRx: number;
  readonly networkTx: number;
  readonly blockRead: number;
  readonly blockWrite: number;
  readonly pidsCurrent: number;
  /** The reading failed (the row shows "--"). */
  readonly invalid?: boolean;
}

/** docker's calculateCPUPercentUnix: the container's share of the host's CPU time between two readings, times the CPUs. */
export function cpuPercent(s: StatsResponse): number {
  const cpuDelta = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
  let online = s.cpu_stats?.online_cpus ?? 0;
  if (online === 0) online = s.cpu_stats?.cpu_usage?.percpu_usage?.length ?? 0;
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * online * 100 : 0;
}

/** docker's calculateMemUsageUnixNoCache: usage less the inactive file cache (v1's total_inactive_file, v2's inactive_file). */
export function memoryUsage(mem: StatsResponse['memory_stats']): number {
  const usage = mem?.usage ?? 0;
  const v1 = mem?.stats?.['total_inactive_file'];
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = mem?.stats?.['inactive_file'] ?? 0;
  if (v2 < usage) return usage - v2;
  return usage;
}

/** The row for a reading, as docker's collect() fills it. */
export function statsEntry(container: string, s: StatsResponse): StatsEntry {
  let blockRead = 0;
  let blockWrite = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const c = (e.op ?? '')[0];
    if (c === 'r' || c === 'R') blockRead += e.value ?? 0;
    else if (c === 'w' || c === 'W') blockWrite += e.value ?? 0;
  }
  let networkRx = 0;
  let networkTx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    networkRx += n.rx_bytes ?? 0;
    networkTx += n.tx_bytes ?? 0;
  }
  const memory = memoryUsage(s.memory_stats);
  const memoryLimit = s.memory_stats?.limit ?? 0;
  return {
    container, name: s.name ?? '', id: s.id ?? '',
    cpuPercentage: cpuPercent(s),
    memory, memoryLimit, memoryPercentage: memoryLimit !== 0 ? (memory / memoryLimit) * 100 : 0,
    networkRx, networkTx, blockRead, blockWrite,
    pidsCurrent: s.pids_stats?.current ?? 0,
  };
}

/** The template fields of docker's statsContext, in the key order its `json` gives. */
export function statsRow(e: StatsEntry, trunc: boolean): Record<string, string> {
  const dashes = (v: string): string => (e.invalid === true ? '--' : v);
  return {
    BlockIO: dashes(`${humanSizeWithPrecision(e.blockRead, 3)} / ${humanSizeWithPrecision(e.blockWrite, 3)}`),
    CPUPerc: dashes(`${e.cpuPercentage.toFixed(2)}%`),
    Container: e.container,
    ID: trunc ? e.id.slice(0, 12) : e.id,
    MemPerc: dashes(`${e.memoryPercentage.toFixed(2)}%`),
    MemUsage: e.invalid === true ? '-- / --' : `${bytesSize(e.memory)} / ${bytesSize(e.memoryLimit)}`,
    Name: e.name.length > 1 ? e.name.slice(1) : '--',
    NetIO: dashes(`${humanSizeWithPrecision(e.networkRx, 3)} / ${humanSizeWithPrecision(e.networkTx, 3)}`),
    PIDs: dashes(String(e.pidsCurrent)),
  };
}

export const STATS_TABLE = {
  defaultFormat: 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}',
  headers: {
    ID: 'CONTAINER ID', Name: 'NAME', Container: 'CONTAINER', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT',
    MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS',
  },
};
