import type { BlkioEntry } from '../../containers/stats/cgroup-stats.js';
import type { StatsSample } from '../../containers/stats/stats-service.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Go's RFC 3339 with nanoseconds (trailing zeros dropped) of a time in nanoseconds. */
function rfc3339Nano(nano: bigint): string {
  const secs = nano / 1_000_000_000n;
  const frac = (nano % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${new Date(Number(secs) * 1000).toISOString().slice(0, 19)}${frac === '' ? '' : `.${frac}`}Z`;
}

function blkio(entries: readonly BlkioEntry[] | undefined): unknown {
  return entries === undefined ? null : entries.map((e) => ({ major: e.major, minor: e.minor, op: e.op, value: e.value }));
}

/** CPUStats: zero for a reading that has none (the first frame's precpu_stats, a stopped container). */
function cpuStats(s: StatsSample | undefined): Record<string, unknown> {
  const c = s?.cgroup?.cpu;
  const usage: Record<string, unknown> = { total_usage: c?.totalNano ?? 0 };
  if (c?.perCpuNano !== undefined && c.perCpuNano.length > 0) usage['percpu_usage'] = c.perCpuNano;
  usage['usage_in_kernelmode'] = c?.kernelNano ?? 0;
  usage['usage_in_usermode'] = c?.userNano ?? 0;
  const out: Record<string, unknown> = { cpu_usage: usage };
  if (s?.system !== undefined && s.system.systemNano > 0) out['system_cpu_usage'] = s.system.systemNano;
  if (s?.system !== undefined && s.system.onlineCpus > 0) out['online_cpus'] = s.system.onlineCpus;
  out['throttling_data'] = {
    periods: c?.throttling.periods ?? 0, throttled_periods: c?.throttling.throttledPeriods ?? 0, throttled_time: c?.throttling.throttledNano ?? 0,
  };
  return out;
}

/**
 * Docker's stats JSON (StatsResponse) for a reading and the one before it
 * (`pre`, which gives precpu_stats and preread). Empty fields are left out as
 * Go's omitempty does.
 */
export function statsJson(s: StatsSample, pre: StatsSample | undefined): Record<string, unknown> {
  const c = s.cgroup;
  const pids: Record<string, unknown> = {};
  if (c !== undefined && c.pids.current > 0) pids['current'] = c.pids.current;
  if (c?.pids.limit !== undefined && c.pids.limit > 0) pids['limit'] = c.pids.limit;
  const memory: Record<string, unknown> = {};
  if (c !== undefined) {
    const m = c.memory;
    if (m.usage > 0) memory['usage'] = m.usage;
    if (m.maxUsage !== undefined && m.maxUsage > 0) memory['max_usage'] = m.maxUsage;
    if (Object.keys(m.stats).length > 0) memory['stats'] = Object.fromEntries(Object.entries(m.stats).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (m.failcnt !== undefined && m.failcnt > 0) memory['failcnt'] = m.failcnt;
    if (m.limit !== undefined && m.limit > 0) memory['limit'] = m.limit;
  }
  const out: Record<string, unknown> = {
    name: s.name,
    id: s.id,
    read: s.read === undefined ? ZERO_TIME : rfc3339Nano(s.read.nano),
    preread: pre?.read === undefined ? ZERO_TIME : rfc3339Nano(pre.read.nano),
    pids_stats: pids,
    blkio_stats: {
      io_service_bytes_recursive: blkio(c?.blkio.serviceBytes),
      io_serviced_recursive: blkio(c?.blkio.serviced),
      io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null,
      io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null,
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuStats(s),
    precpu_stats: cpuStats(pre),
    memory_stats: memory,
  };
  const nets = s.networks;
  if (nets !== undefined && Object.keys(nets).length > 0) {
    out['networks'] = Object.fromEntries(Object.entries(nets).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, n]) => [name, {
      rx_bytes: n.rxBytes, rx_packets: n.rxPackets, rx_errors: n.rxErrors, rx_dropped: n.rxDropped,
      tx_bytes: n.txBytes, tx_packets: n.txPackets, tx_errors: n.txErrors, tx_dropped: n.txDropped,
    }]));
  }
  return out;
}
