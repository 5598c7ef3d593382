import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { freePort, TestDaemon } from './harness.js';
import { RegistryServer } from './registry-server.js';

describe('registry: htpasswd basic auth, login and logout', () => {
  let reg: RegistryServer;
  let d: TestDaemon;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    reg = await RegistryServer.start({ htpasswd: { alice: 'wonderland-42' } });
    d = await TestDaemon.start({ busybox: true });
    env = { DOCKER_CONFIG: path.join(d.root, 'berth-config') };
  });
  after(async () => {
    await d?.cleanup();
    await reg?.stop();
  });

  it('push without credentials is refused', async () => {
    assert.equal((await d.berth(['tag', 'busybox', `${reg.host}/team/app:1`])).code, 0);
    const r = await d.berth(['push', `${reg.host}/team/app:1`], { env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error response from daemon: .*(unauthorized|denied)/);
  });

  it('login with a wrong password fails with Docker\'s message and stores nothing', async () => {
    const r = await d.berth(['login', '-u', 'alice', '--password-stdin', reg.host], { env, input: 'nope\n' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`Error response from daemon: login attempt to https?://${reg.host}/v2/ failed with status: 401 Unauthorized`));
    await assert.rejects(fs.access(path.join(env['DOCKER_CONFIG'] ?? '', 'config.json')));
  });

  it('login --password-stdin stores the credentials 0600; push and pull use them; logout removes them', async () => {
    const r = await d.berth(['login', '-u', 'alice', '--password-stdin', reg.host], { env, input: 'wonderland-42\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Login Succeeded\n');
    assert.match(r.stderr, /WARNING! Your credentials are stored unencrypted/);
    const file = path.join(env['DOCKER_CONFIG'] ?? '', 'config.json');
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    const cfg = JSON.parse(await fs.readFile(file, 'utf8')) as { auths: Record<string, { auth: string }> };
    assert.equal(Buffer.from(cfg.auths[reg.host]?.auth ?? '', 'base64').toString(), 'alice:wonderland-42');
    const push = await d.berth(['push', `${reg.host}/team/app:1`], { env });
    assert.equal(push.code, 0, push.stderr);
    assert.equal((await d.berth(['rmi', `${reg.host}/team/app:1`])).code, 0);
    const pull = await d.berth(['pull', `${reg.host}/team/app:1`], { env });
    assert.equal(pull.code, 0, pull.stderr);
    assert.ok(!d.log.includes('wonderland-42'), 'the password is never logged');
    const out = await d.berth(['logout', reg.host], { env });
    assert.equal(out.stdout, `Removing login credentials for ${reg.host}\n`);
    assert.equal((await d.berth(['logout', reg.host], { env })).stdout, `Not logged in to ${reg.host}\n`);
    const denied = await d.berth(['pull', `${reg.host}/team/app:1`], { env });
    assert.equal(denied.code, 1);
  });

  it('login flags are checked as docker checks them', async () => {
    const noUser = await d.berth(['login', '--password-stdin', reg.host], { env, input: 'x\n' });
    assert.equal(noUser.code, 1);
    assert.match(noUser.stderr, /Must provide --username with --password-stdin/);
    const noTty = await d.berth(['login', reg.host], { env });
    assert.equal(noTty.code, 1);
    assert.match(noTty.stderr, /Cannot perform an interactive login from a non TTY device/);
    const withP = await d.berth(['login', '-u', 'alice', '-p', 'wonderland-42', reg.host], { env });
    assert.equal(withP.code, 0, withP.stderr);
    assert.match(withP.stderr, /WARNING! Using --password via the CLI is insecure. Use --password-stdin./);
    await d.berth(['logout', reg.host], { env });
  });

  it('the official docker CLI logs in, pushes and pulls through berth', async () => {
    const login = await d.docker(['login', '-u', 'alice', '--password-stdin', reg.host], { input: 'wonderland-42\n' });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout, /Login Succeeded/);
    const bad = await d.docker(['login', '-u', 'alice', '--password-stdin', reg.host], { input: 'wrong\n' });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /401 Unauthorized/);
    const name = `${reg.host}/team/docker:1`;
    assert.equal((await d.docker(['tag', 'busybox', name])).code, 0);
    const push = await d.docker(['push', name]);
    assert.equal(push.code, 0, push.stderr);
    assert.equal((await d.docker(['rmi', name])).code, 0);
    const pull = await d.docker(['pull', name]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, /Digest: sha256:/);
  });
});

describe('registry: TLS verified against registry-certs-dir', () => {
  let reg: RegistryServer;
  let d: TestDaemon;
  let certsDir: string;
  before(async () => {
    reg = await RegistryServer.start({ tls: true });
    certsDir = path.join(reg.root, 'certs.d');
    await fs.mkdir(certsDir, { recursive: true });
    d = await TestDaemon.start({ busybox: true, daemonJson: { 'registry-certs-dir': certsDir } });
  });
  after(async () => {
    await d?.cleanup();
    await reg?.stop();
  });

  it('an unknown CA is refused, never downgraded to plain HTTP', async () => {
    assert.equal((await d.berth(['tag', 'busybox', `${reg.host}/tls/app:1`])).code, 0);
    const r = await d.berth(['push', `${reg.host}/tls/app:1`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /x509: certificate signed by unknown authority/);
  });

  it('with the CA in certs.d/<host>/ca.crt, push and pull work over HTTPS', async () => {
    await reg.installCa(certsDir);
    const push = await d.berth(['push', `${reg.host}/tls/app:1`]);
    assert.equal(push.code, 0, push.stderr);
    assert.equal((await d.berth(['rmi', `${reg.host}/tls/app:1`])).code, 0);
    const pull = await d.berth(['pull', `${reg.host}/tls/app:1`]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, /Status: Downloaded newer image/);
  });
});

describe('registry: token auth', () => {
  let reg: RegistryServer;
  let d: TestDaemon;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    reg = await RegistryServer.start({ token: { users: { bob: 'builder-7' } } });
    d = await TestDaemon.start({ busybox: true });
    env = { DOCKER_CONFIG: path.join(d.root, 'berth-config') };
  });
  after(async () => {
    await d?.cleanup();
    await reg?.stop();
  });

  it('anonymous tokens only pull: push is denied', async () => {
    assert.equal((await d.berth(['tag', 'busybox', `${reg.host}/tok/app:1`])).code, 0);
    const r = await d.berth(['push', `${reg.host}/tok/app:1`], { env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /denied|unauthorized/);
  });

  it('after login, the token asked for carries the push scope and the push works; anonymous pull works', async () => {
    const login = await d.berth(['login', '-u', 'bob', '--password-stdin', reg.host], { env, input: 'builder-7' });
    assert.equal(login.code, 0, login.stderr);
    const bad = await d.berth(['login', '-u', 'bob', '--password-stdin', reg.host], { env: { DOCKER_CONFIG: path.join(d.root, 'other') }, input: 'wrong' });
    assert.equal(bad.code, 1);
    const push = await d.berth(['push', `${reg.host}/tok/app:1`], { env });
    assert.equal(push.code, 0, push.stderr);
    assert.ok(reg.tokenRequests.some((t) => t.account === 'bob' && t.scopes.includes('repository:tok/app:pull,push')), JSON.stringify(reg.tokenRequests));
    assert.equal((await d.berth(['logout', reg.host], { env })).code, 0);
    assert.equal((await d.berth(['rmi', `${reg.host}/tok/app:1`])).code, 0);
    const pull = await d.berth(['pull', `${reg.host}/tok/app:1`], { env });
    assert.equal(pull.code, 0, pull.stderr);
    assert.ok(reg.tokenRequests.some((t) => t.account === undefined && t.scopes.includes('repository:tok/app:pull')));
  });
});

describe('registry: registry-mirrors', () => {
  let mirror: RegistryServer;
  let d: TestDaemon;
  let fresh: TestDaemon;
  before(async () => {
    mirror = await RegistryServer.start();
    d = await TestDaemon.start({ busybox: true });
    fresh = await TestDaemon.start({ busybox: false, daemonJson: { 'registry-mirrors': [`http://${mirror.host}`] } });
  });
  after(async () => {
    await d?.cleanup();
    await fresh?.cleanup();
    await mirror?.stop();
  });

  it('a pull from a registry that is down is served by the mirror, for any registry', async () => {
    assert.equal((await d.berth(['tag', 'busybox', `${mirror.host}/mirrored/app:1`])).code, 0);
    assert.equal((await d.berth(['push', `${mirror.host}/mirrored/app:1`])).code, 0);
    const down = `127.0.0.1:${await freePort()}`;
    const r = await fresh.berth(['pull', `${down}/mirrored/app:1`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Status: Downloaded newer image for ${down}/mirrored/app:1`));
    const run = await fresh.berth(['run', '--rm', `${down}/mirrored/app:1`, 'echo', 'mirrored']);
    assert.equal(run.stdout, 'mirrored\n', run.stderr);
  });

  it('info shows the mirrors and insecure registries as docker info does', async () => {
    const info = await fresh.docker(['info']);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, new RegExp(` Registry Mirrors:\n  http://${mirror.host}/\n`));
    assert.match(info.stdout, / Insecure Registries:\n  ::1\/128\n  127\.0\.0\.0\/8\n/);
  });
});
