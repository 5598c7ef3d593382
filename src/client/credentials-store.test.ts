import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CredentialsStore, DOCKER_HUB_SERVER, serverKey } from './credentials-store.js';

test('serverKey() names Docker Hub by its legacy URL and other registries by host', () => {
  assert.equal(serverKey('docker.io'), DOCKER_HUB_SERVER);
  assert.equal(serverKey(''), DOCKER_HUB_SERVER);
  assert.equal(serverKey('https://index.docker.io/v1/'), DOCKER_HUB_SERVER);
  assert.equal(serverKey('https://localhost:5000/v2/'), 'localhost:5000');
});

test('CredentialsStore keeps auths in a 0600 config.json, keeps other keys, and erases', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-creds-'));
  try {
    await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify({ psFormat: 'table {{.ID}}' }));
    const store = new CredentialsStore(dir);
    await store.store('localhost:5000', { username: 'alice', secret: 's3cret' });
    const st = await fs.stat(store.file);
    assert.equal(st.mode & 0o777, 0o600);
    const cfg = JSON.parse(await fs.readFile(store.file, 'utf8')) as Record<string, unknown>;
    assert.equal(cfg['psFormat'], 'table {{.ID}}');
    assert.deepEqual(cfg['auths'], { 'localhost:5000': { auth: Buffer.from('alice:s3cret').toString('base64') } });
    assert.deepEqual(await store.get('localhost:5000'), { username: 'alice', secret: 's3cret' });
    const header = JSON.parse(Buffer.from(await store.registryAuth('localhost:5000'), 'base64url').toString()) as Record<string, string>;
    assert.deepEqual(header, { username: 'alice', password: 's3cret', serveraddress: 'localhost:5000' });
    assert.equal(await store.erase('localhost:5000'), true);
    assert.equal(await store.erase('localhost:5000'), false);
    assert.equal(await store.get('localhost:5000'), undefined);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('CredentialsStore asks a credsStore helper (docker-credential-<name>)', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-creds-'));
  const oldPath = process.env['PATH'];
  try {
    const bin = path.join(dir, 'bin');
    await fs.mkdir(bin);
    // A helper that keeps one secret in a file next to it.
    await fs.writeFile(path.join(bin, 'docker-credential-test'), `#!/bin/sh
store="${dir}/helper-store"
case "$1" in
  store) cat > "$store" ;;
  get) read server; if [ -f "$store" ]; then sed 's/"ServerURL":"[^"]*",//' "$store"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  erase) rm -f "$store" ;;
esac
`, { mode: 0o755 });
    process.env['PATH'] = `${bin}:${oldPath ?? ''}`;
    await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify({ credsStore: 'test' }));
    const store = new CredentialsStore(dir);
    assert.equal(await store.get('reg:5000'), undefined);
    await store.store('reg:5000', { username: 'bob', secret: 'pw' });
    assert.deepEqual(await store.get('reg:5000'), { username: 'bob', secret: 'pw' });
    const cfg = JSON.parse(await fs.readFile(store.file, 'utf8')) as { auths: Record<string, unknown> };
    assert.deepEqual(cfg.auths, { 'reg:5000': {} }, 'the secret stays in the helper');
    await store.erase('reg:5000');
    assert.equal(await store.get('reg:5000'), undefined);
  } finally {
    process.env['PATH'] = oldPath;
    await fs.rm(dir, { recursive: true, force: true });
  }
});
