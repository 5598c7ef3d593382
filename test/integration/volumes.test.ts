import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually, REPO, TestDaemon } from './harness.js';

describe('volumes, bind mounts and tmpfs', () => {
  let d: TestDaemon;
  let host: string;
  before(async () => {
    d = await TestDaemon.start();
    host = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-vol-host-'));
  });
  after(async () => {
    await d?.cleanup();
    await fs.rm(host, { recursive: true, force: true });
  });

  it('Day 3: a named volume keeps a container\'s writes across its removal', async () => {
    assert.equal((await d.docker(['volume', 'create', 'my-app-data'])).stdout, 'my-app-data\n');
    const inspect = JSON.parse((await d.docker(['volume', 'inspect', 'my-app-data'])).stdout) as Array<{ Driver: string; Mountpoint: string; Scope: string; Name: string }>;
    assert.equal(inspect[0]?.Driver, 'local');
    assert.equal(inspect[0]?.Scope, 'local');
    assert.ok(inspect[0]?.Mountpoint.startsWith(d.dataRoot), 'the volume lives in the data root');
    const writer = ['run', '-d', '--name', 'data-writer', '-v', 'my-app-data:/app/logs', 'busybox', 'sh', '-c',
      'while true; do echo "Current time: $(date)" >> /app/logs/access.log; sleep 0.2; done'];
    assert.equal((await d.docker(writer)).code, 0);
    await eventually(async () => (await d.docker(['run', '--rm', '-v', 'my-app-data:/data', 'busybox', 'cat', '/data/access.log'])).stdout.split('\n').length > 3, 10_000, 'log lines');
    await d.docker(['rm', '-f', 'data-writer']);
    const kept = (await d.docker(['run', '--rm', '-v', 'my-app-data:/data', 'busybox', 'cat', '/data/access.log'])).stdout;
    assert.match(kept, /^Current time: /);
    await d.docker(writer);
    await eventually(async () => (await d.docker(['run', '--rm', '-v', 'my-app-data:/data', 'busybox', 'cat', '/data/access.log'])).stdout.length > kept.length, 10_000, 'new lines after the old');
    await d.docker(['rm', '-f', 'data-writer']);
  });

  it('a bind mount shows host changes at once, -v creates a missing host directory, ro refuses writes', async () => {
    await fs.writeFile(path.join(host, 'app.js'), 'v1');
    await d.docker(['run', '-d', '--name', 'dev', '-v', `${host}:/usr/src/app`, 'busybox', 'sleep', '60']);
    await fs.writeFile(path.join(host, 'app.js'), 'v2');
    assert.equal((await d.docker(['run', '--rm', '-v', `${host}:/usr/src/app`, 'busybox', 'cat', '/usr/src/app/app.js'])).stdout, 'v2');
    await d.docker(['rm', '-f', 'dev']);
    const fresh = path.join(host, 'made', 'by', 'docker');
    assert.equal((await d.docker(['run', '--rm', '-v', `${fresh}:/x`, 'busybox', 'touch', '/x/file'])).code, 0);
    assert.ok(existsSync(path.join(fresh, 'file')));
    const ro = await d.docker(['run', '--rm', '-v', `${host}:/ro:ro`, 'busybox', 'touch', '/ro/nope']);
    assert.notEqual(ro.code, 0);
    assert.match(ro.stderr, /Read-only file system/);
    const missing = await d.docker(['run', '--rm', '--mount', `type=bind,source=${host}/absent,target=/x`, 'busybox', 'true']);
    assert.equal(missing.code, 125);
    assert.match(missing.stderr, /bind source path does not exist/);
  });

  it('copy-up: a new volume gets the image\'s content at its path; volume-nocopy and non-empty volumes do not', async () => {
    const etc = await d.docker(['run', '--rm', '-v', 'etc-copy:/etc', 'busybox', 'sh', '-c', 'head -1 /etc/passwd; stat -c "%U %a" /etc/passwd']);
    assert.equal(etc.stdout, 'root:x:0:0:root:/root:/bin/sh\nroot 644\n');
    const nocopy = await d.docker(['run', '--rm', '--mount', 'source=etc-empty,target=/etc,volume-nocopy', 'busybox', 'ls', '-A', '/etc']);
    assert.equal(nocopy.stdout, '');
    await d.docker(['run', '--rm', '-v', 'kept:/tmp', 'busybox', 'sh', '-c', 'rm -rf /tmp/*; echo mine > /tmp/only']);
    assert.equal((await d.docker(['run', '--rm', '-v', 'kept:/etc', 'busybox', 'ls', '/etc'])).stdout, 'only\n');
  });

  it('a tmpfs mount is memory-backed, sized as asked and gone after the container', async () => {
    const r = await d.docker(['run', '--rm', '--tmpfs', '/scratch:size=1m', 'busybox', 'sh', '-c',
      'mount | grep " /scratch "; dd if=/dev/zero of=/scratch/big bs=1k count=2048 2>/dev/null || echo full; wc -c < /scratch/big']);
    assert.match(r.stdout, /tmpfs on \/scratch type tmpfs \(rw,nosuid,nodev,noexec,relatime,size=1024k/);
    assert.match(r.stdout, /\nfull\n1048576\n$/);
    const m = await d.docker(['run', '--rm', '--mount', 'type=tmpfs,target=/t,tmpfs-size=2m,tmpfs-mode=1770', 'busybox', 'stat', '-c', '%a', '/t']);
    assert.equal(m.stdout, '1770\n');
  });

  it('anonymous volumes stay after rm, go with rm -v and --rm; --volumes-from shares volumes', async () => {
    const before = (await d.docker(['volume', 'ls', '-q'])).stdout.split('\n').filter(Boolean).length;
    await d.docker(['run', '-d', '--name', 'anon', '-v', '/anon', 'busybox', 'sh', '-c', 'echo shared > /anon/f; sleep 60']);
    await eventually(async () => (await d.docker(['run', '--rm', '--volumes-from', 'anon', 'busybox', 'cat', '/anon/f'])).stdout === 'shared\n', 5000, 'the shared file');
    const ro = await d.docker(['run', '--rm', '--volumes-from', 'anon:ro', 'busybox', 'touch', '/anon/g']);
    assert.notEqual(ro.code, 0);
    await d.docker(['rm', '-f', 'anon']);
    assert.equal((await d.docker(['volume', 'ls', '-q'])).stdout.split('\n').filter(Boolean).length, before + 1, 'rm keeps the anonymous volume');
    await d.docker(['run', '-d', '--name', 'anon2', '-v', '/anon', 'busybox', 'true']);
    await d.docker(['wait', 'anon2']);
    await d.docker(['rm', '-v', 'anon2']);
    assert.equal((await d.docker(['volume', 'ls', '-q'])).stdout.split('\n').filter(Boolean).length, before + 1, 'rm -v removes it');
    await d.docker(['run', '--rm', '-v', '/anon', 'busybox', 'true']);
    assert.equal((await d.docker(['volume', 'ls', '-q'])).stdout.split('\n').filter(Boolean).length, before + 1, '--rm removes it');
  });

  it('a volume in use cannot be removed; prune removes unused anonymous volumes, --all named ones too', async () => {
    await d.docker(['run', '-d', '--name', 'user', '-v', 'busy-vol:/d', 'busybox', 'sleep', '60']);
    const rm = await d.docker(['volume', 'rm', 'busy-vol']);
    assert.equal(rm.code, 1);
    assert.match(rm.stderr, /remove busy-vol: volume is in use - \[[0-9a-f]{64}\]/);
    const api = await d.request('DELETE', '/v1.47/volumes/busy-vol?force=1');
    assert.equal(api.status, 409);
    await d.docker(['rm', '-f', 'user']);
    await d.docker(['volume', 'create', 'named-unused']);
    await d.docker(['volume', 'prune', '-f']);
    const names = (await d.docker(['volume', 'ls', '-q'])).stdout.split('\n').filter(Boolean);
    assert.ok(names.includes('named-unused') && names.includes('busy-vol'), 'named volumes survive a plain prune');
    assert.ok(!names.some((n) => /^[0-9a-f]{64}$/.test(n)), 'anonymous unused volumes are pruned');
    await d.docker(['volume', 'prune', '-a', '-f']);
    assert.ok(!(await d.docker(['volume', 'ls', '-q'])).stdout.includes('named-unused'));
  });

  it('removing a volume made with -o o=bind never deletes the host directory\'s files', async () => {
    const src = path.join(host, 'bind-src');
    await fs.mkdir(src);
    await fs.writeFile(path.join(src, 'precious'), 'keep me');
    await d.docker(['volume', 'create', '-o', 'type=none', '-o', 'o=bind', '-o', `device=${src}`, 'bound']);
    assert.equal((await d.docker(['run', '--rm', '-v', 'bound:/b', 'busybox', 'cat', '/b/precious'])).stdout, 'keep me');
    assert.equal((await d.docker(['volume', 'rm', 'bound'])).code, 0);
    assert.equal(await fs.readFile(path.join(src, 'precious'), 'utf8'), 'keep me');
  });

  it('bad volume requests get Docker\'s errors', async () => {
    const bad = await d.request('POST', '/v1.47/volumes/create', { Name: '../escape' });
    assert.equal(bad.status, 400);
    assert.match((bad.json as { message: string }).message, /includes invalid characters for a local volume name/);
    const missing = await d.request('GET', '/v1.47/volumes/nope');
    assert.equal(missing.status, 404);
    assert.match((missing.json as { message: string }).message, /get nope: no such volume/);
    const dup = await d.docker(['run', '--rm', '-v', 'a1:/d', '-v', 'a2:/d', 'busybox', 'true']);
    assert.match(dup.stderr, /Duplicate mount point: \/d/);
    const mode = await d.docker(['run', '--rm', '-v', 'a1:/d:bogus', 'busybox', 'true']);
    assert.match(mode.stderr, /invalid mode: bogus/);
    assert.ok(!existsSync(path.join(d.dataRoot, '..', 'escape')));
  });

  it('volume data survives a daemon crash while a container writes to it', async () => {
    await d.docker(['run', '-d', '--name', 'crashy', '-v', 'durable:/d', 'busybox', 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo $i > /d/next; mv /d/next /d/count; sleep 0.1; done']);
    await new Promise((r) => setTimeout(r, 500));
    await d.stopDaemon('SIGKILL');
    await d.launch();
    // The writer replaces the file by renaming, so a reader never catches it half-written.
    const read = await d.docker(['run', '--rm', '-v', 'durable:/d', 'busybox', 'cat', '/d/count']);
    assert.ok(Number(read.stdout) > 0, `count after the crash: ${JSON.stringify(read)}`);
    await d.docker(['rm', '-f', 'crashy']);
    assert.ok((await d.docker(['volume', 'ls', '-q'])).stdout.includes('durable'));
  });
});

describe('image VOLUMEs and a database in a volume', () => {
  let d: TestDaemon;
  before(async () => { d = await TestDaemon.start(); });
  after(async () => { await d?.cleanup(); });

  it('an image\'s VOLUME gets an anonymous volume with the image\'s content', async () => {
    const tar = path.join(d.root, 'busybox-with-volume.tar');
    await fs.copyFile(path.join(REPO, '.cache/base-images/busybox.tar'), tar);
    assert.equal((await d.docker(['import', '--change', 'VOLUME /etc', '--change', 'CMD ["sh"]', tar, 'withvol'])).code, 0);
    const r = await d.docker(['run', '-d', 'withvol', 'head', '-1', '/etc/passwd']);
    const id = r.stdout.trim();
    await d.docker(['wait', id]);
    const mounts = JSON.parse((await d.docker(['inspect', '-f', '{{json .Mounts}}', id])).stdout) as Array<{ Type: string; Destination: string; Name: string }>;
    assert.equal(mounts[0]?.Type, 'volume');
    assert.equal(mounts[0]?.Destination, '/etc');
    assert.match(mounts[0]?.Name ?? '', /^[0-9a-f]{64}$/);
    assert.equal((await d.docker(['logs', id])).stdout, 'root:x:0:0:root:/root:/bin/sh\n');
    await d.docker(['rm', '-f', '-v', id]);
  });

  it('Challenge 3: a database keeps its table in a named volume across container removal (sqlite3 on debian)', async () => {
    const debianTar = path.join(REPO, '.cache/base-images/debian.tar');
    assert.ok(existsSync(debianTar), 'scripts/test.sh builds the debian base image');
    assert.equal((await d.docker(['import', '--change', 'CMD ["bash"]', debianTar, 'debian:bookworm'], { timeoutMs: 120_000 })).code, 0);
    // The database tool comes from Debian's archive, as a user would install it; the data lives in the volume.
    const setup = 'apt-get update -qq >/dev/null && apt-get install -y -qq sqlite3 >/dev/null 2>&1';
    const create = await d.docker(['run', '--name', 'db1', '-v', 'dbdata:/var/lib/db', 'debian:bookworm', 'bash', '-c',
      `${setup} && sqlite3 /var/lib/db/app.db "create table users(name text); insert into users values ('ada'), ('grace');"`], { timeoutMs: 300_000 });
    assert.equal(create.code, 0, create.stderr);
    assert.equal((await d.docker(['rm', 'db1'])).code, 0);
    const read = await d.docker(['run', '--rm', '-v', 'dbdata:/var/lib/db', 'debian:bookworm', 'bash', '-c',
      `${setup} && sqlite3 /var/lib/db/app.db "select name from users order by name;"`], { timeoutMs: 300_000 });
    assert.equal(read.code, 0, read.stderr);
    assert.equal(read.stdout, 'ada\ngrace\n');
  });
});
