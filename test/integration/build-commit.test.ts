/** docker commit and docker diff: the same layer diff as a build step. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestDaemon } from './harness.js';

describe('commit and diff', () => {
  let d: TestDaemon;
  before(async () => {
    d = await TestDaemon.start({ busybox: true });
  });
  after(async () => {
    await d?.cleanup();
  });

  it('docker diff lists what a container added, changed and deleted', async () => {
    const r = await d.docker(['run', '--name', 'changed', 'busybox', 'sh', '-c', 'mkdir -p /srv/new && echo x > /srv/new/file && rm /bin/vi && echo y >> /etc/passwd']);
    assert.equal(r.code, 0, r.stderr);
    const diff = await d.docker(['diff', 'changed']);
    assert.equal(diff.code, 0, diff.stderr);
    assert.equal(diff.stdout, 'C /bin\nD /bin/vi\nC /etc\nC /etc/passwd\nA /srv\nA /srv/new\nA /srv/new/file\n');
    assert.equal((await d.berth(['diff', 'changed'])).stdout, diff.stdout);
  });

  it('docker commit makes an image of the container\'s changes with its config and --change', async () => {
    const r = await d.docker(['run', '--name', 'tocommit', '-e', 'MODE=prod', '-w', '/srv', 'busybox', 'sh', '-c', 'echo committed > /srv/state && rm /bin/vi']);
    assert.equal(r.code, 0, r.stderr);
    const c = await d.docker(['commit', '-a', 'Ann <ann@example.com>', '-m', 'saved state', '-c', 'CMD ["cat", "/srv/state"]', '-c', 'EXPOSE 80', 'tocommit', 'saved:v1']);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.equal((await d.docker(['run', '--rm', 'saved:v1'])).stdout, 'committed\n');
    assert.match((await d.docker(['run', '--rm', 'saved:v1', 'sh', '-c', 'ls /bin/vi 2>&1; echo $MODE; pwd'])).stdout, /No such file or directory\nprod\n\/srv\n/);
    const inspect = JSON.parse((await d.docker(['image', 'inspect', 'saved:v1'])).stdout) as Array<{ Author: string; Comment: string; Config: { ExposedPorts: unknown }; RootFS: { Layers: string[] } }>;
    assert.equal(inspect[0]?.Author, 'Ann <ann@example.com>');
    assert.equal(inspect[0]?.Comment, 'saved state');
    assert.deepEqual(inspect[0]?.Config.ExposedPorts, { '80/tcp': {} });
    assert.equal(inspect[0]?.RootFS.Layers.length, 2);
    const history = await d.docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}|{{.Comment}}', 'saved:v1']);
    assert.match(history.stdout, /^sh -c echo committed > \/srv\/state && rm \/bin\/vi\|saved state\n/);
  });
});
