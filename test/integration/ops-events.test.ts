import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { BERTH, DOCKER, TestDaemon } from './harness.js';

/** Events since the test started up to now, as `--format` prints them. */
describe('events', () => {
  let d: TestDaemon;
  let t0: number;
  before(async () => {
    d = await TestDaemon.start();
    t0 = Math.floor(Date.now() / 1000);
  });
  after(async () => { await d?.cleanup(); });

  const past = async (cli: 'berth' | 'docker', ...args: string[]): Promise<string> => {
    const until = String(Math.floor(Date.now() / 1000) + 1);
    await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
    const r = await d[cli](['events', '--since', String(t0), '--until', until, ...args]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };

  it('a container\'s life gives Docker\'s events, and both CLIs print them alike', async () => {
    await d.berth(['run', '-d', '--name', 'ev1', '--label', 'team=blue', 'busybox', 'sleep', '300']);
    await d.berth(['exec', 'ev1', 'true']);
    await d.berth(['pause', 'ev1']);
    await d.berth(['unpause', 'ev1']);
    await d.berth(['rename', 'ev1', 'ev2']);
    await d.berth(['kill', '-s', 'USR1', 'ev2']);
    await d.berth(['stop', '-t', '1', 'ev2']);
    await d.berth(['rm', 'ev2']);
    const fmt = ['--filter', 'type=container', '--format', '{{.Action}} {{.Actor.Attributes.name}}'];
    const out = await past('berth', ...fmt);
    assert.deepEqual(out.split('\n').filter(Boolean), [
      'create ev1', 'start ev1', 'exec_create: true ev1', 'exec_start: true ev1', 'exec_die ev1',
      'pause ev1', 'unpause ev1', 'rename ev2', 'kill ev2', 'kill ev2', 'kill ev2', 'die ev2', 'stop ev2', 'destroy ev2',
    ]);
    assert.equal(await past('docker', ...fmt), out);
    // The default line: time with nine decimals, type, action, ID, sorted attributes.
    const lines = (await past('berth', '--filter', 'event=die')).split('\n').filter(Boolean);
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}(Z|[+-]\d\d:\d\d) container die [0-9a-f]{64} \(execDuration=\d+, exitCode=137, image=busybox, name=ev2, team=blue\)$/);
    assert.equal(await past('docker', '--filter', 'event=die'), lines.join('\n') + '\n');
    // {{json .}} has the legacy fields and exact nanoseconds.
    const json = JSON.parse((await past('docker', '--filter', 'event=destroy', '--format', '{{json .}}')).trim()) as Record<string, unknown>;
    assert.equal(json['status'], 'destroy');
    assert.equal(json['from'], 'busybox');
    assert.equal(json['scope'], 'local');
    assert.equal(await past('berth', '--filter', 'event=destroy', '--format', 'json'), await past('docker', '--filter', 'event=destroy', '--format', '{{json .}}'));
  });

  it('filters by container, image, label and type; volumes and networks report theirs', async () => {
    await d.berth(['network', 'create', 'evnet']);
    await d.berth(['volume', 'create', 'evvol']);
    await d.berth(['run', '--name', 'vuser', '--network', 'evnet', '-v', 'evvol:/data', '--label', 'team=red', 'busybox', 'true']);
    await d.berth(['rm', 'vuser']);
    await d.berth(['volume', 'rm', 'evvol']);
    await d.berth(['network', 'rm', 'evnet']);
    await d.berth(['tag', 'busybox', 'evtag:1']);
    await d.berth(['rmi', 'evtag:1']);
    const lines = async (...args: string[]): Promise<string[]> => (await past('berth', ...args)).split('\n').filter(Boolean);
    assert.deepEqual(await lines('--filter', 'volume=evvol', '--format', '{{.Type}} {{.Action}}'),
      ['volume create', 'volume mount', 'volume unmount', 'volume destroy']);
    assert.deepEqual(await lines('--filter', 'network=evnet', '--format', '{{.Type}} {{.Action}}'),
      ['network create', 'network connect', 'network disconnect', 'network destroy']);
    assert.deepEqual(await lines('--filter', 'label=team=red', '--format', '{{.Action}}'), ['create', 'attach', 'start', 'die', 'destroy']);
    assert.deepEqual(await lines('--filter', 'container=vuser', '--filter', 'event=start', '--format', '{{.Actor.Attributes.name}}'), ['vuser']);
    // As in Docker, an untag event names the image by its ID, not by the tag that went.
    const images = (await lines('--filter', 'type=image', '--format', '{{.Action}} {{.Actor.Attributes.name}}')).slice(-2);
    assert.equal(images[0], 'tag evtag:1');
    assert.match(images[1] ?? '', /^untag sha256:[0-9a-f]{64}$/);
    assert.deepEqual(await lines('--filter', 'image=evtag', '--format', '{{.Action}}'), ['tag']);
    assert.deepEqual(await lines('--filter', 'type=volume', '--filter', 'event=mount', '--format', '{{.Actor.Attributes.destination}} {{index .Actor.Attributes "read/write"}}'), ['/data true']);
    assert.equal((await past('docker', '--filter', 'volume=evvol')), await past('berth', '--filter', 'volume=evvol'));
  });

  it('streams new events as they happen until the client goes or `until` comes', async () => {
    for (const cli of [BERTH, DOCKER]) {
      const env = { ...process.env, BERTH_HOST: d.host, DOCKER_HOST: d.host };
      const child = spawn(cli, ['events', '--filter', 'container=live', '--format', '{{.Action}}'], { env });
      let out = '';
      child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
      await new Promise((r) => setTimeout(r, 300));
      await d.berth(['run', '--rm', '--name', 'live', 'busybox', 'true']);
      const deadline = Date.now() + 10_000;
      while (!out.includes('destroy') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      child.kill();
      assert.deepEqual(out.split('\n').filter(Boolean), ['create', 'attach', 'start', 'die', 'destroy'], cli);
    }
    const t = Date.now();
    const r = await d.docker(['events', '--until', String(Math.floor(Date.now() / 1000) + 2)]);
    assert.equal(r.code, 0);
    assert.ok(Date.now() - t >= 900 && Date.now() - t < 5000, 'the stream ends when `until` comes');
  });

  it('cp, export and top report archive-path, extract-to-dir, export and top', async () => {
    await d.berth(['run', '-d', '--name', 'files', 'busybox', 'sleep', '300']);
    // Into files of the test's own (cp replaces what is at the destination, as docker cp does).
    await d.berth(['cp', 'files:/etc/hostname', path.join(d.root, 'hostname.copy')]);
    await d.berth(['cp', '/etc/hostname', 'files:/tmp/x']);
    await d.berth(['export', '-o', path.join(d.root, 'files.tar'), 'files']);
    await d.berth(['top', 'files']);
    const out = await past('berth', '--filter', 'container=files', '--filter', 'event=archive-path', '--filter', 'event=extract-to-dir',
      '--filter', 'event=export', '--filter', 'event=top', '--format', '{{.Action}}');
    assert.deepEqual(out.split('\n').filter(Boolean), ['archive-path', 'extract-to-dir', 'export', 'top']);
    await d.berth(['rm', '-f', 'files']);
  });

  it('refuses bad times with 400', async () => {
    const bad = await d.request('GET', '/v1.47/events?since=yesterday');
    assert.equal(bad.status, 400);
    const order = await d.request('GET', '/v1.47/events?since=2000&until=1000');
    assert.equal(order.status, 400);
    assert.equal((order.json as { message: string }).message, '`since` time (2000) cannot be after `until` time (1000)');
    const fmt = await d.berth(['events', '--format', '{{.Nope}}']);
    assert.equal(fmt.code, 64);
    assert.equal(fmt.stderr, 'Error parsing format: template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type *events.Message\n');
  });
});
