import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BERTH, exec, TestDaemon } from './harness.js';
import { cliCommand, Terminal } from './terminal.js';

describe('interactive containers', () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start();
    assert.equal((await exec('tmux', ['-V'])).code, 0, 'tmux is installed by scripts/setup.sh for the tests');
  });
  after(async () => {
    await d?.cleanup();
  });

  for (const cli of ['berth', 'docker'] as const) {
    it(`${cli} run -it gives a shell: typed commands answer, stty size follows the terminal, Ctrl-C reaches the process`, async () => {
      const t = await Terminal.open(`${cli}-it`, cliCommand(d, cli, 'run -it --rm busybox sh'));
      try {
        await t.waitFor(/\/ # ?$/m);
        await t.type('echo answer-$((6*7))', 'Enter');
        await t.waitFor(/^answer-42$/m);
        await t.type('stty size', 'Enter');
        await t.waitFor(/^30 100$/m);
        await t.resize(80, 24);
        await t.typeUntil('stty size', /^24 80$/m);
        await t.type('sleep 100', 'Enter');
        await new Promise((r) => setTimeout(r, 500));
        const t0 = Date.now();
        await t.type('C-c');
        await t.type('echo after-interrupt', 'Enter');
        await t.waitFor(/^after-interrupt$/m);
        assert.ok(Date.now() - t0 < 5000, 'Ctrl-C stopped the sleep');
        await t.type('exit 5', 'Enter');
        await t.waitFor(/\[exit=5\]/);
      } finally {
        await t.close();
      }
    });

    it(`${cli}: Ctrl-P Ctrl-Q detaches, the container keeps running, attach picks it up again`, async () => {
      const name = `${cli}-detach`;
      const t = await Terminal.open(`${cli}-d1`, cliCommand(d, cli, `run -it --name ${name} busybox sh`));
      try {
        await t.waitFor(/\/ # ?$/m);
        await t.type('export MARK=still-here', 'Enter');
        await t.type('C-p', 'C-q');
        await t.waitFor(/\[exit=0\]/);
      } finally {
        await t.close();
      }
      assert.equal((await d.docker(['inspect', '-f', '{{.State.Running}}', name])).stdout, 'true\n');
      const a = await Terminal.open(`${cli}-d2`, cliCommand(d, cli, `attach ${name}`));
      try {
        await new Promise((r) => setTimeout(r, 500));
        await a.type('echo $MARK', 'Enter');
        await a.waitFor(/^still-here$/m);
        await a.type('exit 3', 'Enter');
        await a.waitFor(/\[exit=3\]/);
      } finally {
        await a.close();
      }
      await d.docker(['rm', name]);
    });

    it(`${cli} run -i passes piped input and its end to the container`, async () => {
      const run = cli === 'berth' ? d.berth.bind(d) : d.docker.bind(d);
      const r = await run(['run', '--rm', '-i', 'busybox', 'sh', '-c', 'wc -l; echo done'], { input: 'a\nb\nc\n' });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.replace(/ +/g, ''), '3\ndone\n');
    });

    it(`${cli} start -ai attaches stdin and output of a stopped container`, async () => {
      const name = `${cli}-sai`;
      await d.docker(['create', '-i', '--name', name, 'busybox', 'sh', '-c', 'read x; echo got-$x']);
      const run = cli === 'berth' ? d.berth.bind(d) : d.docker.bind(d);
      const r = await run(['start', '-ai', name], { input: 'value\n' });
      assert.equal(r.stdout, 'got-value\n');
      await d.docker(['rm', name]);
    });
  }

  it('attach refuses a stopped container with Docker\'s message', async () => {
    await d.docker(['create', '--name', 'idle', 'busybox', 'true']);
    for (const cli of ['berth', 'docker'] as const) {
      const r = await d[cli](['attach', 'idle']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /You cannot attach to a stopped container, start it first/);
    }
    await d.docker(['rm', 'idle']);
  });

  it('large outputs and interleaved stdout/stderr arrive whole and in their streams', async () => {
    for (const cli of ['berth', 'docker'] as const) {
      const big = await d[cli](['run', '--rm', 'busybox', 'sh', '-c', 'head -c 3000000 /dev/zero | tr "\\0" "x"; echo']);
      assert.equal(big.stdout.length, 3_000_001);
      const mixed = await d[cli](['run', '--rm', 'busybox', 'sh', '-c', 'for i in $(seq 1 200); do echo out$i; echo err$i >&2; done']);
      assert.equal(mixed.stdout.split('\n').filter(Boolean).length, 200);
      assert.equal(mixed.stderr.split('\n').filter(Boolean).length, 200);
      assert.ok(mixed.stdout.split('\n').filter(Boolean).every((l, i) => l === `out${i + 1}`), 'stdout in order');
    }
  });

  it('SIGINT to a non-TTY `run` is passed to the container (--sig-proxy)', async () => {
    const child = await import('node:child_process');
    const p = child.spawn(BERTH, ['run', '--rm', 'busybox', 'sh', '-c', 'trap "echo got-int; exit 7" INT; while true; do sleep 0.1; done'], {
      env: { ...process.env, BERTH_HOST: d.host }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    await new Promise((r) => setTimeout(r, 1500));
    p.kill('SIGINT');
    const code = await new Promise<number | null>((r) => p.on('exit', r));
    assert.equal(out, 'got-int\n');
    assert.equal(code, 7);
  });
});
