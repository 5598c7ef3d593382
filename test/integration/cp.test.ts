import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exec, TestDaemon } from './harness.js';

describe('cp and export', () => {
  let d: TestDaemon;
  let local: string;
  const secret = path.join(os.tmpdir(), `berth-host-secret-${process.pid}`);
  before(async () => {
    d = await TestDaemon.start();
    local = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-cp-'));
    await fs.writeFile(path.join(local, 'note.txt'), 'from the host\n');
    await fs.mkdir(path.join(local, 'tree', 'sub'), { recursive: true });
    await fs.writeFile(path.join(local, 'tree', 'sub', 'leaf'), 'leaf\n');
    await fs.writeFile(secret, 'host secret\n');
    await d.docker(['run', '-d', '--name', 'box', '-v', 'cpvol:/vol', 'busybox', 'sleep', '300']);
    await d.docker(['create', '--name', 'stopped', 'busybox', 'true']);
  });
  after(async () => {
    await d?.cleanup();
    await fs.rm(local, { recursive: true, force: true });
    await fs.rm(secret, { force: true });
  });

  for (const cli of ['berth', 'docker'] as const) {
    it(`${cli} cp copies files and trees both ways, for running and stopped containers`, async () => {
      for (const c of ['box', 'stopped']) {
        assert.equal((await d[cli](['cp', path.join(local, 'note.txt'), `${c}:/tmp/${cli}-note.txt`])).code, 0);
        assert.equal((await d[cli](['cp', path.join(local, 'tree'), `${c}:/tmp/`])).code, 0);
        const back = path.join(local, `${cli}-${c}-back`);
        assert.equal((await d[cli](['cp', `${c}:/tmp/${cli}-note.txt`, back])).code, 0);
        assert.equal(await fs.readFile(back, 'utf8'), 'from the host\n');
        const treeBack = path.join(local, `${cli}-${c}-tree`);
        assert.equal((await d[cli](['cp', `${c}:/tmp/tree`, treeBack])).code, 0);
        assert.equal(await fs.readFile(path.join(treeBack, 'sub', 'leaf'), 'utf8'), 'leaf\n');
      }
      const missing = await d[cli](['cp', 'box:/no/such/file', path.join(local, 'x')]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /Could not find the file \/no\/such\/file in container box/);
    });
  }

  it('cp into a path under a volume writes into the volume', async () => {
    await d.docker(['cp', path.join(local, 'note.txt'), 'box:/vol/in-volume.txt']);
    const r = await d.docker(['run', '--rm', '-v', 'cpvol:/v', 'busybox', 'cat', '/v/in-volume.txt']);
    assert.equal(r.stdout, 'from the host\n');
  });

  it('cp -a keeps owners; without it files belong to root', async () => {
    await fs.writeFile(path.join(local, 'owned'), 'x');
    await fs.chown(path.join(local, 'owned'), 1234, 5678);
    await d.docker(['cp', path.join(local, 'owned'), 'box:/tmp/plain']);
    await d.docker(['cp', '-a', path.join(local, 'owned'), 'box:/tmp/kept']);
    const tar = await exec('sh', ['-c', `DOCKER_HOST=${d.host} docker cp box:/tmp/plain - | tar tv --numeric-owner; DOCKER_HOST=${d.host} docker cp box:/tmp/kept - | tar tv --numeric-owner`]);
    const [plain = '', kept = ''] = tar.stdout.split('\n');
    assert.match(plain, / 0\/0 /);
    assert.match(kept, / 1234\/5678 /);
  });

  it('symlinks in the container cannot lead cp outside it, in either direction', async () => {
    // Links put into the running container: to its root, climbing out, and to a host path.
    const mk = await exec('sh', ['-c', `cd ${local} && ln -sf / rootlink && ln -sf ../../../../../../ uplink && ln -sf ${secret} hostlink && tar cf links.tar rootlink uplink hostlink`]);
    assert.equal(mk.code, 0, mk.stderr);
    const put = await exec('sh', ['-c', `DOCKER_HOST=${d.host} docker cp - box:/tmp < ${path.join(local, 'links.tar')}`]);
    assert.equal(put.code, 0, put.stderr);
    // Writing through them lands inside the container.
    const victim = path.join(os.tmpdir(), `berth-cp-victim-${process.pid}`);
    await d.docker(['cp', path.join(local, 'note.txt'), `box:/tmp/rootlink${victim}`]);
    await d.docker(['cp', path.join(local, 'note.txt'), `box:/tmp/uplink${victim}-2`]);
    assert.ok(!existsSync(victim) && !existsSync(`${victim}-2`), 'nothing was written on the host');
    const inside = await d.docker(['cp', `box:${victim}`, '-']);
    assert.equal(inside.code, 0, 'the file went into the container\'s own root');
    // Reading through a link to a host path reads the container's path (which does not exist).
    const read = await d.docker(['cp', '-L', 'box:/tmp/hostlink', path.join(local, 'stolen')]);
    assert.notEqual(read.code, 0);
    assert.ok(!existsSync(path.join(local, 'stolen')));
    await fs.rm(victim, { force: true });
  });

  it('export writes the container\'s whole filesystem as a tar', async () => {
    await d.docker(['cp', path.join(local, 'note.txt'), 'stopped:/exported-note']);
    for (const cli of ['berth', 'docker'] as const) {
      const out = path.join(local, `${cli}-export.tar`);
      assert.equal((await d[cli](['export', '-o', out, 'stopped'])).code, 0);
      const list = (await exec('tar', ['tf', out])).stdout.split('\n');
      assert.ok(list.includes('./exported-note'));
      assert.ok(list.includes('./bin/busybox'));
    }
  });
});
