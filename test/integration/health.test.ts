import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BUSYBOX_TAR, eventually, TestDaemon } from './harness.js';

interface Health { Status: string; FailingStreak: number; Log: Array<{ ExitCode: number; Output: string; Start: string; End: string }> }

describe('health checks', () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start();
  });
  after(async () => {
    await d?.cleanup();
  });

  const health = async (name: string): Promise<Health> =>
    JSON.parse((await d.docker(['inspect', '-f', '{{json .State.Health}}', name])).stdout) as Health;
  const status = async (name: string): Promise<string> =>
    (await d.docker(['ps', '-a', '--filter', `name=^/${name}$`, '--format', '{{.Status}}'])).stdout.trim();

  it('starts as "health: starting", turns healthy when the check passes; ps shows it and filters on it', async () => {
    await d.docker(['run', '-d', '--name', 'web', '--health-cmd', 'test -f /tmp/ready && echo fine', '--health-interval', '300ms',
      'busybox', 'sh', '-c', 'sleep 1.5; touch /tmp/ready; sleep 1000']);
    assert.match(await status('web'), /^Up .* \(health: starting\)$/);
    await eventually(async () => (await health('web')).Status === 'healthy', 10_000, 'healthy');
    assert.match(await status('web'), /^Up .* \(healthy\)$/);
    const h = await health('web');
    assert.equal(h.FailingStreak, 0);
    const last = h.Log[h.Log.length - 1];
    assert.equal(last?.ExitCode, 0);
    assert.equal(last?.Output, 'fine\n');
    assert.ok(h.Log.length <= 5);
    for (const cli of ['docker', 'berth'] as const) {
      assert.equal((await d[cli](['ps', '--filter', 'health=healthy', '--format', '{{.Names}}'])).stdout, 'web\n');
    }
    const cfg = JSON.parse((await d.docker(['inspect', '-f', '{{json .Config.Healthcheck}}', 'web'])).stdout) as unknown;
    assert.deepEqual(cfg, { Test: ['CMD-SHELL', 'test -f /tmp/ready && echo fine'], Interval: 300_000_000 });
  });

  it('turns unhealthy after `retries` failures in a row, with the probes\' output and streak', async () => {
    await d.docker(['run', '-d', '--name', 'sick', '--health-cmd', 'echo broken; exit 1', '--health-interval', '200ms', '--health-retries', '2',
      'busybox', 'sleep', '1000']);
    await eventually(async () => (await health('sick')).Status === 'unhealthy', 10_000, 'unhealthy');
    const h = await health('sick');
    assert.ok(h.FailingStreak >= 2);
    assert.deepEqual(h.Log.map((l) => [l.ExitCode, l.Output]).slice(-1), [[1, 'broken\n']]);
    assert.match(await status('sick'), /\(unhealthy\)$/);
  });

  it('a probe that runs too long is killed and reported as Docker does; probes never pile up', async () => {
    await d.docker(['run', '-d', '--name', 'slow', '--health-cmd', 'sleep 5', '--health-interval', '100ms', '--health-timeout', '300ms',
      'busybox', 'sleep', '1000']);
    await eventually(async () => (await health('slow')).Log.length >= 2, 10_000, 'two probes');
    const h = await health('slow');
    assert.deepEqual(h.Log[0]?.ExitCode, -1);
    assert.equal(h.Log[0]?.Output, 'Health check exceeded timeout (300ms)');
    // One probe at a time: never more than one `sleep 5` besides the main process.
    for (let i = 0; i < 5; i++) {
      const top = (await d.docker(['top', 'slow'])).stdout;
      assert.ok(top.split('\n').filter((l) => l.endsWith('sleep 5')).length <= 1, top);
      await new Promise((r) => setTimeout(r, 150));
    }
  });

  it('uses the image\'s HEALTHCHECK; --no-healthcheck turns it off; bad settings get Docker\'s errors', async () => {
    const imp = await d.berth(['import', '-c', 'HEALTHCHECK --interval=200ms CMD ["true"]', '-c', 'CMD ["sleep", "1000"]', BUSYBOX_TAR, 'checked:1']);
    assert.equal(imp.code, 0, imp.stderr);
    await d.docker(['run', '-d', '--name', 'fromimage', 'checked:1']);
    await eventually(async () => (await health('fromimage')).Status === 'healthy', 10_000, 'healthy from the image\'s check');
    await d.docker(['run', '-d', '--name', 'nocheck', '--no-healthcheck', 'checked:1']);
    assert.equal((await d.docker(['inspect', '-f', '{{json .State.Health}}', 'nocheck'])).stdout.trim(), 'null');
    assert.match(await status('nocheck'), /^Up [^(]*$/);
    const bad = await d.request('POST', '/v1.47/containers/create', { Image: 'busybox', Healthcheck: { Test: ['CMD', 'true'], Interval: 1000 } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, { message: 'Interval in Healthcheck cannot be less than 1ms' });
    const conflict = await d.berth(['run', '--no-healthcheck', '--health-cmd', 'true', 'busybox']);
    assert.equal(conflict.code, 125);
    assert.match(conflict.stderr, /--no-healthcheck conflicts with --health-\* options/);
  });

  it('health-gated startup: the app starts once the database reports healthy, and reaches it by name', async () => {
    await d.docker(['network', 'create', 'gated']);
    // The "database" needs a moment before it serves; its check says when.
    await d.docker(['run', '-d', '--name', 'db', '--network', 'gated', '--health-cmd', 'wget -q -O- http://127.0.0.1/ready',
      '--health-interval', '200ms', '--health-retries', '50', 'busybox', 'sh', '-c',
      'mkdir -p /www; sleep 1.5; echo ready > /www/ready; httpd -f -p 80 -h /www']);
    assert.notEqual((await health('db')).Status, 'healthy');
    // What a start script does: wait for healthy, then start the app.
    const events = d.docker(['events', '--filter', 'container=db', '--filter', 'event=health_status: healthy', '--format', '{{.Status}}',
      '--until', String(Math.floor(Date.now() / 1000) + 6)], { timeoutMs: 20_000 });
    await eventually(async () => (await health('db')).Status === 'healthy', 15_000, 'db healthy');
    const app = await d.docker(['run', '--rm', '--network', 'gated', 'busybox', 'wget', '-q', '-O-', 'http://db/ready']);
    assert.equal(app.stdout, 'ready\n', app.stderr);
    assert.match((await events).stdout, /health_status: healthy/);
    await d.docker(['rm', '-f', 'db']);
    await d.docker(['network', 'rm', 'gated']);
  });
});
