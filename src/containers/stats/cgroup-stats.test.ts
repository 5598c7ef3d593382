import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseNetDev, parseProcStat, readCgroupV1, readCgroupV2 } from './cgroup-stats.js';

async function tree(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), text);
  }
}

describe('cgroup readers', () => {
  let root: string;
  beforeEach(async () => { root = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-cg-')); });
  afterEach(async () => { await fs.rm(root, { recursive: true, force: true }); });

  it('readCgroupV1() reads cpuacct, cpu, memory, pids and blkio under each controller', async () => {
    await tree(root, {
      'cpuacct/berth/c1/cpuacct.usage': '5000000000\n',
      'cpuacct/berth/c1/cpuacct.usage_percpu': '3000000000 2000000000 \n',
      'cpuacct/berth/c1/cpuacct.stat': 'user 420\nsystem 80\n',
      'cpu/berth/c1/cpu.stat': 'nr_periods 10\nnr_throttled 2\nthrottled_time 3000\n',
      'memory/berth/c1/memory.usage_in_bytes': '1048576\n',
      'memory/berth/c1/memory.max_usage_in_bytes': '2097152\n',
      'memory/berth/c1/memory.failcnt': '0\n',
      'memory/berth/c1/memory.limit_in_bytes': '9223372036854771712\n',
      'memory/berth/c1/memory.stat': 'cache 4096\ntotal_inactive_file 8192\n',
      'pids/berth/c1/pids.current': '3\n',
      'pids/berth/c1/pids.max': 'max\n',
      'blkio/berth/c1/blkio.throttle.io_service_bytes_recursive': '8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Total 12288\nTotal 12288\n',
      'blkio/berth/c1/blkio.throttle.io_serviced_recursive': '8:0 Read 1\n8:0 Write 2\nTotal 3\n',
    });
    const s = await readCgroupV1(root, '/berth/c1');
    assert.equal(s.cpu.totalNano, 5e9);
    assert.deepEqual(s.cpu.perCpuNano, [3e9, 2e9]);
    assert.equal(s.cpu.userNano, 4.2e9);
    assert.equal(s.cpu.kernelNano, 0.8e9);
    assert.deepEqual(s.cpu.throttling, { periods: 10, throttledPeriods: 2, throttledNano: 3000 });
    assert.equal(s.memory.usage, 1048576);
    assert.equal(s.memory.maxUsage, 2097152);
    assert.equal(s.memory.limit, undefined, 'the kernel\'s "unlimited" is no limit');
    assert.deepEqual(s.memory.stats, { cache: 4096, total_inactive_file: 8192 });
    assert.deepEqual(s.pids, { current: 3, limit: undefined });
    assert.deepEqual(s.blkio.serviceBytes.map((e) => `${e.major}:${e.minor} ${e.op} ${e.value}`), ['8:0 Read 4096', '8:0 Write 8192', '8:0 Sync 0', '8:0 Total 12288']);
    assert.equal(s.blkio.serviced?.length, 2);
  });

  it('readCgroupV2() reads the unified files: microseconds become nanoseconds, io.stat read and write bytes', async () => {
    await tree(root, {
      'berth/c2/cpu.stat': 'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 4\nnr_throttled 1\nthrottled_usec 7\n',
      'berth/c2/memory.current': '65536\n',
      'berth/c2/memory.max': '134217728\n',
      'berth/c2/memory.stat': 'anon 4096\ninactive_file 1024\n',
      'berth/c2/pids.current': '2\n',
      'berth/c2/pids.max': '100\n',
      'berth/c2/io.stat': '8:0 rbytes=4096 wbytes=512 rios=1 wios=1 dbytes=0 dios=0\n',
    });
    const s = await readCgroupV2(root, '/berth/c2');
    assert.equal(s.cpu.totalNano, 1_500_000);
    assert.equal(s.cpu.userNano, 1_000_000);
    assert.equal(s.cpu.kernelNano, 500_000);
    assert.equal(s.cpu.perCpuNano, undefined);
    assert.deepEqual(s.cpu.throttling, { periods: 4, throttledPeriods: 1, throttledNano: 7000 });
    assert.equal(s.memory.usage, 65536);
    assert.equal(s.memory.limit, 134217728);
    assert.equal(s.memory.maxUsage, undefined);
    assert.deepEqual(s.pids, { current: 2, limit: 100 });
    assert.deepEqual(s.blkio.serviceBytes, [{ major: 8, minor: 0, op: 'read', value: 4096 }, { major: 8, minor: 0, op: 'write', value: 512 }]);
  });

  it('readCgroupV2() takes memory.max "max" as no limit', async () => {
    await tree(root, { 'berth/c3/memory.max': 'max\n', 'berth/c3/memory.current': '1\n' });
    assert.equal((await readCgroupV2(root, '/berth/c3')).memory.limit, undefined);
  });

  it('parseProcStat() adds user..softirq ticks of the cpu line and counts the CPUs', () => {
    const r = parseProcStat('cpu  100 1 50 1000 10 0 5 7 0 0\ncpu0 50 0 25 500 5 0 2 3 0 0\ncpu1 50 1 25 500 5 0 3 4 0 0\nintr 1\n');
    assert.equal(r.systemNano, (100 + 1 + 50 + 1000 + 10 + 0 + 5) * 1e7);
    assert.equal(r.onlineCpus, 2);
  });

  it('parseNetDev() gives each interface but lo', () => {
    const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0
  eth0:    1446      17    1    2    0     0          0         0      822      11    3    4    0     0       0          0
`;
    assert.deepEqual(parseNetDev(text), { eth0: { rxBytes: 1446, rxPackets: 17, rxErrors: 1, rxDropped: 2, txBytes: 822, txPackets: 11, txErrors: 3, txDropped: 4 } });
  });
});
