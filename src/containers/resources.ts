import { invalidArgument } from '../engine-error.js';

/** Resource limits of a container (Docker's HostConfig.Resources subset berth applies). 0 means "not set". */
export interface ResourceOptions {
  readonly memory: number;
  /** Memory plus swap; -1 unlimited swap. */
  readonly memorySwap: number;
  readonly memoryReservation: number;
  /** -1 when not set. */
  readonly memorySwappiness: number;
  readonly nanoCpus: number;
  readonly cpuShares: number;
  readonly cpuPeriod: number;
  readonly cpuQuota: number;
  readonly cpusetCpus: string;
  readonly cpusetMems: string;
  /** 0 when not set; -1 unlimited. */
  readonly pidsLimit: number;
  readonly oomKillDisable: boolean;
}

export interface Ulimit {
  readonly name: string;
  readonly soft: number;
  readonly hard: number;
}

export const NO_RESOURCES: ResourceOptions = {
  memory: 0, memorySwap: 0, memoryReservation: 0, memorySwappiness: -1, nanoCpus: 0, cpuShares: 0, cpuPeriod: 0, cpuQuota: 0,
  cpusetCpus: '', cpusetMems: '', pidsLimit: 0, oomKillDisable: false,
};

/** What the host offers, for Docker's checks. */
export interface HostResources {
  readonly cpus: number;
  /** Whether the memory cgroup can limit swap (memsw on v1, memory.swap.max on v2). */
  readonly swapLimit: boolean;
}

const MIN_MEMORY = 6 * 1024 * 1024;

/**
 * Docker's checks and adjustments of resource settings at create and update:
 * returns the settings to apply and the warnings to show.
 */
export function validateResources(r: ResourceOptions, host: HostResources): { resources: ResourceOptions; warnings: string[] } {
  const warnings: string[] = [];
  let out = { ...r };
  if (out.memory !== 0 && out.memory < MIN_MEMORY) throw invalidArgument('Minimum memory limit allowed is 6MB');
  if (out.memorySwap > 0 && out.memory === 0) throw invalidArgument('You should always set the Memory limit when using Memoryswap limit, see usage');
  if (out.memory > 0 && out.memorySwap > 0 && out.memorySwap < out.memory) {
    throw invalidArgument('Minimum memoryswap limit should be larger than memory limit, see usage');
  }
  if (out.memory > 0 && out.memoryReservation > 0 && out.memory < out.memoryReservation) {
    throw invalidArgument('Minimum memory limit can not be less than memory reservation limit, see usage');
  }
  if (out.memoryReservation !== 0 && out.memoryReservation < MIN_MEMORY) throw invalidArgument('Minimum memory reservation allowed is 6MB');
  if (out.memorySwappiness !== -1 && (out.memorySwappiness < 0 || out.memorySwappiness > 100)) {
    throw invalidArgument(`Invalid value: ${out.memorySwappiness}, valid memory swappiness range is 0-100`);
  }
  // Docker: with a memory limit and no swap setting, swap gets as much again.
  if (out.memory > 0 && out.memorySwap === 0) out = { ...out, memorySwap: out.memory * 2 };
  if (out.memorySwap > 0 && !host.swapLimit) {
    warnings.push('Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.');
    out = { ...out, memorySwap: -1 };
  }
  if (out.nanoCpus !== 0) {
    if (out.cpuPeriod !== 0) throw invalidArgument('Conflicting options: Nano CPUs and CPU Period cannot both be set');
    if (out.cpuQuota !== 0) throw invalidArgument('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
    if (out.nanoCpus < 0 || out.nanoCpus > host.cpus * 1e9) {
      throw invalidArgument(`Range of CPUs is from 0.01 to ${host.cpus.toFixed(2)}, as there are only ${host.cpus} CPUs available`);
    }
  }
  if (out.cpuPeriod !== 0 && (out.cpuPeriod < 1000 || out.cpuPeriod > 1_000_000)) {
    throw invalidArgument('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  }
  if (out.cpuQuota > 0 && out.cpuQuota < 1000) throw invalidArgument('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if (out.cpuShares < 0) throw invalidArgument('invalid CPU shares: shares must be positive');
  for (const [value, what] of [[out.cpusetCpus, 'cpus'], [out.cpusetMems, 'mems']] as const) {
    if (value === '') continue;
    const cpus = parseCpuList(value);
    if (cpus === undefined) throw invalidArgument(`Invalid value ${value} for cpuset ${what}`);
    if (what === 'cpus' && cpus.some((c) => c >= host.cpus)) {
      throw invalidArgument(`Requested CPUs are not available - requested ${value}, available: ${host.cpus === 1 ? '0' : `0-${host.cpus - 1}`}`);
    }
  }
  return { resources: out, warnings };
}

/** "0-2,4" into [0, 1, 2, 4]; undefined when malformed. */
export function parseCpuList(s: string): number[] | undefined {
  const out: number[] = [];
  for (const part of s.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (m === null) return undefined;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) return undefined;
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}

/** The OCI `linux.resources` entries for the settings (cgroup v1 and v2 alike: the runtime translates). */
export function ociResources(r: ResourceOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const memory: Record<string, unknown> = {};
  if (r.memory > 0) memory['limit'] = r.memory;
  if (r.memorySwap !== 0 && r.memory > 0) memory['swap'] = r.memorySwap;
  if (r.memoryReservation > 0) memory['reservation'] = r.memoryReservation;
  if (r.memorySwappiness >= 0) memory['swappiness'] = r.memorySwappiness;
  if (r.oomKillDisable) memory['disableOOMKiller'] = true;
  if (Object.keys(memory).length > 0) out['memory'] = memory;
  const cpu: Record<string, unknown> = {};
  if (r.cpuShares > 0) cpu['shares'] = r.cpuShares;
  if (r.nanoCpus > 0) {
    cpu['period'] = 100_000;
    cpu['quota'] = Math.round((r.nanoCpus * 100_000) / 1e9);
  } else {
    if (r.cpuPeriod > 0) cpu['period'] = r.cpuPeriod;
    if (r.cpuQuota !== 0) cpu['quota'] = r.cpuQuota;
  }
  if (r.cpusetCpus !== '') cpu['cpus'] = r.cpusetCpus;
  if (r.cpusetMems !== '') cpu['mems'] = r.cpusetMems;
  if (Object.keys(cpu).length > 0) out['cpu'] = cpu;
  if (r.pidsLimit !== 0) out['pids'] = { limit: r.pidsLimit < 0 ? -1 : r.pidsLimit };
  return out;
}

const RLIMITS = new Set(['core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack', 'as']);

/**
 * Checks `--ulimit`s: known names, soft <= hard, and never above what the
 * daemon may grant (its own hard limit; raising it needs CAP_SYS_RESOURCE).
 */
export function validateUlimits(ulimits: readonly Ulimit[], hostHard: (name: string) => number | undefined): void {
  for (const u of ulimits) {
    if (!RLIMITS.has(u.name)) throw invalidArgument(`invalid ulimit type: ${u.name}`);
    if (u.soft > u.hard) throw invalidArgument(`invalid ulimit argument: ${u.name}=${u.soft}:${u.hard}: soft limit must be less than or equal to hard limit`);
    const max = hostHard(u.name);
    if (max !== undefined && max >= 0 && u.hard > max) {
      throw invalidArgument(`ulimit ${u.name}: hard limit ${u.hard} is above the host's hard limit ${max}`);
    }
  }
}

export function ociRlimits(ulimits: readonly Ulimit[]): Array<{ type: string; soft: number; hard: number }> {
  return ulimits.map((u) => ({ type: `RLIMIT_${u.name.toUpperCase()}`, soft: u.soft, hard: u.hard }));
}
