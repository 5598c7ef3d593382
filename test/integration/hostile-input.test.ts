import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exec, TestDaemon } from './harness.js';

/** Builds a tar with Python's tarfile, which writes any member name we ask for. */
async function evilTar(dir: string, script: string): Promise<Buffer> {
  const out = path.join(dir, 'evil.tar');
  const r = await exec('python3', ['-c', `
import io, tarfile, sys
t = tarfile.open(sys.argv[1], 'w')
def add_file(name, data):
    info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
def add_link(name, target):
    info = tarfile.TarInfo(name); info.type = tarfile.SYMTYPE; info.linkname = target; t.addfile(info)
def add_dir(name):
    info = tarfile.TarInfo(name); info.type = tarfile.DIRTYPE; info.mode = 0o755; t.addfile(info)
${script}
t.close()
`, out]);
  assert.equal(r.code, 0, r.stderr);
  return fs.readFile(out);
}

describe('hostile input', () => {
  let d: TestDaemon;
  let scratch: string;
  const victim = path.join(os.tmpdir(), `berth-victim-${process.pid}`);
  before(async () => {
    d = await TestDaemon.start();
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-evil-'));
  });
  after(async () => {
    await d?.cleanup();
    await fs.rm(scratch, { recursive: true, force: true });
    await fs.rm(victim, { recursive: true, force: true });
  });

  it('an imported layer cannot write outside its directory through ../ names or symlinks', async () => {
    await fs.mkdir(victim, { recursive: true });
    const tar = await evilTar(scratch, `
add_dir('bin')
add_file('../../../../../../${victim.slice(1)}/dotdot', b'x')
add_file('/${victim.slice(1)}/absolute', b'x')
add_link('escape', '${victim}')
add_file('escape/through-link', b'x')
add_link('rel', '../../../../../../../../${victim.slice(1)}')
add_file('rel/through-rel-link', b'x')
add_file('ok', b'fine')
`);
    const r = await d.request('POST', '/v1.47/images/create?fromSrc=-&repo=evil&tag=1', tar, { 'Content-Type': 'application/x-tar' });
    assert.deepEqual(await fs.readdir(victim), [], `nothing may appear in ${victim} (import answered ${r.status})`);
    if (r.status === 200) {
      // What was imported stays inside the container's root.
      const run = await d.berth(['run', '--rm', '--entrypoint', '/ok', 'evil:1']);
      assert.notEqual(run.code, 0);
      await d.berth(['rmi', 'evil:1']);
    }
  });

  it('garbage instead of a tar is refused and leaves no image, blob or snapshot behind', async () => {
    const countFiles = async (): Promise<number> => {
      const blobs = await fs.readdir(path.join(d.dataRoot, 'content/blobs/sha256'));
      const snaps = await fs.readdir(path.join(d.dataRoot, 'snapshots'));
      return blobs.length + snaps.length;
    };
    const before = await countFiles();
    const imagesBefore = (await d.berth(['images', '-q'])).stdout;
    const r = await d.request('POST', '/v1.47/images/create?fromSrc=-&repo=junk', Buffer.from('this is not a tar archive at all'.repeat(100)));
    assert.ok(r.status >= 400, `status ${r.status}`);
    assert.equal(await countFiles(), before);
    assert.equal((await d.berth(['images', '-q'])).stdout, imagesBefore);
    assert.ok(!existsSync(path.join(d.dataRoot, 'content/ingest')) || (await fs.readdir(path.join(d.dataRoot, 'content/ingest'))).length === 0);
  });

  it('import refuses a reference that is not valid before reading the body', async () => {
    const r = await d.request('POST', '/v1.47/images/create?fromSrc=-&repo=Bad%20Name', Buffer.alloc(1024));
    assert.equal(r.status, 400);
  });
});
