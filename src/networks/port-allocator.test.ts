import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { PortAllocator } from './port-allocator.js';

test('PortAllocator.reserve() gives a port to one container only and frees it on release', async () => {
  const a = new PortAllocator();
  const [m] = await a.reserve('c1', [{ containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 0 }]);
  assert.ok(m !== undefined && m.hostPort > 0);
  await assert.rejects(a.reserve('c2', [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: m.hostPort }]),
    new RegExp(`Bind for 127.0.0.1:${m.hostPort} failed: port is already allocated`));
  a.release('c1');
  const [again] = await a.reserve('c2', [{ containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: m.hostPort }]);
  assert.equal(again?.hostPort, m.hostPort);
});

test('PortAllocator.reserve() refuses a port a host process holds, and skips it in ranges', async () => {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const a = new PortAllocator();
  await assert.rejects(a.reserve('c', [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: port }]), /address already in use/);
  const [m] = await a.reserve('c', [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: port, hostPortEnd: port + 5 }]);
  assert.notEqual(m?.hostPort, port);
  server.close();
});
