import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { BUSYBOX_TAR, exec, TestDaemon } from './harness.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('save and load (Docker 25 archives and older ones)', () => {
  let d: TestDaemon;
  let other: TestDaemon;
  let archive: string;
  let busyboxId: string;
  before(async () => {
    d = await TestDaemon.start({ busybox: true });
    other = await TestDaemon.start({ busybox: false });
    archive = path.join(d.root, 'busybox-save.tar');
    busyboxId = (await d.berth(['image', 'inspect', '-f', '{{.Id}}', 'busybox'])).stdout.trim();
  });
  after(async () => {
    await d?.cleanup();
    await other?.cleanup();
  });

  it('save -o writes an OCI layout with manifest.json', async () => {
    const r = await d.berth(['save', '-o', archive, 'busybox']);
    assert.equal(r.code, 0, r.stderr);
    const list = await exec('tar', ['-tf', archive]);
    const names = list.stdout.split('\n');
    for (const n of ['oci-layout', 'index.json', 'manifest.json', `blobs/sha256/${busyboxId.slice(7)}`]) assert.ok(names.includes(n), `${n} in ${list.stdout}`);
    const manifest = JSON.parse((await exec('tar', ['-xOf', archive, 'manifest.json'])).stdout) as Array<{ Config: string; RepoTags: string[]; Layers: string[] }>;
    assert.deepEqual(manifest[0]?.RepoTags, ['busybox:latest']);
    assert.equal(manifest[0]?.Config, `blobs/sha256/${busyboxId.slice(7)}`);
    const index = JSON.parse((await exec('tar', ['-xOf', archive, 'index.json'])).stdout) as { manifests: Array<{ annotations: Record<string, string> }> };
    assert.equal(index.manifests[0]?.annotations['io.containerd.image.name'], 'docker.io/library/busybox:latest');
    const tty = await d.berth(['save', 'busybox']);
    assert.equal(tty.code, 0, 'not a terminal: the archive goes to stdout');
    assert.ok(tty.stdout.length > 1_000_000);
    const byId = path.join(d.root, 'by-id.tar');
    assert.equal((await d.berth(['save', '-o', byId, busyboxId.slice(7, 19)])).code, 0);
    const untagged = JSON.parse((await exec('tar', ['-xOf', byId, 'manifest.json'])).stdout) as Array<{ RepoTags: unknown }>;
    assert.equal(untagged[0]?.RepoTags, null, 'saved by ID: no tags, as Docker does');
    const missing = await d.berth(['save', '-o', byId, 'nosuch:1']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No such image: nosuch:1/);
  });

  it('load -i brings the image into another daemon with the same ID, and it runs', async () => {
    const r = await other.berth(['load', '-i', archive]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Loaded image: busybox:latest\n');
    assert.equal((await other.berth(['image', 'inspect', '-f', '{{.Id}}', 'busybox'])).stdout.trim(), busyboxId);
    const run = await other.berth(['run', '--rm', 'busybox', 'echo', 'loaded']);
    assert.equal(run.stdout, 'loaded\n', run.stderr);
  });

  it('load < a gzip-compressed archive from stdin, and the docker CLI saves and loads through berth', async () => {
    assert.equal((await other.berth(['rmi', 'busybox'])).code, 0);
    const gz = gzipSync(await fs.readFile(archive));
    const r = await other.berth(['load'], { input: gz });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Loaded image: busybox:latest/);
    const dockerSaved = path.join(d.root, 'docker-save.tar');
    const save = await d.docker(['save', '-o', dockerSaved, 'busybox:latest']);
    assert.equal(save.code, 0, save.stderr);
    assert.equal((await other.docker(['rmi', 'busybox'])).code, 0);
    const load = await other.docker(['load', '-i', dockerSaved]);
    assert.equal(load.code, 0, load.stderr);
    assert.match(load.stdout, /Loaded image: busybox:latest/);
  });

  it('loads the older Docker format (<id>/layer.tar, <config>.json), with a symlinked layer', async () => {
    const dir = path.join(d.root, 'legacy');
    await fs.mkdir(path.join(dir, 'aaa'), { recursive: true });
    await fs.mkdir(path.join(dir, 'bbb'), { recursive: true });
    const layer = await fs.readFile(BUSYBOX_TAR);
    await fs.writeFile(path.join(dir, 'aaa', 'layer.tar'), layer);
    await fs.symlink('../aaa/layer.tar', path.join(dir, 'bbb', 'layer.tar'));
    const config = Buffer.from(JSON.stringify({
      architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layer)}`, `sha256:${sha256(layer)}`] },
    }));
    await fs.writeFile(path.join(dir, `${sha256(config)}.json`), config);
    await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify([{ Config: `${sha256(config)}.json`, RepoTags: ['legacy:1'], Layers: ['aaa/layer.tar', 'bbb/layer.tar'] }]));
    const tar = path.join(d.root, 'legacy.tar');
    assert.equal((await exec('tar', ['-cf', tar, '-C', dir, '.'])).code, 0);
    const r = await other.berth(['load', '-i', tar]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Loaded image: legacy:1\n');
    assert.equal((await other.berth(['image', 'inspect', '-f', '{{.Id}}', 'legacy:1'])).stdout.trim(), `sha256:${sha256(config)}`);
    const run = await other.berth(['run', '--rm', 'legacy:1', 'echo', 'legacy']);
    assert.equal(run.stdout, 'legacy\n', run.stderr);
    // Loading over a tag that names another image says so, as Docker does.
    assert.equal((await other.berth(['tag', 'busybox', 'legacy:1'])).code, 0);
    const again = await other.berth(['load', '-i', tar]);
    assert.equal(again.stdout, `The image legacy:1 already exists, renaming the old one with ID ${busyboxId} to empty string\nLoaded image: legacy:1\n`);
  });

  it('import from a URL: the daemon downloads the tarball (berth and docker CLIs)', async () => {
    const tarball = await fs.readFile(BUSYBOX_TAR);
    const server = http.createServer((req, res) => {
      if (req.url === '/busybox.tar') res.writeHead(200, { 'Content-Length': String(tarball.length) }).end(tarball);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await other.berth(['import', '--change', 'CMD ["sh"]', `${base}/busybox.tar`, 'from-url:1']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^Downloading from ${base}/busybox.tar\n`));
      assert.match(r.stdout, /sha256:[0-9a-f]{64}\n$/);
      const run = await other.berth(['run', '--rm', 'from-url:1', 'echo', 'from a url']);
      assert.equal(run.stdout, 'from a url\n', run.stderr);
      const viaDocker = await other.docker(['import', `${base}/busybox.tar`, 'from-url:2']);
      assert.equal(viaDocker.code, 0, viaDocker.stderr);
      assert.match(viaDocker.stdout, /sha256:[0-9a-f]{64}/);
      const missing = await other.berth(['import', `${base}/nope.tar`]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /bad status 404/);
    } finally {
      server.close();
    }
  });

  it('hostile archives: paths climbing out, wrong diffIDs and garbage are refused and leave nothing', async () => {
    const dir = path.join(d.root, 'hostile');
    await fs.mkdir(path.join(dir, 'sub'), { recursive: true });
    await fs.writeFile(path.join(dir, 'sub', 'x'), 'x');
    const escape = path.join(d.root, 'escape.tar');
    // With -P, GNU tar keeps the member name "sub/../../escaped-file" as given.
    assert.equal((await exec('sh', ['-c', `cd ${dir} && printf 'evil' > ../escaped-file && tar -cPf ${escape} sub/../../escaped-file sub/x`])).code, 0);
    assert.match((await exec('tar', ['-tPf', escape])).stdout, /sub\/\.\.\/\.\.\/escaped-file/);
    await fs.rm(path.join(d.root, 'escaped-file'), { force: true });
    const r = await other.berth(['load', '-i', escape]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /escapes the archive/);
    await assert.rejects(fs.access(path.join(other.dataRoot, '..', 'escaped-file')));

    const wrong = path.join(d.root, 'wrong');
    await fs.mkdir(wrong, { recursive: true });
    const layer = await fs.readFile(BUSYBOX_TAR);
    await fs.writeFile(path.join(wrong, 'layer.tar'), layer);
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${'0'.repeat(64)}`] } }));
    await fs.writeFile(path.join(wrong, 'config.json'), config);
    await fs.writeFile(path.join(wrong, 'manifest.json'), JSON.stringify([{ Config: 'config.json', RepoTags: ['wrong:1'], Layers: ['layer.tar'] }]));
    const wrongTar = path.join(d.root, 'wrong.tar');
    assert.equal((await exec('tar', ['-cf', wrongTar, '-C', wrong, '.'])).code, 0);
    const w = await other.berth(['load', '-i', wrongTar]);
    assert.equal(w.code, 1);
    assert.match(w.stderr, /unpacks to sha256:[0-9a-f]{64}, but the image config says sha256:0{64}/);
    assert.equal((await other.berth(['image', 'inspect', 'wrong:1'])).code, 1);

    const garbage = await other.berth(['load'], { input: Buffer.from('this is not a tar archive at all'.repeat(40)) });
    assert.equal(garbage.code, 1);
    assert.match(garbage.stderr, /^Error response from daemon: /);
  });
});
