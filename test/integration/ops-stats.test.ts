import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import net from 'node:net';
import { parseTable, TestDaemon } from './harness.js';

interface Stats {
  name: string;
  read: string;
  precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage?: number };
  cpu_stats: { cpu_usage: { total_usage: number; percpu_usage?: number[] }; system_cpu_usage: number; online_cpus: number };
  memory_stats: { usage: number; limit: number; stats: Record<string, number> };
  pids_stats: { current: number };
  blkio_stats: { io_service_bytes_recursive: Array<{ op: string; value: number }> | null };
  networks?: Record<string, { rx_bytes: number; rx_packets: number; tx_bytes: number }>;
}

/** Where this host keeps a container's cgroup files: v1 controllers (v1 and hybrid hosts), or the unified tree. */
async function cgroupFile(id: string, v1: [string, string], v2: string): Promise<string> {
  const p1 = `/sys/fs/cgroup/${v1[0]}/berth/${id}/${v1[1]}`;
  if (await fs.access(p1).then(() => true, () => false)) return fs.readFile(p1, 'utf8');
  return fs.readFile(`/sys/fs/cgroup/berth/${id}/${v2}`, 'utf8');
}

describe('stats', () => {
  let d: TestDaemon;
  before(async () => { d = await TestDaemon.start(); });
  after(async () => { await d?.cleanup(); });

  const stats = async (name: string, query = 'stream=0'): Promise<Stats> => {
    const r = await d.request('GET', `/v1.47/containers/${name}/stats?${query}`);
    assert.equal(r.status, 200, r.body);
    return r.json as Stats;
  };

  it('the API reports what the cgroup files and the network namespace say', async () => {
    await d.berth(['run', '-d', '--name', 'st', 'busybox', 'sh', '-c', 'sleep 300 & sleep 300 & head -c 20000000 /dev/zero | tail -c 1 > /dev/null; wait']);
    const id = (await d.berth(['inspect', '-f', '{{.Id}}', 'st'])).stdout.trim();
    const pid = (await d.berth(['inspect', '-f', '{{.State.Pid}}', 'st'])).stdout.trim();
    const ip = (await d.berth(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'st'])).stdout.trim();
    // Some traffic from the host: connections to a closed port, each answered with a reset.
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve) => {
        const sock = net.connect({ host: ip, port: 9 });
        sock.on('error', () => resolve());
        sock.on('connect', () => { sock.destroy(); resolve(); });
      });
    }

    const s = await stats('st');
    assert.equal(s.name, '/st');
    assert.equal(s.pids_stats.current, Number(await cgroupFile(id, ['pids', 'pids.current'], 'pids.current')));
    assert.equal(s.pids_stats.current, 3);
    const usageNow = Number(await cgroupFile(id, ['memory', 'memory.usage_in_bytes'], 'memory.current'));
    assert.ok(Math.abs(s.memory_stats.usage - usageNow) < 1024 * 1024, `${s.memory_stats.usage} vs ${usageNow}`);
    assert.ok(s.memory_stats.usage > 0);
    // No limit set: the host's memory, as Docker shows it.
    assert.equal(s.memory_stats.limit, os.totalmem());
    const cpuText = await cgroupFile(id, ['cpuacct', 'cpuacct.usage'], 'cpu.stat');
    const usec = /usage_usec (\d+)/.exec(cpuText)?.[1];
    const cpuNowNano = usec !== undefined ? Number(usec) * 1000 : Number(cpuText);
    assert.ok(s.cpu_stats.cpu_usage.total_usage > 0 && s.cpu_stats.cpu_usage.total_usage <= cpuNowNano);
    assert.equal(s.cpu_stats.online_cpus, os.cpus().length);
    // Without stream, precpu_stats is the reading a second before, so CPU % can be computed.
    assert.ok((s.precpu_stats.system_cpu_usage ?? 0) > 0 && (s.precpu_stats.system_cpu_usage ?? 0) < s.cpu_stats.system_cpu_usage);
    const netDev = await fs.readFile(`/proc/${pid}/net/dev`, 'utf8');
    const eth0 = /eth0:\s*(\d+)\s+(\d+)(?:\s+\d+){6}\s+(\d+)/.exec(netDev);
    assert.ok(eth0 !== null);
    assert.equal(s.networks?.['eth0']?.rx_bytes, Number(eth0[1]));
    assert.equal(s.networks?.['eth0']?.tx_bytes, Number(eth0[3]));
    assert.ok((s.networks?.['eth0']?.rx_packets ?? 0) >= 3, 'the connection attempts came in');
    assert.equal(Object.keys(s.networks ?? {}).includes('lo'), false);
    await d.berth(['rm', '-f', 'st']);
  });

  it('a memory and pids limit show as the limits, and MEM % is taken against the limit', async () => {
    await d.berth(['run', '-d', '--name', 'lim', '-m', '64m', '--pids-limit', '50', 'busybox', 'sleep', '300']);
    const s = await stats('lim');
    assert.equal(s.memory_stats.limit, 64 * 1024 * 1024);
    assert.equal((s.pids_stats as { limit?: number }).limit, 50);
    const [row] = parseTable((await d.docker(['stats', '--no-stream', 'lim'])).stdout);
    assert.match(row?.['MEM USAGE / LIMIT'] ?? '', / \/ 64MiB$/);
    const [mine] = parseTable((await d.berth(['stats', '--no-stream', 'lim'])).stdout);
    assert.match(mine?.['MEM USAGE / LIMIT'] ?? '', / \/ 64MiB$/);
    assert.match(mine?.['MEM %'] ?? '', /^\d+\.\d\d%$/);
    await d.berth(['rm', '-f', 'lim']);
  });

  it('berth stats and docker stats print the same table, computed as the docker CLI does', async () => {
    await d.berth(['run', '-d', '--name', 'calm', 'busybox', 'sleep', '300']);
    await d.berth(['create', '--name', 'never', 'busybox', 'true']);
    // CPU time, memory use and the network's background chatter move between two runs; the rest must not.
    const columns = (text: string): Array<Record<string, string>> => parseTable(text).map((r) => ({
      ...r, 'CPU %': '', 'NET I/O': '', 'MEM %': '', 'MEM USAGE / LIMIT': (r['MEM USAGE / LIMIT'] ?? '').replace(/^.* \//, '/'),
    }));
    const b = await d.berth(['stats', '--no-stream']);
    const k = await d.docker(['stats', '--no-stream']);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(columns(b.stdout), columns(k.stdout));
    assert.deepEqual(Object.keys(parseTable(b.stdout)[0] ?? {}), ['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS']);
    const [row] = parseTable(b.stdout);
    assert.equal(row?.['NAME'], 'calm');
    assert.equal(row?.['PIDS'], '1');
    assert.match(row?.['CPU %'] ?? '', /^\d+\.\d\d%$/);
    assert.match(row?.['MEM USAGE / LIMIT'] ?? '', /^[\d.]+[KM]iB \/ [\d.]+GiB$/);
    // -a adds stopped containers, all zeros.
    const all = parseTable((await d.berth(['stats', '--no-stream', '-a'])).stdout);
    assert.deepEqual(all.find((r) => r['NAME'] === 'never'), {
      'CONTAINER ID': all.find((r) => r['NAME'] === 'never')?.['CONTAINER ID'], NAME: 'never', 'CPU %': '0.00%', 'MEM USAGE / LIMIT': '0B / 0B',
      'MEM %': '0.00%', 'NET I/O': '0B / 0B', 'BLOCK I/O': '0B / 0B', PIDS: '0',
    });
    const fmt = ['stats', '--no-stream', 'never', '--format', '{{json .}}'];
    assert.equal((await d.berth(fmt)).stdout, (await d.docker(fmt)).stdout);
    const missing = await d.berth(['stats', '--no-stream', 'nope']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error response from daemon: No such container: nope\n');
    await d.berth(['rm', '-f', 'calm', 'never']);
  });

  it('streams a reading a second, each with the previous as precpu_stats; one-shot needs stream=0', async () => {
    await d.berth(['run', '-d', '--name', 'flow', 'busybox', 'sleep', '300']);
    const frames = await new Promise<Stats[]>((resolve, reject) => {
      const got: Stats[] = [];
      let buf = '';
      const req = http.get({ socketPath: d.socket, path: '/v1.47/containers/flow/stats' }, (res) => {
        res.on('data', (c: Buffer) => {
          buf += c.toString();
          const lines = buf.split('\n');
          buf = lines.pop() ?? '';
          for (const l of lines) if (l.trim() !== '') got.push(JSON.parse(l) as Stats);
          if (got.length >= 3) {
            req.destroy();
            resolve(got);
          }
        });
      });
      req.on('error', reject);
    });
    assert.equal(frames[0]?.precpu_stats.cpu_usage.total_usage, 0);
    assert.equal(frames[2]?.precpu_stats.cpu_usage.total_usage, frames[1]?.cpu_stats.cpu_usage.total_usage);
    const gap = Date.parse(frames[2]?.read ?? '') - Date.parse(frames[1]?.read ?? '');
    assert.ok(gap >= 900 && gap < 2500, `readings ${gap} ms apart`);
    const one = await stats('flow', 'stream=0&one-shot=1');
    assert.equal(one.precpu_stats.cpu_usage.total_usage, 0);
    assert.ok(one.cpu_stats.cpu_usage.total_usage > 0);
    // The CLIs' streaming output: a redraw every half second, the same bytes from both.
    const fmt = ['stats', 'flow', '--format', 'table {{.Name}}\t{{.PIDs}}'];
    const [b, k] = await Promise.all([d.berth(fmt, { timeoutMs: 1800 }), d.docker(fmt, { timeoutMs: 1800 })]);
    const frame = '\x1b[HNAME      PIDS\nflow      1\n\x1b[HNAME      PIDS \x1b[K\nflow      1 \x1b[K\n \x1b[K\n\x1b[J';
    assert.ok(b.stdout.startsWith(frame + frame), JSON.stringify(b.stdout.slice(0, 200)));
    assert.ok(k.stdout.startsWith(frame + frame), JSON.stringify(k.stdout.slice(0, 200)));
    const bad = await d.request('GET', '/v1.47/containers/flow/stats?stream=1&one-shot=1');
    assert.equal(bad.status, 400);
    await d.berth(['rm', '-f', 'flow']);
  });
});
