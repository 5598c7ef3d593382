import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { BERTH, BUSYBOX_TAR, eventually, exec, TestDaemon } from './harness.js';
import { RegistryServer, startProxy } from './registry-server.js';

const DIGEST = /sha256:[0-9a-f]{64}/;

async function imageId(d: TestDaemon, name: string): Promise<string> {
  const r = await d.berth(['image', 'inspect', '-f', '{{.Id}}', name]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

/** The manifest digest a push reported ("1: digest: sha256:… size: N"). */
function pushedDigest(out: string): string {
  const m = /: digest: (sha256:[0-9a-f]{64}) size: \d+/.exec(out);
  assert.ok(m !== null, `no digest line in:\n${out}`);
  return m[1] ?? '';
}

describe('registry: anonymous push and pull', () => {
  let reg: RegistryServer;
  let d: TestDaemon;
  let fresh: TestDaemon;
  let ref: string;
  let digest: string;
  let originalId: string;
  before(async () => {
    reg = await RegistryServer.start();
    d = await TestDaemon.start({ busybox: true });
    fresh = await TestDaemon.start({ busybox: false });
    ref = `${reg.host}/it/busybox:1`;
  });
  after(async () => {
    await d?.cleanup();
    await fresh?.cleanup();
    await reg?.stop();
  });

  it('berth push uploads the layers and prints the manifest digest', async () => {
    originalId = await imageId(d, 'busybox');
    assert.equal((await d.berth(['tag', 'busybox', ref])).code, 0);
    const r = await d.berth(['push', ref]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`The push refers to repository \\[${reg.host}/it/busybox\\]`));
    assert.match(r.stdout, /: Pushed\n/);
    digest = pushedDigest(r.stdout);
    const again = await d.berth(['push', ref]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /: Layer already exists\n/);
    assert.equal(pushedDigest(again.stdout), digest, 'pushing again gives the same manifest');
    const repoDigests = await d.berth(['image', 'inspect', '-f', '{{json .RepoDigests}}', ref]);
    assert.match(repoDigests.stdout, new RegExp(`${reg.host}/it/busybox@${digest}`));
  });

  it('a fresh daemon pulls it with the same digest and image ID, and runs it', async () => {
    const r = await fresh.berth(['pull', ref]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], '1: Pulling from it/busybox');
    assert.match(r.stdout, /: Pull complete\n/);
    assert.ok(lines.includes(`Digest: ${digest}`), r.stdout);
    assert.ok(lines.includes(`Status: Downloaded newer image for ${ref}`), r.stdout);
    assert.equal(lines.at(-1), ref);
    assert.equal(await imageId(fresh, ref), originalId);
    const run = await fresh.berth(['run', '--rm', ref, 'echo', 'pulled']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'pulled\n');
    const again = await fresh.berth(['pull', ref]);
    assert.match(again.stdout, /Already exists/);
    assert.match(again.stdout, new RegExp(`Status: Image is up to date for ${ref.replace(/\./g, '\\.')}`));
  });

  it('on a terminal, berth pull draws docker\'s per-layer lines and bars', async () => {
    assert.equal((await fresh.berth(['rmi', ref])).code, 0);
    // script(1) gives the CLI a terminal; COLUMNS makes it wide enough for the bar.
    const r = await exec('script', ['-qec', `stty cols 160; ${BERTH} pull ${ref}`, '/dev/null'], { env: { ...process.env, BERTH_HOST: fresh.host } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\x1b\[2K\r[0-9a-f]{12}: (Downloading|Extracting) +\[=*>? *\] +[\d.]+k?M?B\/[\d.]+[kM]?B\r/, 'a redrawn line with a bar');
    assert.match(r.stdout, /\x1b\[\d+A/, 'the cursor moves up to redraw a layer line');
    assert.match(r.stdout, /Pull complete/);
    assert.match(r.stdout, /Status: (Downloaded newer image|Image is up to date)/);
  });

  it('push, rmi, pull round trip keeps the digest; pulling by digest works', async () => {
    assert.equal((await d.berth(['rmi', ref])).code, 0);
    const r = await d.berth(['pull', ref]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Digest: ${digest}`));
    assert.equal(await imageId(d, ref), originalId);
    const byDigest = await fresh.berth(['pull', `${reg.host}/it/busybox@${digest}`]);
    assert.equal(byDigest.code, 0, byDigest.stderr);
    assert.equal(byDigest.stdout.trim().split('\n').at(-1), `${reg.host}/it/busybox@${digest}`);
  });

  it('a push to another repository of the registry mounts the layers', async () => {
    const other = `${reg.host}/it/other:2`;
    assert.equal((await d.berth(['tag', ref, other])).code, 0);
    const r = await d.berth(['push', other]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: Mounted from it\/busybox\n/);
    assert.equal(pushedDigest(r.stdout), digest);
  });

  it('pull --all-tags fetches every tag of the repository', async () => {
    assert.equal((await d.berth(['tag', 'busybox', `${reg.host}/it/busybox:2`])).code, 0);
    assert.equal((await d.berth(['push', `${reg.host}/it/busybox:2`])).code, 0);
    const r = await fresh.berth(['pull', '-a', `${reg.host}/it/busybox`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1: Pulling from it\/busybox$/m);
    assert.match(r.stdout, /^2: Pulling from it\/busybox$/m);
    assert.match(r.stdout, new RegExp(`Status: (Downloaded newer image|Image is up to date) for ${reg.host}/it/busybox\n$`));
    const tags = await fresh.berth(['images', '--format', '{{.Repository}} {{.Tag}}']);
    assert.deepEqual(tags.stdout.trim().split('\n').filter((l) => l.startsWith(`${reg.host}/it/busybox `)).sort(), [`${reg.host}/it/busybox 1`, `${reg.host}/it/busybox 2`]);
    const bad = await fresh.berth(['pull', '-a', `${reg.host}/it/busybox:1`]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /tag can't be used with --all-tags\/-a/);
  });

  it('another image on the same base mounts the base layer from the repository that has it', async () => {
    // busybox plus a layer of its own, loaded from an archive.
    const dir = path.join(d.root, 'derived');
    await fs.mkdir(path.join(dir, 'a'), { recursive: true });
    await fs.mkdir(path.join(dir, 'b'), { recursive: true });
    await fs.mkdir(path.join(dir, 'content'), { recursive: true });
    await fs.writeFile(path.join(dir, 'content', 'app.txt'), 'app\n');
    assert.equal((await exec('tar', ['-cf', path.join(dir, 'b', 'layer.tar'), '-C', path.join(dir, 'content'), 'app.txt'])).code, 0);
    await fs.copyFile(BUSYBOX_TAR, path.join(dir, 'a', 'layer.tar'));
    const sha = async (f: string): Promise<string> => `sha256:${createHash('sha256').update(await fs.readFile(f)).digest('hex')}`;
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [await sha(path.join(dir, 'a', 'layer.tar')), await sha(path.join(dir, 'b', 'layer.tar'))] } }));
    const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
    await fs.writeFile(path.join(dir, configName), config);
    await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: [`${reg.host}/it/derived:1`], Layers: ['a/layer.tar', 'b/layer.tar'] }]));
    assert.equal((await exec('tar', ['-cf', path.join(d.root, 'derived.tar'), '-C', dir, 'manifest.json', configName, 'a', 'b'])).code, 0);
    assert.equal((await d.berth(['load', '-i', path.join(d.root, 'derived.tar')])).code, 0);
    const r = await d.berth(['push', `${reg.host}/it/derived:1`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: Mounted from it\/(busybox|other)\n/);
    assert.match(r.stdout, /: Pushed\n/);
  });

  it('run of an image that is not there pulls it first, as docker does', async () => {
    const r = await fresh.berth(['run', '--rm', `${reg.host}/it/other:2`, 'echo', 'ran']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ran\n');
    assert.match(r.stderr, new RegExp(`Unable to find image '${reg.host}/it/other:2' locally`));
    assert.match(r.stderr, /Status: Downloaded newer image/);
  });

  it('a tag or repository the registry does not have is a clear error', async () => {
    const r = await fresh.berth(['pull', `${reg.host}/it/busybox:nope`]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Error response from daemon: manifest for ${reg.host}/it/busybox:nope not found: manifest unknown: manifest unknown\n`);
    const api = await fresh.request('POST', `/v1.47/images/create?fromImage=${encodeURIComponent(`${reg.host}/it/busybox`)}&tag=nope`);
    assert.equal(api.status, 404);
    const missing = await d.berth(['push', `${reg.host}/it/none:1`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, new RegExp(`An image does not exist locally with the tag: ${reg.host}/it/none`));
  });

  it('the official docker CLI pushes and pulls through berth', async () => {
    const name = `${reg.host}/it/docker-cli:3`;
    assert.equal((await d.docker(['tag', 'busybox', name])).code, 0);
    const push = await d.docker(['push', name]);
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stdout, /3: digest: sha256:[0-9a-f]{64} size: \d+/);
    const pull = await fresh.docker(['pull', name]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, /3: Pulling from it\/docker-cli/);
    assert.match(pull.stdout, new RegExp(`Status: (Downloaded newer image|Image is up to date) for ${name.replace(/\./g, '\\.')}`));
    assert.equal(pull.stdout.trim().split('\n').at(-1), name);
    const images = await fresh.docker(['images', '--digests', '--format', '{{.Repository}}:{{.Tag}} {{.Digest}}']);
    assert.match(images.stdout, new RegExp(`${name.replace(/\./g, '\\.')} ${DIGEST.source}`));
    const bad = await fresh.docker(['pull', `${reg.host}/it/docker-cli:nope`]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /manifest unknown/);
  });
});

describe('registry: broken connections and bad content', () => {
  let reg: RegistryServer;
  let d: TestDaemon;
  let fresh: TestDaemon;
  let proxy: { host: string; close(): Promise<void> };
  let proxyHost: string;
  let cutOnce = true;
  before(async () => {
    reg = await RegistryServer.start();
    d = await TestDaemon.start({ busybox: true });
    fresh = await TestDaemon.start({ busybox: false });
    // A proxy in front of the registry that breaks the first blob download half way.
    proxy = await startProxy(reg, {
      blobResponse: (_digest, ur, res) => {
        if (!cutOnce || Number(ur.headers['content-length'] ?? 0) <= 100_000) return false;
        cutOnce = false;
        let sent = 0;
        ur.on('data', (c: Buffer) => {
          if (sent > 50_000) return;
          sent += c.length;
          res.write(c);
          if (sent > 50_000) {
            ur.destroy();
            res.socket?.destroy();
          }
        });
        return true;
      },
    });
    proxyHost = proxy.host;
  });
  after(async () => {
    await proxy?.close();
    await d?.cleanup();
    await fresh?.cleanup();
    await reg?.stop();
  });

  it('a download cut half way is resumed and the image is complete', async () => {
    const name = `${reg.host}/it/cut:1`;
    assert.equal((await d.berth(['tag', 'busybox', name])).code, 0);
    assert.equal((await d.berth(['push', name])).code, 0);
    const r = await fresh.berth(['pull', `${proxyHost}/it/cut:1`]);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.equal(cutOnce, false, 'the proxy cut a download');
    assert.equal(await imageId(fresh, `${proxyHost}/it/cut:1`), await imageId(d, 'busybox'));
    const run = await fresh.berth(['run', '--rm', `${proxyHost}/it/cut:1`, 'echo', 'whole']);
    assert.equal(run.stdout, 'whole\n', run.stderr);
  });

  it('a push whose upload connection breaks is retried and completes', async () => {
    let broken = 0;
    const flaky = await startProxy(reg, {
      beforeRequest: (req) => {
        const big = Number(req.headers['content-length'] ?? 0) > 100_000 || req.headers['transfer-encoding'] === 'chunked';
        if ((req.method === 'PUT' || req.method === 'PATCH') && big && broken === 0) {
          broken++;
          let got = 0;
          req.on('data', (c: Buffer) => {
            got += c.length;
            if (got > 30_000) req.socket.destroy();
          });
          return true;
        }
        return false;
      },
    });
    try {
      // An image never pushed: its plain layer is gzipped while it uploads.
      const name = `${flaky.host}/it/flaky:1`;
      assert.equal((await d.berth(['import', BUSYBOX_TAR, name])).code, 0);
      const r = await d.berth(['push', name]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(broken, 1, 'an upload was broken');
      assert.match(r.stdout, /Retrying in 1 second/);
      assert.match(r.stdout, /: Pushed\n/);
      const pull = await fresh.berth(['pull', `${reg.host}/it/flaky:1`]);
      assert.equal(pull.code, 0, pull.stderr);
    } finally {
      await flaky.close();
    }
  });

  it('a layer whose bytes do not match its digest is refused and leaves no image', async () => {
    const name = `${reg.host}/it/corrupt:1`;
    // An image of its own: busybox plus a file.
    const dir = path.join(d.root, 'corrupt');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'marker'), 'corrupt me\n'.repeat(20000));
    const tar = path.join(d.root, 'corrupt.tar');
    assert.equal((await exec('tar', ['-cf', tar, '-C', dir, 'marker'])).code, 0);
    assert.equal((await d.berth(['import', tar, name])).code, 0);
    const push = await d.berth(['push', name]);
    assert.equal(push.code, 0, push.stderr);
    // Flip a byte in the middle of the (gzip) layer in the registry's storage: same size, other content.
    const m = await reg.manifest('it/corrupt', '1');
    assert.equal(m.layers[0]?.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip', 'plain layers are pushed gzip-compressed, as Docker does');
    const file = reg.blobFile(m.layers[0]?.digest ?? '');
    const data = await fs.readFile(file);
    const mid = Math.floor(data.length / 2);
    data[mid] = (data[mid] ?? 0) ^ 0xff;
    await fs.writeFile(file, data);
    const r = await fresh.berth(['pull', name]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /failed to verify layer sha256:[0-9a-f]{64}: digest mismatch/);
    assert.equal((await fresh.berth(['image', 'inspect', name])).code, 1, 'no image was recorded');
  });
});

describe('registry: a pull interrupted by a killed daemon', () => {
  let reg: RegistryServer;
  let d: TestDaemon;
  let fresh: TestDaemon;
  let proxy: { host: string; close(): Promise<void> };
  let proxyHost: string;
  let stallDigest = '';
  const blobRequests = new Map<string, number>();
  before(async () => {
    reg = await RegistryServer.start();
    d = await TestDaemon.start({ busybox: true });
    fresh = await TestDaemon.start({ busybox: false });
    // A proxy that counts blob downloads and can hold one blob's download forever.
    proxy = await startProxy(reg, {
      beforeBlob: (digest) => {
        blobRequests.set(digest, (blobRequests.get(digest) ?? 0) + 1);
        return digest === stallDigest; // never answered
      },
    });
    proxyHost = proxy.host;
  });
  after(async () => {
    await proxy?.close();
    await d?.cleanup();
    await fresh?.cleanup();
    await reg?.stop();
  });

  it('leaves no image, and the retry completes reusing the verified blobs', async () => {
    // Two layers: busybox, then a layer of its own.
    const dir = path.join(d.root, 'second');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'payload'), Buffer.alloc(300_000, 7));
    const layer2 = path.join(d.root, 'layer2.tar');
    assert.equal((await exec('tar', ['-cf', layer2, '-C', dir, 'payload'])).code, 0);
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    const a = await fs.readFile(BUSYBOX_TAR);
    const b = await fs.readFile(layer2);
    const arch = path.join(d.root, 'two-layers');
    await fs.mkdir(path.join(arch, 'a'), { recursive: true });
    await fs.mkdir(path.join(arch, 'b'), { recursive: true });
    await fs.writeFile(path.join(arch, 'a', 'layer.tar'), a);
    await fs.writeFile(path.join(arch, 'b', 'layer.tar'), b);
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: [`sha256:${sha(a)}`, `sha256:${sha(b)}`] } }));
    await fs.writeFile(path.join(arch, `${sha(config)}.json`), config);
    await fs.writeFile(path.join(arch, 'manifest.json'), JSON.stringify([{ Config: `${sha(config)}.json`, RepoTags: [`${reg.host}/it/two:1`], Layers: ['a/layer.tar', 'b/layer.tar'] }]));
    const tar = path.join(d.root, 'two.tar');
    assert.equal((await exec('tar', ['-cf', tar, '-C', arch, '.'])).code, 0);
    assert.equal((await d.berth(['load', '-i', tar])).code, 0);
    assert.equal((await d.berth(['push', `${reg.host}/it/two:1`])).code, 0);

    const pushed = await reg.manifest('it/two', '1');
    const first = pushed.layers[0]?.digest ?? '';
    stallDigest = pushed.layers[1]?.digest ?? '';
    const name = `${proxyHost}/it/two:1`;
    const pulling = fresh.berth(['pull', name], { timeoutMs: 60_000 });
    await eventually(async () => (blobRequests.get(stallDigest) ?? 0) > 0 && (blobRequests.get(first) ?? 0) > 0, 20_000, 'both layers requested');
    // Let the first layer land, then kill the daemon in the middle of the pull.
    await new Promise((r) => setTimeout(r, 1500));
    await fresh.stopDaemon('SIGKILL');
    const killed = await pulling;
    assert.notEqual(killed.code, 0);
    stallDigest = '';
    await fresh.launch();
    assert.equal((await fresh.berth(['image', 'inspect', name])).code, 1, 'no half-pulled image');
    assert.equal((await fresh.berth(['images', '-q'])).stdout, '');
    const firstLayerFetches = blobRequests.get(first) ?? 0;
    const retry = await fresh.berth(['pull', name]);
    assert.equal(retry.code, 0, retry.stderr);
    assert.equal(blobRequests.get(first) ?? 0, firstLayerFetches, 'the verified first layer was not downloaded again');
    const run = await fresh.berth(['run', '--rm', name, 'sh', '-c', 'wc -c < /payload']);
    assert.equal(run.stdout.trim(), '300000', run.stderr);
  });
});
