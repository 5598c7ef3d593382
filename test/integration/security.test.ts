import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDaemon } from './harness.js';

describe('security options', () => {
  let d: TestDaemon;
  let tmp: string;
  before(async () => {
    d = await TestDaemon.start();
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-sec-'));
  });
  after(async () => {
    await d?.cleanup();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('containers run under Docker\'s default seccomp profile: no unshare, no mount; unconfined lifts it', async () => {
    const status = await d.docker(['run', '--rm', 'busybox', 'sh', '-c', 'grep "^Seccomp:" /proc/self/status; unshare -U true']);
    assert.match(status.stdout, /^Seccomp:\s+2$/m);
    assert.notEqual(status.code, 0);
    assert.match(status.stderr, /Operation not permitted/);
    const free = await d.docker(['run', '--rm', '--security-opt', 'seccomp=unconfined', 'busybox', 'grep', '^Seccomp:', '/proc/self/status']);
    assert.match(free.stdout, /^Seccomp:\s+0$/m);
  });

  for (const cli of ['docker', 'berth'] as const) {
    it(`${cli}: --security-opt seccomp=<file> applies the file's profile`, async () => {
      const profile = path.join(tmp, `deny-mkdir-${cli}.json`);
      await fs.writeFile(profile, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }] }));
      const r = await d[cli](['run', '--rm', '--security-opt', `seccomp=${profile}`, 'busybox', 'sh', '-c', 'mkdir /tmp/x && echo made']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /Operation not permitted/);
      const inspect = await d[cli](['run', '--rm', '--security-opt', 'seccomp=/nonexistent.json', 'busybox', 'true']);
      assert.equal(inspect.code, 125);
      assert.match(inspect.stderr, /opening seccomp profile \(\/nonexistent.json\) failed/);
    });
  }

  it('the interview guide\'s hardening flags: --cap-drop=ALL, --read-only with --tmpfs, --user, no-new-privileges', async () => {
    const noCaps = await d.docker(['run', '--rm', '--cap-drop', 'ALL', 'busybox', 'sh', '-c', 'grep CapEff /proc/self/status; chown nobody /tmp']);
    assert.match(noCaps.stdout, /CapEff:\s+0000000000000000/);
    assert.match(noCaps.stderr, /chown: \/tmp: Operation not permitted/);
    const ro = await d.docker(['run', '--rm', '--read-only', '--tmpfs', '/tmp', 'busybox', 'sh', '-c', 'touch /tmp/ok && echo tmp-writable; touch /nope']);
    assert.equal(ro.stdout, 'tmp-writable\n');
    assert.match(ro.stderr, /Read-only file system/);
    const user = await d.docker(['run', '--rm', '--user', 'nobody', '--security-opt', 'no-new-privileges', 'busybox', 'sh', '-c', 'id -u; grep NoNewPrivs /proc/self/status']);
    assert.match(user.stdout, /^65534\nNoNewPrivs:\s+1\n$/);
    const bad = await d.docker(['run', '--rm', '--security-opt', 'bogus=1', 'busybox', 'true']);
    assert.equal(bad.code, 125);
    assert.match(bad.stderr, /invalid --security-opt 2: "bogus=1"/);
  });

  it('--init runs tini as PID 1, which reaps and passes signals on', async () => {
    const r = await d.docker(['run', '--rm', '--init', 'busybox', 'sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "']);
    assert.equal(r.stdout, '/sbin/docker-init -- sh -c cat /proc/1/cmdline | tr "\\0" " " ');
    assert.equal((await d.docker(['inspect', '--format', '{{.HostConfig.Init}}', (await d.docker(['create', '--init', 'busybox'])).stdout.trim()])).stdout.trim(), 'true');
    // A shell as PID 1 ignores SIGTERM; under tini, docker stop ends it at once.
    await d.docker(['run', '-d', '--init', '--name', 'inited', 'busybox', 'sleep', '1000']);
    const t0 = Date.now();
    await d.docker(['stop', '-t', '5', 'inited']);
    assert.ok(Date.now() - t0 < 4000, 'SIGTERM reached sleep through tini');
    await d.docker(['rm', 'inited']);
  });

  it('--group-add, --device and --sysctl shape the container; a disallowed sysctl is refused', async () => {
    const r = await d.docker(['run', '--rm', '--group-add', 'audio', '--group-add', '4242', '--device', '/dev/null:/dev/mynull:rw',
      '--sysctl', 'net.ipv4.ip_forward=1', 'busybox', 'sh', '-c', 'id -G; ls -l /dev/mynull; echo x > /dev/mynull && echo wrote; cat /proc/sys/net/ipv4/ip_forward']);
    assert.equal(r.code, 0, r.stderr);
    const [groups, dev, wrote, fwd] = r.stdout.trim().split('\n');
    assert.ok(groups?.split(' ').includes('29') && groups.split(' ').includes('4242'), groups);
    assert.match(dev ?? '', /^crw-rw-rw-\s+1 root\s+root\s+1,\s+3 /);
    assert.equal(wrote, 'wrote');
    assert.equal(fwd, '1');
    const api = await d.request('POST', '/v1.47/containers/create', { Image: 'busybox', HostConfig: { Sysctls: { 'kernel.hostname': 'x' } } });
    assert.equal(api.status, 400);
    assert.deepEqual(api.json, { message: "sysctl 'kernel.hostname' is not allowed" });
    const missing = await d.docker(['run', '--rm', '--device', '/dev/does-not-exist', 'busybox', 'true']);
    // The docker CLI itself turns a start error that says "no such file or directory" into 127.
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /error gathering device information while adding custom device "\/dev\/does-not-exist"/);
  });
});
