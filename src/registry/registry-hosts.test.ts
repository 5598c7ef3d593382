import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { endpointsFor, isInsecureRegistry, isLoopbackHost, loadTlsMaterial, registryHost } from './registry-hosts.js';

test('registryHost() sends docker.io to registry-1.docker.io', () => {
  assert.equal(registryHost('docker.io'), 'registry-1.docker.io');
  assert.equal(registryHost('localhost:5000'), 'localhost:5000');
});

test('isLoopbackHost() knows localhost, 127/8 and ::1, with ports', () => {
  assert.equal(isLoopbackHost('localhost:5000'), true);
  assert.equal(isLoopbackHost('127.0.0.1:5000'), true);
  assert.equal(isLoopbackHost('127.3.2.1'), true);
  assert.equal(isLoopbackHost('[::1]:5000'), true);
  assert.equal(isLoopbackHost('example.com'), false);
  assert.equal(isLoopbackHost('10.0.0.1:5000'), false);
});

test('isInsecureRegistry() matches names, names with ports and CIDRs', () => {
  assert.equal(isInsecureRegistry('reg.lan:5000', ['reg.lan:5000']), true);
  assert.equal(isInsecureRegistry('reg.lan:5000', ['reg.lan']), true);
  assert.equal(isInsecureRegistry('10.1.2.3:5000', ['10.0.0.0/8']), true);
  assert.equal(isInsecureRegistry('11.1.2.3:5000', ['10.0.0.0/8']), false);
  assert.equal(isInsecureRegistry('example.com', []), false);
});

test('endpointsFor() puts mirrors first for pulls only, and allows HTTP only for loopback or insecure hosts', async () => {
  const opts = { insecureRegistries: ['reg.lan:5000'], mirrors: ['https://mirror.example'], certsDir: '/nonexistent' };
  const pull = await endpointsFor('docker.io', opts, 'pull');
  assert.deepEqual(pull.map((e) => [e.baseUrl, e.mirror, e.httpFallback]), [['https://mirror.example', true, false], ['https://registry-1.docker.io', false, false]]);
  const push = await endpointsFor('reg.lan:5000', opts, 'push');
  assert.deepEqual(push.map((e) => [e.baseUrl, e.verifyTls, e.httpFallback]), [['https://reg.lan:5000', false, true]]);
  const local = await endpointsFor('127.0.0.1:5000', opts, 'push');
  assert.deepEqual(local.map((e) => [e.verifyTls, e.httpFallback]), [[true, true]]);
});

test('loadTlsMaterial() reads CAs and a client pair, and refuses a cert without its key', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-certs-'));
  try {
    await fs.mkdir(path.join(dir, 'reg:5000'));
    await fs.writeFile(path.join(dir, 'reg:5000', 'ca.crt'), 'CA');
    await fs.writeFile(path.join(dir, 'reg:5000', 'client.cert'), 'CERT');
    await fs.writeFile(path.join(dir, 'reg:5000', 'client.key'), 'KEY');
    assert.deepEqual(await loadTlsMaterial(dir, 'reg:5000'), { ca: ['CA'], cert: 'CERT', key: 'KEY' });
    assert.deepEqual(await loadTlsMaterial(dir, 'other'), {});
    await fs.rm(path.join(dir, 'reg:5000', 'client.key'));
    await assert.rejects(loadTlsMaterial(dir, 'reg:5000'), /missing key client.key/);
    await assert.rejects(loadTlsMaterial(dir, '../etc'), /invalid registry host/);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
