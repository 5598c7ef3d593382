import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { eventually, exec, freePort, TestDaemon } from './harness.js';

function httpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/', timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}


function hostAddress(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('no external IPv4 address on this host');
}

const WEB = ['sh', '-c', 'mkdir -p /www && echo "hello from $(hostname)" > /www/index.html && exec httpd -f -p 80 -h /www'];

describe('networking', () => {
  let d: TestDaemon;
  before(async () => { d = await TestDaemon.start(); });
  after(async () => { await d?.cleanup(); });

  /** What containers hold on the host: veth devices, namespaces, address leases, iptables rules naming a container. */
  const footprint = async (): Promise<{ veth: number; netns: number; leases: number; rules: number }> => {
    const links = (await exec('ip', ['-o', 'link', 'show', 'master', d.bridge])).stdout.split('\n').filter(Boolean).length;
    const netns = (await fs.readdir(path.join(d.execRoot, 'netns')).catch(() => [])).length;
    const ipam = path.join(d.dataRoot, 'networks', 'ipam');
    let leases = 0;
    for (const n of await fs.readdir(ipam).catch(() => [] as string[])) {
      leases += (await fs.readdir(path.join(ipam, n))).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f)).length;
    }
    const rules = (await exec('iptables-save', [])).stdout.split('\n').filter((l) => /id: "[0-9a-f]{64}"/.test(l)).length;
    return { veth: links, netns, leases, rules };
  };

  it('a container on the default bridge gets an address in its subnet, a gateway route and outbound access', async () => {
    const r = await d.docker(['run', '--rm', 'busybox', 'sh', '-c',
      'ping -c 1 -W 1 127.0.0.1 >/dev/null || echo no-loopback; ip -4 -o addr show eth0 | awk \'{print $4}\'; ip route | grep default; tail -1 /etc/hosts; timeout 20 wget -q -O- http://deb.debian.org/debian/dists/bookworm/Release | head -1']);
    assert.equal(r.code, 0, r.stderr);
    const [addr = '', route = '', hostsLine = '', answer = ''] = r.stdout.split('\n');
    const prefix = d.bip.split('.').slice(0, 3).join('.');
    assert.match(addr, new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.\\d+/24$`));
    assert.match(route, new RegExp(`^default via ${prefix.replace(/\./g, '\\.')}\\.1 dev eth0`));
    assert.match(hostsLine, new RegExp(`^${addr.split('/')[0]?.replace(/\./g, '\\.') ?? ''}\\t[0-9a-f]{12}$`));
    // Name resolution and NAT to the outside: Debian's archive answers over HTTP.
    assert.equal(answer, 'Origin: Debian');
  });

  it('-p publishes a port on 127.0.0.1 and the host\'s address; port, ps and inspect show it', async () => {
    const port = await freePort();
    const run = await d.docker(['run', '-d', '--name', 'web', '-p', `${port}:80`, 'busybox', ...WEB]);
    assert.equal(run.code, 0, run.stderr);
    await eventually(async () => httpGet('127.0.0.1', port).then(() => true, () => false), 10_000, 'the published port');
    assert.match(await httpGet('127.0.0.1', port), /^hello from [0-9a-f]{12}\n$/);
    assert.match(await httpGet(hostAddress(), port), /^hello from/);
    for (const cli of ['berth', 'docker'] as const) {
      assert.equal((await d[cli](['port', 'web'])).stdout, `80/tcp -> 0.0.0.0:${port}\n`);
      assert.equal((await d[cli](['port', 'web', '80/tcp'])).stdout, `0.0.0.0:${port}\n`);
      assert.equal((await d[cli](['ps', '--format', '{{.Ports}}', '--filter', 'name=web'])).stdout, `0.0.0.0:${port}->80/tcp\n`);
      const missing = await d[cli](['port', 'web', '81']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /No public port '81' published for web/);
    }
    const ports = await d.docker(['inspect', '-f', '{{json .NetworkSettings.Ports}}', 'web']);
    assert.deepEqual(JSON.parse(ports.stdout), { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: String(port) }] });
  });

  it('a host port that is already published fails the start with Docker\'s message and leaves nothing behind', async () => {
    const port = Number((await d.docker(['port', 'web', '80'])).stdout.trim().split(':')[1]);
    const before = await footprint();
    const r = await d.docker(['run', '-d', '--name', 'clash', '-p', `${port}:80`, 'busybox', 'sleep', '30']);
    assert.equal(r.code, 125);
    assert.match(r.stderr, new RegExp(`Bind for 0\\.0\\.0\\.0:${port} failed: port is already allocated`));
    await eventually(async () => JSON.stringify(await footprint()) === JSON.stringify(before), 5000, 'nothing left of the failed start');
    assert.equal((await d.docker(['inspect', '-f', '{{.State.Status}}', 'clash'])).stdout, 'created\n');
    await d.docker(['rm', '-f', 'clash', 'web']);
  });

  it('-P publishes every exposed port on an ephemeral host port', async () => {
    const r = await d.docker(['run', '-d', '--name', 'all', '--expose', '80', '-P', 'busybox', ...WEB]);
    assert.equal(r.code, 0, r.stderr);
    const mapped = (await d.docker(['port', 'all', '80'])).stdout.trim();
    const port = Number(mapped.split(':')[1]);
    assert.ok(port >= 1024, mapped);
    await eventually(async () => httpGet('127.0.0.1', port).then(() => true, () => false), 10_000, 'the ephemeral port');
    await d.docker(['rm', '-f', 'all']);
  });

  it('20 create/start/remove cycles leave no veth, namespace, lease or iptables rule behind', async () => {
    const before = await footprint();
    for (let i = 0; i < 20; i++) {
      const id = (await d.berth(['run', '-d', '-p', '80', 'busybox', 'sleep', '30'])).stdout.trim();
      assert.match(id, /^[0-9a-f]{64}$/);
      await d.berth(['rm', '-f', id]);
    }
    // A veth goes with its namespace, which the kernel frees a moment after the last user is gone.
    await eventually(async () => JSON.stringify(await footprint()) === JSON.stringify(before), 5000, 'the footprint to return to where it was');
    assert.deepEqual(await footprint(), before);
  });

  it('user-defined networks get their own subnet; containers on different networks cannot reach each other', async () => {
    const n = d.bip.split('.')[2];
    assert.equal((await d.docker(['network', 'create', '--subnet', `10.197.${n}.0/24`, 'app-a'])).code, 0);
    assert.equal((await d.docker(['network', 'create', '--subnet', `10.198.${n}.0/24`, 'app-b'])).code, 0);
    await d.docker(['run', '-d', '--name', 'in-a', '--network', 'app-a', 'busybox', ...WEB]);
    const ipA = (await d.docker(['inspect', '-f', '{{(index .NetworkSettings.Networks "app-a").IPAddress}}', 'in-a'])).stdout.trim();
    assert.match(ipA, new RegExp(`^10\\.197\\.${n}\\.\\d+$`));
    const same = await d.docker(['run', '--rm', '--network', 'app-a', 'busybox', 'sh', '-c', `timeout 5 wget -q -O- http://${ipA}/; exit $?`]);
    assert.match(same.stdout, /hello from/);
    const other = await d.docker(['run', '--rm', '--network', 'app-b', 'busybox', 'sh', '-c', `timeout 3 wget -q -O- http://${ipA}/; exit $?`]);
    assert.notEqual(other.code, 0, 'a container on another network must not reach it');
    const busy = await d.docker(['network', 'rm', 'app-a']);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /has active endpoints/);
    await d.docker(['rm', '-f', 'in-a']);
    assert.equal((await d.docker(['network', 'rm', 'app-a', 'app-b'])).stdout, 'app-a\napp-b\n');
  });

  it('bad network requests get Docker\'s errors', async () => {
    const unknown = await d.docker(['run', '--rm', '--network', 'nope', 'busybox', 'true']);
    assert.equal(unknown.code, 125);
    assert.match(unknown.stderr, /network nope not found/);
    const badCidr = await d.request('POST', '/v1.47/networks/create', { Name: 'bad', IPAM: { Config: [{ Subnet: '10.0.0.0/99' }] } });
    assert.equal(badCidr.status, 400);
    const overlap = await d.request('POST', '/v1.47/networks/create', { Name: 'ov', IPAM: { Config: [{ Subnet: d.bip.replace(/\.1\/24$/, '.0/25') }] } });
    assert.equal(overlap.status, 403);
    assert.match((overlap.json as { message: string }).message, /Pool overlaps with other one on this address space/);
    const predefined = await d.request('DELETE', '/v1.47/networks/bridge');
    assert.equal(predefined.status, 403);
  });

  it('published ports survive a daemon crash and are released when the container stops afterwards', async () => {
    const port = await freePort();
    await d.docker(['run', '-d', '--name', 'durable', '-p', `${port}:80`, 'busybox', ...WEB]);
    await eventually(async () => httpGet('127.0.0.1', port).then(() => true, () => false), 10_000, 'the published port');
    await d.stopDaemon('SIGKILL');
    await d.launch();
    assert.match(await httpGet('127.0.0.1', port), /hello from/);
    const clash = await d.docker(['run', '-d', '-p', `${port}:80`, 'busybox', 'true']);
    assert.match(clash.stderr, /port is already allocated/, 'the restarted daemon still knows the port is taken');
    await d.docker(['rm', '-f', 'durable']);
    await assert.rejects(httpGet('127.0.0.1', port));
  });
});

describe('a default bridge that is already there', () => {
  const device = `bta${process.pid % 100000}`;
  let d: TestDaemon | undefined;
  after(async () => {
    await d?.cleanup();
    await exec('ip', ['link', 'del', device]);
    // The daemon's rules for this bridge (the harness removes only those of its own bridge name).
    for (const table of ['filter', 'nat']) {
      for (const line of (await exec('iptables-save', ['-t', table])).stdout.split('\n')) {
        if (!line.startsWith('-A ') || !line.includes(device)) continue;
        const args = line.replace(/^-A /, '-D ').match(/(?:[^\s"]+|"[^"]*")+/g)?.map((a) => a.replace(/^"|"$/g, '')) ?? [];
        await exec('iptables', ['-w', '-t', table, ...args]);
      }
    }
  });

  it('keeps its address when no --bip is given, as Docker does', async () => {
    await exec('ip', ['link', 'add', 'name', device, 'type', 'bridge']);
    const third = 100 + (process.pid % 100);
    assert.equal((await exec('ip', ['addr', 'add', `10.250.${third}.1/24`, 'dev', device])).code, 0);
    d = await TestDaemon.start({ daemonJson: { bridge: device, bip: undefined } });
    const subnet = (await d.docker(['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', 'bridge'])).stdout.trim();
    assert.equal(subnet, `10.250.${third}.0/24`);
    const ip = (await d.docker(['run', '--rm', 'busybox', 'sh', '-c', "ip -4 -o addr show eth0 | awk '{print $4}'"])).stdout.trim();
    assert.match(ip, new RegExp(`^10\\.250\\.${third}\\.\\d+/24$`));
  });
});
