import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, TestDaemon } from './harness.js';

describe('container lifecycle', () => {
  let d: TestDaemon;
  before(async () => { d = await TestDaemon.start(); });
  after(async () => { await d?.cleanup(); });

  const state = async (name: string): Promise<string> => (await d.berth(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', name])).stdout.trim();

  it('create, start, stop, start again, restart and rm move through Docker\'s states', async () => {
    assert.equal((await d.berth(['create', '--name', 'life', 'busybox', 'sleep', '300'])).code, 0);
    assert.equal(await state('life'), 'created 0');
    assert.equal((await d.berth(['start', 'life'])).stdout, 'life\n');
    assert.equal(await state('life'), 'running 0');
    assert.equal((await d.berth(['stop', '-t', '1', 'life'])).stdout, 'life\n');
    assert.equal(await state('life'), 'exited 137');
    assert.equal((await d.berth(['start', 'life'])).code, 0);
    assert.equal(await state('life'), 'running 0');
    const pidBefore = (await d.berth(['inspect', '-f', '{{.State.Pid}}', 'life'])).stdout;
    assert.equal((await d.berth(['restart', '-t', '0', 'life'])).stdout, 'life\n');
    assert.notEqual((await d.berth(['inspect', '-f', '{{.State.Pid}}', 'life'])).stdout, pidBefore);
    assert.equal(await state('life'), 'running 0');
    assert.equal((await d.berth(['rm', '-f', 'life'])).stdout, 'life\n');
    const gone = await d.berth(['inspect', 'life']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /No such object: life/);
  });

  it('stop sends the stop signal first: a process that handles SIGTERM exits with its own code', async () => {
    await d.berth(['run', '-d', '--name', 'polite', 'busybox', 'sh', '-c', 'trap "exit 7" TERM; while true; do sleep 0.1; done']);
    await eventually(async () => (await state('polite')) === 'running 0');
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    await d.berth(['stop', 'polite']);
    assert.ok(Date.now() - t0 < 5000, 'stop should not wait for the timeout');
    assert.equal(await state('polite'), 'exited 7');
    await d.berth(['rm', 'polite']);
  });

  it('--stop-signal and kill -s deliver the named signal', async () => {
    await d.berth(['run', '-d', '--name', 'usr1', '--stop-signal', 'USR1', 'busybox', 'sh', '-c', 'trap "exit 10" USR1; while true; do sleep 0.1; done']);
    await new Promise((r) => setTimeout(r, 300));
    await d.berth(['stop', 'usr1']);
    assert.equal(await state('usr1'), 'exited 10');
    await d.berth(['start', 'usr1']);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await d.berth(['kill', '-s', 'SIGUSR1', 'usr1'])).code, 0);
    await eventually(async () => (await state('usr1')) === 'exited 10');
    await d.berth(['rm', 'usr1']);
  });

  it('stopping a stopped container is not an error (304), killing one is (409)', async () => {
    await d.berth(['create', '--name', 'idle', 'busybox', 'true']);
    for (const cli of ['berth', 'docker'] as const) {
      const stop = await d[cli](['stop', 'idle']);
      assert.equal(stop.code, 0);
      assert.equal(stop.stdout, 'idle\n');
      const kill = await d[cli](['kill', 'idle']);
      assert.equal(kill.code, 1);
      assert.match(kill.stderr, /^Error response from daemon: cannot kill container: idle: container [0-9a-f]{64} is not running\n$/);
    }
    const api = await d.request('POST', '/v1.47/containers/idle/stop');
    assert.equal(api.status, 304);
    await d.berth(['rm', 'idle']);
  });

  it('rm of a running container is refused with Docker\'s message; rm -f kills and removes it', async () => {
    await d.berth(['run', '-d', '--name', 'busy', 'busybox', 'sleep', '300']);
    for (const cli of ['berth', 'docker'] as const) {
      const r = await d[cli](['rm', 'busy']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'Error response from daemon: cannot remove container "/busy": container is running: stop the container before removing or force remove\n');
    }
    assert.equal((await d.berth(['rm', '-f', 'busy'])).code, 0);
    assert.equal((await d.berth(['ps', '-aq', '--filter', 'name=busy'])).stdout, '');
  });

  it('names are unique: a second container with the same name gets 409 and Docker\'s message', async () => {
    const first = (await d.berth(['create', '--name', 'dup', 'busybox'])).stdout.trim();
    const r = await d.docker(['create', '--name', 'dup', 'busybox']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^Error response from daemon: Conflict. The container name "/dup" is already in use by container "${first}". You have to remove \\(or rename\\) that container to be able to reuse that name.`));
    const api = await d.request('POST', '/v1.47/containers/create?name=dup', { Image: 'busybox' });
    assert.equal(api.status, 409);
    assert.equal((await d.berth(['rename', 'dup', 'dup2'])).code, 0);
    assert.equal((await d.berth(['inspect', '-f', '{{.Name}}', first])).stdout, '/dup2\n');
    assert.equal((await d.berth(['create', '--name', 'dup', 'busybox'])).code, 0);
    await d.berth(['rm', 'dup', 'dup2']);
  });

  it('wait prints exit codes and honours conditions through the API', async () => {
    const id = (await d.berth(['run', '-d', 'busybox', 'sh', '-c', 'sleep 0.3; exit 5'])).stdout.trim();
    const w = await d.docker(['wait', id]);
    assert.equal(w.stdout, '5\n');
    const notRunning = await d.request('POST', `/v1.47/containers/${id}/wait?condition=not-running`);
    assert.deepEqual(notRunning.json, { StatusCode: 5 });
    const bad = await d.request('POST', `/v1.47/containers/${id}/wait?condition=sometime`);
    assert.equal(bad.status, 400);
    await d.berth(['rm', id]);
  });

  it('logs supports --tail, --timestamps, --since and stream selection', async () => {
    const id = (await d.berth(['run', '-d', 'busybox', 'sh', '-c', 'for i in 1 2 3 4; do echo out$i; done; echo err1 >&2'])).stdout.trim();
    await d.berth(['wait', id]);
    const tail = await d.berth(['logs', '--tail', '2', id]);
    assert.equal(tail.stdout + tail.stderr, 'out4\nerr1\n');
    const ts = await d.docker(['logs', '-t', '--tail', '1', id]);
    assert.match(ts.stderr, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z err1\n$/);
    const future = await d.docker(['logs', '--since', String(Math.floor(Date.now() / 1000) + 60), id]);
    assert.equal(future.stdout + future.stderr, '');
    const onlyErr = await d.request('GET', `/v1.47/containers/${id}/logs?stderr=1`);
    assert.equal(onlyErr.headers['content-type'], 'application/vnd.docker.multiplexed-stream');
    const raw = Buffer.from(onlyErr.body, 'latin1');
    assert.equal(raw[0], 2);
    assert.equal(raw.readUInt32BE(4), 5);
    assert.equal(raw.subarray(8).toString(), 'err1\n');
    const none = await d.request('GET', `/v1.47/containers/${id}/logs`);
    assert.equal(none.status, 400);
    await d.berth(['rm', id]);
  });

  it('logs -f follows a running container until it exits', async () => {
    const id = (await d.berth(['run', '-d', 'busybox', 'sh', '-c', 'echo a; sleep 0.5; echo b'])).stdout.trim();
    const r = await d.berth(['logs', '-f', id]);
    assert.equal(r.stdout, 'a\nb\n');
    await d.berth(['rm', id]);
  });
});
