import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { TestDaemon } from './harness.js';

describe('daemon crash and restart', () => {
  let d: TestDaemon;
  before(async () => { d = await TestDaemon.start(); });
  after(async () => { await d?.cleanup(); });

  it('containers keep running and logging through a SIGKILL of the daemon, and the restarted daemon reconciles', async () => {
    await d.berth(['run', '-d', '--name', 'ticker', 'busybox', 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick$i; sleep 0.1; done']);
    await d.berth(['run', '-d', '--name', 'short', 'busybox', 'sh', '-c', 'sleep 1; exit 3']);
    await d.berth(['run', '-d', '--rm', '--name', 'ephemeral', 'busybox', 'sleep', '1']);
    const pid = Number((await d.berth(['inspect', '-f', '{{.State.Pid}}', 'ticker'])).stdout.trim());
    assert.ok(pid > 0);

    await d.stopDaemon('SIGKILL');
    const killedAt = Date.now();
    await new Promise((r) => setTimeout(r, 1800));
    assert.ok(existsSync(`/proc/${pid}`), 'the container outlives its daemon');

    await d.launch();
    const ticker = await d.berth(['inspect', '-f', '{{.State.Status}} {{.State.Pid}}', 'ticker']);
    assert.equal(ticker.stdout.trim(), `running ${pid}`);
    const short = await d.docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{.State.FinishedAt}}', 'short']);
    const [status, code, finishedAt] = short.stdout.trim().split(' ');
    assert.equal(status, 'exited');
    assert.equal(code, '3');
    assert.ok(Date.parse(finishedAt ?? '') >= killedAt - 100, `finished at ${finishedAt ?? ''} is after the crash`);
    const gone = await d.berth(['ps', '-aq', '--filter', 'name=ephemeral']);
    assert.equal(gone.stdout, '', 'an --rm container that exited while the daemon was down is removed');

    // Output written while no daemon was running is in the log.
    const logs = (await d.berth(['logs', 'ticker'])).stdout.split('\n').filter(Boolean);
    assert.ok(logs.length >= 15, `expected ticks written during the outage, got ${logs.length}`);

    // The restarted daemon still manages the running container.
    assert.equal((await d.berth(['stop', '-t', '1', 'ticker'])).code, 0);
    const after = await d.berth(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'ticker']);
    assert.equal(after.stdout.trim(), 'exited 137');
    assert.ok(!existsSync(`/proc/${pid}`));
    await d.berth(['rm', 'ticker', 'short']);
  });

  it('a container that exits while the daemon is down wakes `wait` callers of the new daemon correctly', async () => {
    await d.berth(['run', '-d', '--name', 'later', 'busybox', 'sh', '-c', 'sleep 0.6; exit 4']);
    await d.stopDaemon('SIGKILL');
    await d.launch();
    const w = await d.berth(['wait', 'later']);
    assert.equal(w.stdout, '4\n');
    await d.berth(['rm', 'later']);
  });
});
