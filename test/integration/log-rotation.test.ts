import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { eventually, TestDaemon } from './harness.js';

/** A chatty container: 3000 numbered lines in bursts, then quiet. */
const CHATTY = 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); echo "line $i padding-padding-padding-padding"; [ $((i % 200)) = 0 ] && sleep 0.2; done; echo done; sleep 1000';

function numbers(out: string): number[] {
  return out.split('\n').filter((l) => l.startsWith('line ')).map((l) => Number(l.split(' ')[1]));
}

describe('log drivers and rotation', () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start({ daemonJson: { 'log-opts': { 'max-size': '40k', 'max-file': '2' } } });
  });
  after(async () => {
    await d?.cleanup();
  });

  const logFiles = async (name: string): Promise<string[]> => {
    const id = (await d.docker(['inspect', '-f', '{{.Id}}', name])).stdout.trim();
    return (await fs.readdir(path.join(d.dataRoot, 'containers', id))).filter((f) => f.startsWith('container.log')).sort();
  };

  for (const compress of [false, true]) {
    it(`--log-opt max-size/max-file${compress ? '/compress' : ''} rotate a chatty log: bounded files, the newest lines whole and in order`, async () => {
      const name = `chatty${compress ? 'gz' : ''}`;
      await d.docker(['run', '-d', '--name', name, '--log-opt', 'max-size=50k', '--log-opt', 'max-file=3', '--log-opt', `compress=${compress}`, 'busybox', 'sh', '-c', CHATTY]);
      await eventually(async () => (await d.docker(['logs', '--tail', '1', name])).stdout === 'done\n', 20_000, 'the container wrote everything');
      await new Promise((r) => setTimeout(r, 1500));
      const files = await logFiles(name);
      assert.ok(files.length <= 3, files.join(' '));
      assert.ok(files.includes(compress ? 'container.log.1.gz' : 'container.log.1'), files.join(' '));
      const lines = numbers((await d.docker(['logs', name])).stdout);
      assert.ok(lines.length < 3000, 'old lines were rotated away');
      assert.equal(lines[lines.length - 1], 3000);
      assert.ok(lines.every((n, i) => i === 0 || n === (lines[i - 1] ?? 0) + 1), 'no line lost or repeated between files');
      assert.deepEqual(numbers((await d.docker(['logs', '--tail', '3', name])).stdout), [2999, 3000]);
      assert.equal((await d.docker(['inspect', '-f', '{{json .HostConfig.LogConfig}}', name])).stdout.trim(),
        `{"Type":"json-file","Config":{"compress":"${compress}","max-file":"3","max-size":"50k"}}`);
      await d.docker(['rm', '-f', name]);
    });
  }

  it('the daemon\'s log-opts apply to containers that set none', async () => {
    await d.docker(['run', '-d', '--name', 'inherit', 'busybox', 'sh', '-c', CHATTY]);
    assert.equal((await d.docker(['inspect', '-f', '{{json .HostConfig.LogConfig}}', 'inherit'])).stdout.trim(),
      '{"Type":"json-file","Config":{"max-file":"2","max-size":"40k"}}');
    await eventually(async () => (await d.docker(['logs', '--tail', '1', 'inherit'])).stdout === 'done\n', 20_000, 'done');
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok((await logFiles('inherit')).length <= 2);
    await d.docker(['rm', '-f', 'inherit']);
  });

  it('--log-driver none: attach still shows the output, logs refuses as Docker does; unknown drivers and options are refused', async () => {
    const run = await d.docker(['run', '--name', 'quiet', '--log-driver', 'none', 'busybox', 'echo', 'hello']);
    assert.equal(run.stdout, 'hello\n');
    const logs = await d.docker(['logs', 'quiet']);
    assert.equal(logs.code, 1);
    assert.match(logs.stderr, /configured logging driver does not support reading/);
    const bad = await d.docker(['run', '--rm', '--log-driver', 'syslog', 'busybox', 'true']);
    assert.equal(bad.code, 125);
    assert.match(bad.stderr, /no log driver named 'syslog' is registered/);
    const opt = await d.docker(['run', '--rm', '--log-opt', 'bogus=1', 'busybox', 'true']);
    assert.match(opt.stderr, /unknown log opt 'bogus' for json-file log driver/);
    await d.docker(['rm', 'quiet']);
  });
});
