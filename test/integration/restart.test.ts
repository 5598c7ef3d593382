import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, TestDaemon } from './harness.js';

describe('restart policies', () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start();
  });
  after(async () => {
    await d?.cleanup();
  });

  const state = async (name: string): Promise<string> =>
    (await d.docker(['inspect', '-f', '{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}', name])).stdout.trim();

  it('on-failure:2 runs a failing container three times, then leaves it exited with its code', async () => {
    await d.docker(['run', '-d', '--name', 'flaky', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'echo attempt; exit 3']);
    await eventually(async () => (await state('flaky')) === 'exited 2 3', 10_000, 'two restarts, then exited');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await state('flaky'), 'exited 2 3', 'no third restart');
    assert.equal((await d.docker(['logs', 'flaky'])).stdout, 'attempt\nattempt\nattempt\n');
    const ps = await d.docker(['ps', '-a', '--filter', 'name=flaky', '--format', '{{.Status}}']);
    assert.match(ps.stdout, /^Exited \(3\) /);
  });

  it('on-failure leaves a clean exit alone; always brings it back; a stop by hand keeps it stopped', async () => {
    await d.docker(['run', '-d', '--name', 'clean', '--restart', 'on-failure', 'busybox', 'true']);
    await d.docker(['run', '-d', '--name', 'forever', '--restart', 'always', 'busybox', 'sh', '-c', 'sleep 0.3']);
    await eventually(async () => Number((await state('forever')).split(' ')[1]) >= 2, 10_000, 'always restarts');
    assert.equal(await state('clean'), 'exited 0 0');
    const stop = await d.docker(['stop', '-t', '1', 'forever']);
    assert.equal(stop.code, 0, stop.stderr);
    const stopped = await state('forever');
    assert.match(stopped, /^exited /);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await state('forever'), stopped, 'no restart after the stop');
    // A start by hand begins the count anew.
    await d.docker(['start', 'forever']);
    assert.match(await state('forever'), /^(running|restarting|exited) 0 /);
    await d.docker(['rm', '-f', 'forever', 'clean']);
  });

  it('docker kill brings an always container back but not an unless-stopped one', async () => {
    await d.docker(['run', '-d', '--name', 'alw', '--restart', 'always', 'busybox', 'sleep', '1000']);
    await d.docker(['run', '-d', '--name', 'uls', '--restart', 'unless-stopped', 'busybox', 'sleep', '1000']);
    await d.docker(['kill', 'alw', 'uls']);
    await eventually(async () => (await state('alw')).startsWith('running 1'), 10_000, 'always is back after kill');
    await new Promise((r) => setTimeout(r, 500));
    assert.match(await state('uls'), /^exited 0 137$/);
    await d.docker(['rm', '-f', 'alw', 'uls']);
  });

  it('after a daemon crash and restart: always and unless-stopped come back, unless-stopped stopped by hand does not', async () => {
    await d.docker(['run', '-d', '--name', 'a1', '--restart', 'always', 'busybox', 'sleep', '1000']);
    await d.docker(['run', '-d', '--name', 'u1', '--restart', 'unless-stopped', 'busybox', 'sleep', '1000']);
    await d.docker(['run', '-d', '--name', 'u2', '--restart', 'unless-stopped', 'busybox', 'sleep', '1000']);
    await d.docker(['run', '-d', '--name', 'a2', '--restart', 'always', 'busybox', 'sleep', '1000']);
    await d.docker(['run', '-d', '--name', 'n1', 'busybox', 'sleep', '1000']);
    await d.docker(['stop', '-t', '0', 'u2', 'a2']);
    const pids = Object.fromEntries(await Promise.all(['a1', 'u1', 'n1'].map(async (n) =>
      [n, Number((await d.docker(['inspect', '-f', '{{.State.Pid}}', n])).stdout.trim())] as const)));
    await d.stopDaemon('SIGKILL');
    // A "reboot" for the containers: their processes die while the daemon is away.
    for (const pid of Object.values(pids)) process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    await d.launch();
    await eventually(async () => (await state('a1')).startsWith('running') && (await state('u1')).startsWith('running'), 10_000, 'a1 and u1 are back');
    await eventually(async () => (await state('a2')).startsWith('running'), 10_000, 'always comes back even after a stop by hand');
    assert.match(await state('u2'), /^exited /);
    assert.match(await state('n1'), /^exited /);
    assert.equal((await d.docker(['exec', 'a1', 'echo', 'alive'])).stdout, 'alive\n');
  });
});
