import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestDaemon } from './harness.js';

const WEB = ['sh', '-c', 'mkdir -p /www && echo "hello from $(hostname)" > /www/index.html && exec httpd -f -p 80 -h /www'];

/** The tutorial's Day 4 and Day 5 (shared/seeds/002), through the official docker CLI. */
describe('user-defined networks and their DNS', () => {
  let d: TestDaemon;
  before(async () => { d = await TestDaemon.start(); });
  after(async () => { await d?.cleanup(); });

  const onNet = (net: string, script: string) => d.docker(['run', '--rm', '--network', net, 'busybox', 'sh', '-c', script]);

  it('lists the predefined networks and shows the bridge\'s subnet and gateway', async () => {
    const ls = await d.docker(['network', 'ls', '--format', '{{.Name}} {{.Driver}} {{.Scope}}']);
    assert.deepEqual(ls.stdout.split('\n').filter(Boolean).sort(), ['bridge bridge local', 'host host local', 'none null local']);
    const ipam = await d.docker(['network', 'inspect', 'bridge', '-f', '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}']);
    assert.equal(ipam.stdout.trim(), `${d.bip.replace(/\.1\/24$/, '.0/24')} ${d.bip.replace(/\/24$/, '')}`);
  });

  it('containers on one user-defined network find each other by name; the default bridge has no names', async () => {
    assert.equal((await d.docker(['network', 'create', 'my-app-network'])).code, 0);
    await d.docker(['run', '-d', '--name', 'web_server', '--network', 'my-app-network', 'busybox', ...WEB]);
    await d.docker(['run', '-d', '--name', 'app_backend', '--network', 'my-app-network', 'busybox', 'sh', '-c', "while true; do echo 'Backend is alive!'; sleep 5; done"]);
    const ping = await onNet('my-app-network', 'ping -c 1 -W 2 app_backend >/dev/null && echo ok');
    assert.equal(ping.stdout, 'ok\n', ping.stderr);
    const page = await onNet('my-app-network', 'timeout 5 wget -q -O- http://web_server/; exit $?');
    assert.match(page.stdout, /^hello from [0-9a-f]{12}\n$/);
    const resolv = await onNet('my-app-network', 'cat /etc/resolv.conf');
    const gateway = (await d.docker(['network', 'inspect', 'my-app-network', '-f', '{{range .IPAM.Config}}{{.Gateway}}{{end}}'])).stdout.trim();
    assert.match(resolv.stdout, new RegExp(`^nameserver ${gateway.replace(/\./g, '\\.')}$`, 'm'));
    const shortId = (await d.docker(['inspect', '-f', '{{.Id}}', 'app_backend'])).stdout.slice(0, 12);
    assert.equal((await onNet('my-app-network', `ping -c 1 -W 2 ${shortId} >/dev/null && echo ok`)).stdout, 'ok\n');
    const onDefault = await d.docker(['run', '--rm', 'busybox', 'sh', '-c', 'ping -c 1 -W 1 app_backend >/dev/null 2>&1 || echo unknown']);
    assert.equal(onDefault.stdout, 'unknown\n');
  });

  it('a network alias several containers share resolves to all of them; outside names are forwarded', async () => {
    await d.docker(['run', '-d', '--name', 'api1', '--network', 'my-app-network', '--network-alias', 'api', 'busybox', 'sleep', '300']);
    await d.docker(['run', '-d', '--name', 'api2', '--network', 'my-app-network', '--network-alias', 'api', 'busybox', 'sleep', '300']);
    const ips = new Set(['api1', 'api2'].map(async (n) => (await d.docker(['inspect', '-f', '{{(index .NetworkSettings.Networks "my-app-network").IPAddress}}', n])).stdout.trim()));
    const expected = (await Promise.all(ips)).sort();
    const answer = await onNet('my-app-network', 'nslookup api | grep "^Address" | grep -v ":53" | awk \'{print $2}\'');
    assert.deepEqual(answer.stdout.split('\n').filter(Boolean).sort(), expected);
    const dnsNames = await d.docker(['inspect', '-f', '{{json (index .NetworkSettings.Networks "my-app-network").DNSNames}}', 'api1']);
    assert.deepEqual(JSON.parse(dnsNames.stdout)[0], 'api1');
    const outside = await onNet('my-app-network', 'nslookup deb.debian.org >/dev/null && echo resolved');
    assert.equal(outside.stdout, 'resolved\n', outside.stderr);
    await d.docker(['rm', '-f', 'api1', 'api2']);
  });

  it('network connect adds a running container to a network, disconnect takes it out', async () => {
    await d.docker(['run', '-d', '--name', 'nginx_internal', 'busybox', ...WEB]);
    assert.equal((await d.docker(['network', 'connect', 'my-app-network', 'nginx_internal'])).code, 0);
    const nets = await d.docker(['inspect', '-f', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}', 'nginx_internal']);
    assert.equal(nets.stdout.trim(), 'bridge my-app-network');
    const page = await onNet('my-app-network', 'timeout 5 wget -q -O- http://nginx_internal/; exit $?');
    assert.match(page.stdout, /^hello from/);
    const again = await d.docker(['network', 'connect', 'my-app-network', 'nginx_internal']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists in network my-app-network/);
    assert.equal((await d.docker(['network', 'disconnect', 'my-app-network', 'nginx_internal'])).code, 0);
    const gone = await onNet('my-app-network', 'ping -c 1 -W 1 nginx_internal >/dev/null 2>&1 || echo unknown');
    assert.equal(gone.stdout, 'unknown\n');
    assert.equal((await d.docker(['inspect', '-f', '{{len .NetworkSettings.Networks}}', 'nginx_internal'])).stdout, '1\n');
  });

  it('a stopped container connected to a network joins it when it starts', async () => {
    await d.docker(['create', '--name', 'later', 'busybox', 'sleep', '300']);
    await d.docker(['network', 'connect', '--alias', 'svc', 'my-app-network', 'later']);
    await d.docker(['start', 'later']);
    assert.equal((await onNet('my-app-network', 'ping -c 1 -W 2 svc >/dev/null && echo ok')).stdout, 'ok\n');
  });

  it('network rm refuses a network in use and removes it afterwards', async () => {
    const busy = await d.docker(['network', 'rm', 'my-app-network']);
    assert.equal(busy.code, 1);
    await d.docker(['rm', '-f', 'web_server', 'app_backend', 'nginx_internal', 'later']);
    assert.equal((await d.docker(['network', 'rm', 'my-app-network'])).stdout, 'my-app-network\n');
  });
});

describe('endpoint settings', () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start();
    const n = d.bip.split('.')[2];
    await d.docker(['network', 'create', '--subnet', `10.195.${n}.0/24`, 'fixed']);
    await d.docker(['network', 'create', '--internal', '--subnet', `10.194.${n}.0/24`, 'inside']);
  });
  after(async () => { await d?.cleanup(); });

  it('--ip and --mac-address give the container that address on a user-defined network', async () => {
    const n = d.bip.split('.')[2];
    const r = await d.docker(['run', '--rm', '--network', 'fixed', '--ip', `10.195.${n}.77`, '--mac-address', '02:42:ac:11:00:77', 'busybox', 'sh', '-c',
      'ip -4 -o addr show eth0 | awk \'{print $4}\'; cat /sys/class/net/eth0/address']);
    assert.equal(r.stdout, `10.195.${n}.77/24\n02:42:ac:11:00:77\n`, r.stderr);
  });

  it('refuses --ip on the default bridge, outside the subnet, and twice the same', async () => {
    const n = d.bip.split('.')[2];
    const bridge = await d.docker(['run', '--rm', '--ip', '172.17.0.50', 'busybox', 'true']);
    assert.match(bridge.stderr, /user specified IP address is supported on user defined networks only/);
    const outside = await d.docker(['run', '--rm', '--network', 'fixed', '--ip', '10.1.2.3', 'busybox', 'true']);
    assert.match(outside.stderr, /no configured subnet or ip-range contain the IP address 10\.1\.2\.3/);
    await d.docker(['run', '-d', '--name', 'holder', '--network', 'fixed', '--ip', `10.195.${n}.88`, 'busybox', 'sleep', '60']);
    const twice = await d.docker(['run', '--rm', '--network', 'fixed', '--ip', `10.195.${n}.88`, 'busybox', 'true']);
    assert.equal(twice.code, 125);
    assert.match(twice.stderr, /Address already in use/);
    for (const cli of ['berth', 'docker'] as const) {
      const alias = await d[cli](['run', '--rm', '--network-alias', 'x', 'busybox', 'true']);
      assert.equal(alias.code, 125);
      assert.match(alias.stderr, new RegExp(`^${cli}: network-scoped aliases are only supported for user-defined networks\n`));
    }
    const api = await d.request('POST', '/v1.47/containers/create', { Image: 'busybox', NetworkingConfig: { EndpointsConfig: { bridge: { Aliases: ['x'] } } } });
    assert.equal(api.status, 400);
    assert.match((api.json as { message: string }).message, /network-scoped alias is supported only for containers in user defined networks/);
    await d.docker(['rm', '-f', 'holder']);
  });

  it('network connect --ip gives a running container that address on the network', async () => {
    const n = d.bip.split('.')[2];
    await d.docker(['run', '-d', '--name', 'joiner', 'busybox', 'sleep', '60']);
    assert.equal((await d.docker(['network', 'connect', '--ip', `10.195.${n}.99`, 'fixed', 'joiner'])).code, 0);
    const ip = await d.docker(['inspect', '-f', '{{(index .NetworkSettings.Networks "fixed").IPAddress}}', 'joiner']);
    assert.equal(ip.stdout, `10.195.${n}.99\n`);
    await d.docker(['rm', '-f', 'joiner']);
  });

  it('an --internal network has no way out', async () => {
    const r = await d.docker(['run', '--rm', '--network', 'inside', 'busybox', 'sh', '-c', 'ip route; timeout 3 wget -q -O- http://deb.debian.org/ >/dev/null 2>&1 || echo cut-off']);
    assert.doesNotMatch(r.stdout, /default/);
    assert.match(r.stdout, /cut-off/);
  });
});

describe('address pools', () => {
  let d: TestDaemon;
  let n = '0';
  before(async () => {
    n = String((process.pid % 200) + 1);
    d = await TestDaemon.start({ daemonJson: { 'default-address-pools': [{ base: `10.193.${n}.0/24`, size: 28 }] } });
  });
  after(async () => { await d?.cleanup(); });

  it('networks without a subnet get the next free one from daemon.json\'s default-address-pools', async () => {
    await d.docker(['network', 'create', 'p1']);
    await d.docker(['network', 'create', 'p2']);
    const subnet = async (name: string): Promise<string> =>
      (await d.docker(['network', 'inspect', name, '-f', '{{range .IPAM.Config}}{{.Subnet}}{{end}}'])).stdout.trim();
    assert.equal(await subnet('p1'), `10.193.${n}.0/28`);
    assert.equal(await subnet('p2'), `10.193.${n}.16/28`);
  });
});
