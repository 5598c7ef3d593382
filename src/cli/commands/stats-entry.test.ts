import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpuPercent, memoryUsage, statsEntry, statsRow } from './stats-entry.js';

describe('stats figures', () => {
  it('cpuPercent() is the container\'s share of host CPU time between readings, times the online CPUs', () => {
    assert.equal(cpuPercent({
      cpu_stats: { cpu_usage: { total_usage: 1_500_000_000 }, system_cpu_usage: 4_000_000_000, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 1_000_000_000 }, system_cpu_usage: 2_000_000_000 },
    }), 50);
    assert.equal(cpuPercent({ cpu_stats: { cpu_usage: { total_usage: 5, percpu_usage: [1, 2, 3, 4] }, system_cpu_usage: 10 } }), 200);
    assert.equal(cpuPercent({}), 0);
  });
  it('memoryUsage() leaves out the inactive file cache (v1 total_inactive_file, else v2 inactive_file)', () => {
    assert.equal(memoryUsage({ usage: 1000, stats: { total_inactive_file: 300, inactive_file: 100 } }), 700);
    assert.equal(memoryUsage({ usage: 1000, stats: { inactive_file: 100 } }), 900);
    assert.equal(memoryUsage({ usage: 1000, stats: { total_inactive_file: 5000 } }), 1000);
  });
  it('statsRow() formats as docker stats does', () => {
    const e = statsEntry('web', {
      name: '/web', id: 'f'.repeat(64), pids_stats: { current: 3 },
      blkio_stats: { io_service_bytes_recursive: [{ op: 'Read', value: 1_234_567 }, { op: 'Write', value: 2048 }, { op: 'Total', value: 9 }] },
      memory_stats: { usage: 1536 * 1024, limit: 2 * 1024 ** 3, stats: {} },
      networks: { eth0: { rx_bytes: 1446, tx_bytes: 822 }, eth1: { rx_bytes: 1000, tx_bytes: 0 } },
    });
    assert.deepEqual(statsRow(e, true), {
      BlockIO: '1.23MB / 2.05kB', CPUPerc: '0.00%', Container: 'web', ID: 'ffffffffffff', MemPerc: '0.07%',
      MemUsage: '1.5MiB / 2GiB', Name: 'web', NetIO: '2.45kB / 822B', PIDs: '3',
    });
    assert.equal(statsRow(statsEntry('x', {}), true)['Name'], '--');
  });
});
