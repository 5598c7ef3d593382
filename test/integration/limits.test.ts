import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { TestDaemon } from './harness.js';

/** Reads a cgroup limit inside the container, on v2 or v1 layouts. */
const CGROUP_LIMITS = [
  'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes',
  'cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us',
  'cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max',
].join('; ');

describe('resource limits', () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start();
  });
  after(async () => {
    await d?.cleanup();
  });

  for (const cli of ['docker', 'berth'] as const) {
    it(`${cli} run -m/--cpus/--pids-limit/--ulimit/--oom-score-adj reach the container's cgroup and process`, async () => {
      const r = await d[cli](['run', '--rm', '-m', '32m', '--cpus', '0.5', '--pids-limit', '20', '--ulimit', 'nofile=512:1024', '--oom-score-adj', '100',
        'busybox', 'sh', '-c', `${CGROUP_LIMITS}; ulimit -n; ulimit -Hn; cat /proc/self/oom_score_adj`]);
      assert.equal(r.code, 0, r.stderr);
      const [mem, cpu, pids, soft, hard, oom] = r.stdout.trim().split('\n');
      assert.equal(mem, String(32 * 1024 * 1024));
      assert.match(cpu ?? '', /^50000( 100000)?$/);
      assert.equal(pids, '20');
      assert.deepEqual([soft, hard, oom], ['512', '1024', '100']);
    });
  }

  it('a container over its memory limit is OOM-killed: exit 137 and State.OOMKilled', async () => {
    const r = await d.docker(['run', '--name', 'hog', '-m', '16m', 'busybox', 'sh', '-c', 'x=a; while true; do x=$x$x; done']);
    assert.equal(r.code, 137);
    const state = (await d.docker(['inspect', '-f', '{{.State.OOMKilled}} {{.State.ExitCode}} {{.HostConfig.Memory}}', 'hog'])).stdout.trim();
    assert.equal(state, `true 137 ${16 * 1024 * 1024}`);
    // PID 1 cannot be SIGKILLed from inside: a child is, and the shell passes its status on.
    const plain = await d.docker(['run', '--name', 'calm', 'busybox', 'sh', '-c', 'sh -c "kill -9 \\$\\$"; exit $?']);
    assert.equal(plain.code, 137);
    assert.equal((await d.docker(['inspect', '-f', '{{.State.OOMKilled}}', 'calm'])).stdout.trim(), 'false', 'a plain SIGKILL is no OOM kill');
    await d.docker(['rm', 'hog', 'calm']);
  });

  it('refuses impossible limits with Docker\'s messages, and ulimits above the host\'s hard limit', async () => {
    const tooSmall = await d.docker(['run', '--rm', '-m', '1m', 'busybox', 'true']);
    assert.equal(tooSmall.code, 125);
    assert.match(tooSmall.stderr, /Minimum memory limit allowed is 6MB/);
    const cpus = os.availableParallelism();
    const tooMany = await d.docker(['run', '--rm', '--cpus', String(cpus + 1), 'busybox', 'true']);
    assert.match(tooMany.stderr, new RegExp(`Range of CPUs is from 0.01 to ${cpus}.00, as there are only ${cpus} CPUs available`));
    const hard = Number((await import('node:child_process')).execFileSync('sh', ['-c', 'ulimit -Hn']).toString().trim());
    const ulimit = await d.docker(['run', '--rm', '--ulimit', `nofile=1024:${hard + 1}`, 'busybox', 'true']);
    assert.equal(ulimit.code, 125);
    assert.match(ulimit.stderr, new RegExp(`hard limit ${hard + 1} is above the host's hard limit ${hard}`));
    const badFlag = await d.berth(['run', '--rm', '--ulimit', 'nofile', 'busybox', 'true']);
    assert.equal(badFlag.code, 125);
    assert.match(badFlag.stderr, /invalid ulimit argument: nofile/);
  });

  it('update changes a running container\'s limits and restart policy', async () => {
    await d.docker(['run', '-d', '--name', 'grow', '-m', '64m', 'busybox', 'sleep', '1000']);
    for (const cli of ['docker', 'berth'] as const) {
      const mem = cli === 'docker' ? '128m' : '96m';
      const r = await d[cli](['update', '-m', mem, '--memory-swap', '512m', '--pids-limit', '30', '--restart', 'on-failure:2', 'grow']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'grow\n');
      const inside = (await d.docker(['exec', 'grow', 'sh', '-c', CGROUP_LIMITS])).stdout.trim().split('\n');
      assert.equal(inside[0], String(Number.parseInt(mem, 10) * 1024 * 1024));
      assert.equal(inside[2], '30');
    }
    assert.equal((await d.docker(['inspect', '-f', '{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}', 'grow'])).stdout.trim(), 'on-failure:2');
    const none = await d.docker(['update', 'grow']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /you must provide one or more flags when using this command/);
    await d.docker(['rm', '-f', 'grow']);
  });
});
