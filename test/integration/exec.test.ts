import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eventually, exec, TestDaemon } from './harness.js';
import { cliCommand, Terminal } from './terminal.js';
import WebSocket from 'ws';

describe('exec and top', () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start();
    await d.docker(['run', '-d', '--name', 'box', 'busybox', 'sleep', '1000']);
  });
  after(async () => {
    await d?.cleanup();
  });

  for (const cli of ['berth', 'docker'] as const) {
    it(`${cli} exec: output in its streams, the command's exit code`, async () => {
      const r = await d[cli](['exec', 'box', 'sh', '-c', 'echo out; echo err >&2; exit 4']);
      assert.equal(r.stdout, 'out\n');
      assert.equal(r.stderr, 'err\n');
      assert.equal(r.code, 4);
    });

    it(`${cli} exec: 127 for a missing command, 126 for one that cannot run, with the runtime's message`, async () => {
      const missing = await d[cli](['exec', 'box', 'no-such-cmd']);
      assert.equal(missing.code, 127);
      assert.match(missing.stdout + missing.stderr, /OCI runtime exec failed: exec failed: unable to start container process: exec: "no-such-cmd": executable file not found in \$PATH: unknown/);
      const denied = await d[cli](['exec', 'box', '/etc/passwd']);
      assert.equal(denied.code, 126);
      assert.match(denied.stdout + denied.stderr, /permission denied/);
    });

    it(`${cli} exec -i: piped input and its end reach the process`, async () => {
      const r = await d[cli](['exec', '-i', 'box', 'sh', '-c', 'wc -l; echo done'], { input: 'a\nb\nc\n' });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.replace(/ +/g, ''), '3\ndone\n');
    });

    it(`${cli} exec -e/--env-file/-w/-u/--privileged shape the process`, async () => {
      const envFile = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'berth-env-')), 'env');
      await fs.writeFile(envFile, '# comment\nFROM_FILE=yes\n');
      const r = await d[cli](['exec', '-e', 'A=1', '--env-file', envFile, '-w', '/tmp', '-u', 'nobody', 'box',
        'sh', '-c', 'echo $A $FROM_FILE $(pwd) $(id -un)']);
      assert.equal(r.stdout, '1 yes /tmp nobody\n', r.stderr);
      const caps = async (args: string[]): Promise<string> =>
        (await d[cli](['exec', ...args, 'box', 'sh', '-c', 'grep CapEff /proc/self/status'])).stdout.trim().split(/\s+/)[1] ?? '';
      const plain = BigInt(`0x${await caps([])}`);
      const privileged = BigInt(`0x${await caps(['--privileged'])}`);
      assert.ok(privileged > plain, `--privileged gives more capabilities (${privileged.toString(16)} vs ${plain.toString(16)})`);
      await fs.rm(path.dirname(envFile), { recursive: true });
    });

    it(`${cli} exec -it: a shell in a real terminal, its size, resize, Ctrl-C and the exit code`, async () => {
      const t = await Terminal.open(`${cli}-exec`, cliCommand(d, cli, 'exec -it box sh'), { cols: 90, rows: 25 });
      try {
        await t.waitFor(/\/ # ?$/m);
        await t.type('echo $TERM; stty size', 'Enter');
        await t.waitFor(/^xterm\n25 90$/m);
        await t.resize(70, 20);
        await t.typeUntil('stty size', /^20 70$/m);
        await t.type('sleep 100', 'Enter');
        await new Promise((r) => setTimeout(r, 500));
        await t.type('C-c');
        await t.type('echo after-interrupt', 'Enter');
        await t.waitFor(/^after-interrupt$/m, 5000);
        await t.type('exit 6', 'Enter');
        await t.waitFor(/\[exit=6\]/);
      } finally {
        await t.close();
      }
    });
  }

  it('exec into a stopped container: 409 "is not running", and the CLIs say so', async () => {
    await d.docker(['create', '--name', 'idle', 'busybox', 'true']);
    const id = (await d.docker(['inspect', '-f', '{{.Id}}', 'idle'])).stdout.trim();
    const res = await d.request('POST', '/v1.47/containers/idle/exec', { Cmd: ['true'] });
    assert.equal(res.status, 409);
    assert.deepEqual(res.json, { message: `container ${id} is not running` });
    for (const cli of ['berth', 'docker'] as const) {
      const r = await d[cli](['exec', 'idle', 'true']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`Error response from daemon: container ${id} is not running`));
    }
    await d.docker(['rm', 'idle']);
  });

  it('exec API: inspect records the exit code; a finished exec cannot start again; unknown IDs are 404', async () => {
    const created = await d.request('POST', '/v1.47/containers/box/exec', { Cmd: ['sh', '-c', 'exit 9'], AttachStdout: true });
    assert.equal(created.status, 201);
    const id = (created.json as { Id: string }).Id;
    const before = (await d.request('GET', `/v1.47/exec/${id}/json`)).json as Record<string, unknown>;
    assert.equal(before['Running'], false);
    assert.equal(before['ExitCode'], null);
    assert.deepEqual(before['ProcessConfig'], { tty: false, entrypoint: 'sh', arguments: ['-c', 'exit 9'], privileged: false });
    const started = await d.request('POST', `/v1.47/exec/${id}/start`, { Detach: false });
    assert.equal(started.status, 200);
    const after = (await d.request('GET', `/v1.47/exec/${id}/json`)).json as Record<string, unknown>;
    assert.equal(after['ExitCode'], 9);
    assert.equal(after['Running'], false);
    const again = await d.request('POST', `/v1.47/exec/${id}/start`, { Detach: false });
    assert.equal(again.status, 409);
    assert.match((again.json as { message: string }).message, /has already run/);
    const missing = await d.request('GET', '/v1.47/exec/0123456789abcdef/json');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { message: 'No such exec instance: 0123456789abcdef' });
    const noCmd = await d.request('POST', '/v1.47/containers/box/exec', { Cmd: [] });
    assert.equal(noCmd.status, 400);
    assert.deepEqual(noCmd.json, { message: 'No exec command specified' });
  });

  it('exec start hijacks the connection as the docker CLI expects: 101, then multiplexed frames', async () => {
    const created = await d.request('POST', '/v1.47/containers/box/exec', { Cmd: ['sh', '-c', 'echo one; echo two >&2'], AttachStdout: true, AttachStderr: true });
    const id = (created.json as { Id: string }).Id;
    const body = JSON.stringify({ Detach: false, Tty: false });
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const sock = net.connect(d.socket);
      const chunks: Buffer[] = [];
      sock.on('data', (c) => chunks.push(c));
      sock.on('end', () => resolve(Buffer.concat(chunks)));
      sock.on('error', reject);
      sock.write(`POST /v1.47/exec/${id}/start HTTP/1.1\r\nHost: api\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
    const headEnd = raw.indexOf('\r\n\r\n');
    const head = raw.subarray(0, headEnd).toString();
    assert.match(head, /^HTTP\/1\.1 101 UPGRADED\r\n/);
    assert.match(head, /Content-Type: application\/vnd\.docker\.multiplexed-stream/);
    assert.match(head, /Upgrade: tcp/);
    const frames: Array<[number, string]> = [];
    for (let p = headEnd + 4; p < raw.length;) {
      const size = raw.readUInt32BE(p + 4);
      frames.push([raw[p] ?? -1, raw.subarray(p + 8, p + 8 + size).toString()]);
      p += 8 + size;
    }
    assert.deepEqual(frames.filter(([s]) => s === 1).map(([, t]) => t).join(''), 'one\n');
    assert.deepEqual(frames.filter(([s]) => s === 2).map(([, t]) => t).join(''), 'two\n');
  });

  it('top lists the container\'s processes, with ps arguments; a stopped container is refused', async () => {
    await d.docker(['exec', '-d', 'box', 'sleep', '777']);
    await eventually(async () => (await d.docker(['top', 'box'])).stdout.includes('sleep 777'), 5000, 'the exec\'d sleep shows in top');
    for (const cli of ['berth', 'docker'] as const) {
      const r = await d[cli](['top', 'box']);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.match(lines[0] ?? '', /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
      assert.equal(lines.length, 3, r.stdout);
      assert.ok(lines.some((l) => /sleep 1000$/.test(l)) && lines.some((l) => /sleep 777$/.test(l)));
      const custom = await d[cli](['top', 'box', '-o', 'pid,comm']);
      assert.match(custom.stdout.split('\n')[0] ?? '', /^PID\s+COMMAND$/);
      assert.equal(custom.stdout.trim().split('\n').length, 3);
    }
    const api = await d.request('GET', '/v1.47/containers/box/top?ps_args=aux');
    const top = api.json as { Titles: string[]; Processes: string[][] };
    assert.ok(top.Titles.includes('%CPU') && top.Titles.includes('COMMAND'));
    assert.equal(top.Processes.length, 2);
    await d.docker(['create', '--name', 'idle2', 'busybox', 'true']);
    const stopped = await d.docker(['top', 'idle2']);
    assert.equal(stopped.code, 1);
    assert.match(stopped.stderr, /is not running/);
    await d.docker(['rm', 'idle2']);
  });

  it('exec -d keeps running in the background; stopping the container ends it and its monitor', async () => {
    await d.docker(['run', '-d', '--name', 'bg', 'busybox', 'sleep', '1000']);
    const created = await d.request('POST', '/v1.47/containers/bg/exec', { Cmd: ['sleep', '600'] });
    const id = (created.json as { Id: string }).Id;
    assert.equal((await d.request('POST', `/v1.47/exec/${id}/start`, { Detach: true })).status, 200);
    const running = (await d.request('GET', `/v1.47/exec/${id}/json`)).json as { Running: boolean; Pid: number };
    assert.equal(running.Running, true);
    assert.ok(running.Pid > 0);
    assert.match((await d.docker(['inspect', '-f', '{{json .ExecIDs}}', 'bg'])).stdout, new RegExp(id));
    const r = await d.docker(['stop', '-t', '1', 'bg']);
    assert.equal(r.code, 0, r.stderr);
    await eventually(async () => ((await d.request('GET', `/v1.47/exec/${id}/json`)).json as { Running: boolean }).Running === false, 5000, 'the exec ended');
    await assert.rejects(fs.access(`/proc/${running.Pid}`), 'the exec\'d process is gone');
    const monitors = await exec('pgrep', ['-f', `conmon.*${id.slice(0, 32)}`]);
    assert.equal(monitors.stdout, '', 'no exec monitor is left');
    assert.equal((await d.docker(['inspect', '-f', '{{json .ExecIDs}}', 'bg'])).stdout.trim(), 'null');
    await d.docker(['rm', 'bg']);
  });

  it('several clients attached at once all see the output', async () => {
    await d.docker(['run', '-d', '--name', 'talker', 'busybox', 'sh', '-c', 'sleep 1; for i in 1 2 3; do echo line-$i; done; sleep 1']);
    const [a, b] = await Promise.all([d.docker(['attach', 'talker']), d.berth(['attach', 'talker'])]);
    assert.equal(a.stdout, 'line-1\nline-2\nline-3\n');
    assert.equal(b.stdout, 'line-1\nline-2\nline-3\n');
    assert.equal((await d.docker(['logs', 'talker'])).stdout, 'line-1\nline-2\nline-3\n', 'the log was written while attached');
    await d.docker(['rm', 'talker']);
  });

  it('attach over a websocket: input goes to stdin, output comes back as binary messages, closing detaches', async () => {
    await d.docker(['run', '-d', '-i', '--name', 'wsbox', 'busybox', 'sh', '-c', 'while read l; do echo got-$l; echo err-$l >&2; done']);
    const ws = new WebSocket(`ws+unix://${d.socket}:/v1.47/containers/wsbox/attach/ws?stream=1&stdin=1&stdout=1&stderr=1`);
    const received: string[] = [];
    let allBinary = true;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      allBinary &&= isBinary;
      received.push(data.toString());
    });
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    ws.send('hello\n');
    await eventually(async () => received.join('').includes('err-hello'), 5000, 'the answer over the websocket');
    assert.equal(received.join(''), 'got-hello\nerr-hello\n');
    assert.ok(allBinary);
    ws.close();
    await new Promise((resolve) => ws.once('close', resolve));
    assert.equal((await d.docker(['inspect', '-f', '{{.State.Running}}', 'wsbox'])).stdout, 'true\n');
    await d.docker(['rm', '-f', 'wsbox']);
  });
});
