import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { TestDaemon } from './harness.js';

describe('run', () => {
  let d: TestDaemon;
  before(async () => { d = await TestDaemon.start(); });
  after(async () => { await d?.cleanup(); });

  for (const cli of ['berth', 'docker'] as const) {
    const run = (args: string[]) => d[cli](['run', ...args]);

    it(`${cli} run prints the container's stdout and stderr on ours and exits with its code`, async () => {
      const r = await run(['--rm', 'busybox', 'sh', '-c', 'echo to-out; echo to-err >&2; exit 3']);
      assert.equal(r.code, 3);
      assert.equal(r.stdout, 'to-out\n');
      assert.equal(r.stderr, 'to-err\n');
    });

    it(`${cli} run --rm leaves no container behind`, async () => {
      const r = await run(['--rm', '--name', `gone-${cli}`, 'busybox', 'true']);
      assert.equal(r.code, 0);
      const ps = await d[cli](['ps', '-a', '--filter', `name=gone-${cli}`, '--format', '{{.Names}}']);
      assert.equal(ps.stdout, '');
    });

    it(`${cli} run exits 127 for a missing command and 126 for one that cannot run, with the runtime's message`, async () => {
      const missing = await run(['--rm', 'busybox', 'no-such-command']);
      assert.equal(missing.code, 127);
      assert.match(missing.stderr, /executable file not found in \$PATH/);
      assert.match(missing.stderr, new RegExp(`Run '${cli} run --help' for more information`));
      const dir = await run(['--rm', 'busybox', '/etc']);
      assert.equal(dir.code, 126);
      assert.match(dir.stderr, /permission denied/);
    });

    it(`${cli} run exits 125 for an image that is not there`, async () => {
      const r = await run(['--rm', 'no-such-image-here']);
      assert.equal(r.code, 125);
      assert.match(r.stderr, /Unable to find image 'no-such-image-here:latest' locally/);
    });

    it(`${cli} run passes env, workdir, user, hostname and entrypoint`, async () => {
      const r = await run(['--rm', '-e', 'GREETING=hi there', '-w', '/tmp/work', '-u', 'nobody', '-h', 'box1',
        '--entrypoint', 'sh', 'busybox', '-c', 'echo "$GREETING|$(pwd)|$(id -un)|$(hostname)|$HOSTNAME"']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'hi there|/tmp/work|nobody|box1|box1\n');
    });

    it(`${cli} run sets PATH and the default capabilities`, async () => {
      const r = await run(['--rm', 'busybox', 'sh', '-c', 'echo $PATH; grep CapEff /proc/self/status']);
      assert.equal(r.code, 0, r.stderr);
      const [pathLine, capLine] = r.stdout.split('\n');
      assert.equal(pathLine, '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
      assert.equal(capLine, 'CapEff:\t00000000a80425fb');
    });

    it(`${cli} run -d prints the ID and the output reaches logs`, async () => {
      const r = await run(['-d', 'busybox', 'sh', '-c', 'echo started; sleep 0.2; echo done']);
      assert.equal(r.code, 0, r.stderr);
      const id = r.stdout.trim();
      assert.match(id, /^[0-9a-f]{64}$/);
      const w = await d[cli](['wait', id]);
      assert.equal(w.stdout, '0\n');
      const logs = await d[cli](['logs', id]);
      assert.equal(logs.stdout, 'started\ndone\n');
      await d[cli](['rm', id]);
    });
  }

  it('--network none gives the container only a loopback interface; host shares the host\'s', async () => {
    const none = await d.berth(['run', '--rm', '--network', 'none', 'busybox', 'sh', '-c', 'ls /sys/class/net']);
    assert.equal(none.stdout.trim(), 'lo');
    const host = await d.berth(['run', '--rm', '--network', 'host', 'busybox', 'hostname']);
    assert.equal(host.stdout.trim(), os.hostname());
  });

  it('the container sees Docker\'s masked paths and a read-only /proc/sys', async () => {
    const r = await d.berth(['run', '--rm', 'busybox', 'sh', '-c', 'cat /proc/timer_list | wc -c; cat /proc/keys | wc -c; echo 1 > /proc/sys/kernel/domainname 2>/dev/null || echo ro']);
    assert.equal(r.stdout, '0\n0\nro\n');
  });

  it('run --read-only refuses writes to the root filesystem', async () => {
    const r = await d.berth(['run', '--rm', '--read-only', 'busybox', 'touch', '/x']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Read-only file system/);
  });
});
