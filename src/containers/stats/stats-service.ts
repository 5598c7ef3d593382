import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CgroupLayout } from '../../runtime/runtime-select.js';
import type { ContainerRecord } from '../container.js';
import { parseNetDev, parseProcStat, readCgroupV1, readCgroupV2, type CgroupSample, type InterfaceCounters } from './cgroup-stats.js';

/** One reading of a container's resource use (`docker stats`). */
export interface StatsSample {
  readonly id: string;
  /** "/name", as Docker reports it. */
  readonly name: string;
  /** When it was read; undefined for a container that does not run (Docker's empty reading). */
  readonly read?: { readonly date: Date; readonly nano: bigint } | undefined;
  readonly cgroup?: CgroupSample | undefined;
  /** Host CPU time and online CPUs at the same moment. */
  readonly system?: { readonly systemNano: number; readonly onlineCpus: number } | undefined;
  /** Interfaces of the container's network namespace (none for host and none networks). */
  readonly networks?: Readonly<Record<string, InterfaceCounters>> | undefined;
}

export interface StatsServiceDeps {
  readonly resolve: (idOrName: string) => ContainerRecord;
  readonly layout: CgroupLayout;
  /** Total memory of the host: the limit shown for containers without one. */
  readonly hostMemory: number;
  readonly cgroupRoot?: string;
  readonly procRoot?: string;
}

/** Reads containers' cgroups (v1 controllers on v1 and hybrid hosts, the unified tree on v2) and network counters. */
export class StatsService {
  constructor(private readonly d: StatsServiceDeps) {}

  /** The container's cgroup, as the runtime was told (`cgroupsPath`). */
  static cgroupPath(id: string): string {
    return `/berth/${id}`;
  }

  async sample(idOrName: string): Promise<StatsSample> {
    const rec = this.d.resolve(idOrName);
    const base = { id: rec.config.id, name: `/${rec.name}` };
    const status = rec.state.status;
    if (status !== 'running' && status !== 'paused') return base;
    const root = this.d.cgroupRoot ?? '/sys/fs/cgroup';
    const proc = this.d.procRoot ?? '/proc';
    const cgroupPath = StatsService.cgroupPath(rec.config.id);
    const mode = rec.config.host.networkMode;
    const [cgroup, procStat, netDev] = await Promise.all([
      this.d.layout === 'v2' ? readCgroupV2(root, cgroupPath) : readCgroupV1(root, cgroupPath),
      fs.readFile(path.join(proc, 'stat'), 'utf8'),
      mode === 'host' || rec.state.pid <= 0 ? Promise.resolve(undefined)
        : fs.readFile(path.join(proc, String(rec.state.pid), 'net', 'dev'), 'utf8').catch(() => undefined),
    ]);
    const limit = cgroup.memory.limit;
    const memory = { ...cgroup.memory, limit: limit === undefined || limit > this.d.hostMemory ? this.d.hostMemory : limit };
    const now = Date.now();
    return {
      ...base,
      read: { date: new Date(now), nano: BigInt(now) * 1_000_000n + process.hrtime.bigint() % 1_000_000n },
      cgroup: { ...cgroup, memory },
      system: parseProcStat(procStat),
      networks: netDev === undefined ? undefined : parseNetDev(netDev),
    };
  }
}
