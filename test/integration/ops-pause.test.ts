import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { eventually, parseTable, TestDaemon } from './harness.js';

describe('pause and unpause', () => {
  let d: TestDaemon;
  before(async () => { d = await TestDaemon.start(); });
  after(async () => { await d?.cleanup(); });

  const inspect = async (name: string, f: string): Promise<string> => (await d.berth(['inspect', '-f', f, name])).stdout.trim();
  /** The freezer's view of the container's cgroup (v1 freezer, else v2's cgroup.freeze). */
  const frozen = async (id: string): Promise<boolean> => {
    const v1 = await fs.readFile(`/sys/fs/cgroup/freezer/berth/${id}/freezer.state`, 'utf8').catch(() => undefined);
    if (v1 !== undefined) return v1.trim() === 'FROZEN';
    return (await fs.readFile(`/sys/fs/cgroup/berth/${id}/cgroup.freeze`, 'utf8')).trim() === '1';
  };

  it('freezes the processes and shows it in ps and inspect; a ticking counter stands still', async () => {
    await d.berth(['run', '-d', '--name', 'tick', 'busybox', 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo $i > /tmp/n; sleep 0.05; done']);
    const id = await inspect('tick', '{{.Id}}');
    for (const cli of ['berth', 'docker'] as const) {
      const p = await d[cli](['pause', 'tick']);
      assert.equal(p.code, 0, p.stderr);
      assert.equal(p.stdout, 'tick\n');
      assert.ok(await frozen(id));
      assert.equal(await inspect('tick', '{{.State.Status}} {{.State.Running}} {{.State.Paused}}'), 'paused true true');
      const [row] = parseTable((await d[cli](['ps', '--filter', 'name=tick'])).stdout);
      assert.match(row?.['STATUS'] ?? '', /^Up .* \(Paused\)$/);
      assert.equal((await d[cli](['ps', '-q', '--filter', 'status=paused'])).stdout.trim(), id.slice(0, 12));
      const again = await d[cli](['pause', 'tick']);
      assert.equal(again.code, 1);
      assert.equal(again.stderr, `Error response from daemon: Container ${id} is already paused\n`);
      const exec = await d[cli](['exec', 'tick', 'true']);
      assert.notEqual(exec.code, 0);
      assert.match(exec.stderr, /is paused, unpause the container before exec/);
      const u = await d[cli](['unpause', 'tick']);
      assert.equal(u.code, 0, u.stderr);
      assert.equal(u.stdout, 'tick\n');
      assert.ok(!(await frozen(id)));
      assert.equal(await inspect('tick', '{{.State.Status}} {{.State.Paused}}'), 'running false');
      const notPaused = await d[cli](['unpause', 'tick']);
      assert.equal(notPaused.code, 1);
      assert.equal(notPaused.stderr, `Error response from daemon: Container ${id} is not paused\n`);
    }
    // While paused, the counter does not move (read through the container's root from the host).
    const pid = await inspect('tick', '{{.State.Pid}}');
    const counter = (): Promise<string> => fs.readFile(`/proc/${pid}/root/tmp/n`, 'utf8');
    await d.berth(['pause', 'tick']);
    const n1 = await counter();
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(await counter(), n1);
    await d.berth(['unpause', 'tick']);
    await eventually(async () => (await counter()) !== n1, 5000, 'the counter to move on');
    await d.berth(['rm', '-f', 'tick']);
  });

  it('a stopped container cannot be paused; a paused one can be stopped, killed or force-removed, not removed', async () => {
    await d.berth(['create', '--name', 'idle', 'busybox', 'true']);
    const id = await inspect('idle', '{{.Id}}');
    for (const cli of ['berth', 'docker'] as const) {
      const r = await d[cli](['pause', 'idle']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `Error response from daemon: Container ${id} is not running\n`);
    }
    await d.berth(['rm', 'idle']);

    await d.berth(['run', '-d', '--name', 'ps1', 'busybox', 'sleep', '300']);
    await d.berth(['pause', 'ps1']);
    const rm = await d.docker(['rm', 'ps1']);
    assert.equal(rm.code, 1);
    assert.equal(rm.stderr, 'Error response from daemon: cannot remove container "/ps1": container is paused and must be unpaused first\n');
    const t = Date.now();
    assert.equal((await d.docker(['stop', '-t', '1', 'ps1'])).code, 0);
    assert.ok(Date.now() - t < 8000);
    assert.equal(await inspect('ps1', '{{.State.Status}} {{.State.Paused}} {{.State.ExitCode}}'), 'exited false 137');

    await d.berth(['start', 'ps1']);
    await d.berth(['pause', 'ps1']);
    assert.equal((await d.berth(['kill', 'ps1'])).code, 0);
    await eventually(async () => (await inspect('ps1', '{{.State.Status}}')) === 'exited', 5000, 'the kill');
    assert.equal(await inspect('ps1', '{{.State.ExitCode}}'), '137');

    await d.berth(['start', 'ps1']);
    await d.berth(['pause', 'ps1']);
    assert.equal((await d.berth(['rm', '-f', 'ps1'])).code, 0);
    assert.equal((await d.berth(['ps', '-aq', '--filter', 'name=ps1'])).stdout, '');
  });
});
