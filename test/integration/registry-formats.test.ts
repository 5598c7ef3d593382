import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { BUSYBOX_TAR, exec, TestDaemon } from './harness.js';
import { RegistryServer } from './registry-server.js';

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

describe('registry: manifest formats, platforms and layer compressions', () => {
  let reg: RegistryServer;
  let d: TestDaemon;
  let indexDigest: string;
  let amd64Config: string;
  let arm64Config: string;
  const repo = 'fmt/app';
  before(async () => {
    reg = await RegistryServer.start();
    d = await TestDaemon.start({ busybox: false });
    const layer = await fs.readFile(BUSYBOX_TAR);
    const gz = gzipSync(layer);
    const zst = await exec('sh', ['-c', `zstd -q -c ${BUSYBOX_TAR} | base64 -w0`]);
    assert.equal(zst.code, 0, 'zstd is installed (scripts/setup.sh)');
    const zstd = Buffer.from(zst.stdout, 'base64');
    const config = (arch: string): Buffer => Buffer.from(JSON.stringify({
      architecture: arch, os: 'linux', config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: [sha(layer)] },
      history: [{ created_by: `made for ${arch}` }],
    }));
    const amd = config('amd64');
    const arm = config('arm64');
    amd64Config = await reg.uploadBlob(repo, amd);
    arm64Config = await reg.uploadBlob(repo, arm);
    const gzDigest = await reg.uploadBlob(repo, gz);
    const zstDigest = await reg.uploadBlob(repo, zstd);
    const amdManifest = await reg.putManifest(repo, 'amd64-only', DOCKER_MANIFEST, {
      schemaVersion: 2, mediaType: DOCKER_MANIFEST,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: amd64Config, size: amd.length },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: gzDigest, size: gz.length }],
    });
    const armManifest = await reg.putManifest(repo, 'arm64-only', OCI_MANIFEST, {
      schemaVersion: 2, mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: arm64Config, size: arm.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', digest: zstDigest, size: zstd.length }],
    });
    const index = await reg.putManifest(repo, 'multi', OCI_INDEX, {
      schemaVersion: 2, mediaType: OCI_INDEX,
      manifests: [
        { mediaType: OCI_MANIFEST, digest: armManifest.digest, size: armManifest.bytes.length, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { mediaType: DOCKER_MANIFEST, digest: amdManifest.digest, size: amdManifest.bytes.length, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: OCI_MANIFEST, digest: armManifest.digest, size: armManifest.bytes.length, platform: { os: 'unknown', architecture: 'unknown' } },
      ],
    });
    indexDigest = index.digest;
  });
  after(async () => {
    await d?.cleanup();
    await reg?.stop();
  });

  it('an index pulls the host\'s platform (Docker schema2, gzip layer); the repo digest is the index\'s', async () => {
    const ref = `${reg.host}/${repo}:multi`;
    const r = await d.berth(['pull', ref]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Digest: ${indexDigest}`));
    assert.equal((await d.berth(['image', 'inspect', '-f', '{{.Id}} {{.Architecture}}', ref])).stdout.trim(), `${amd64Config} amd64`);
    assert.match((await d.berth(['image', 'inspect', '-f', '{{json .RepoDigests}}', ref])).stdout, new RegExp(`${reg.host}/${repo}@${indexDigest}`));
    const run = await d.berth(['run', '--rm', ref, 'echo', 'gzip layer']);
    assert.equal(run.stdout, 'gzip layer\n', run.stderr);
  });

  it('--platform picks another entry (OCI manifest, zstd layer)', async () => {
    const ref = `${reg.host}/${repo}:multi`;
    const r = await d.berth(['pull', '--platform', 'linux/arm64', ref]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await d.berth(['image', 'inspect', '-f', '{{.Id}} {{.Architecture}}', ref])).stdout.trim(), `${arm64Config} arm64`);
    // The test layer is the host's busybox whatever the config says: it runs, so the zstd layer unpacked.
    const run = await d.berth(['run', '--rm', ref, 'echo', 'zstd layer']);
    assert.equal(run.stdout, 'zstd layer\n', run.stderr);
  });

  it('a platform the index does not have is Docker\'s error', async () => {
    const r = await d.berth(['pull', '--platform', 'linux/s390x', `${reg.host}/${repo}:multi`]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error response from daemon: no matching manifest for linux/s390x in the manifest list entries\n');
  });

  it('hostile content: a config whose diffID lies, a digest the registry does not have', async () => {
    const bad = 'fmt/bad';
    const layer = await fs.readFile(BUSYBOX_TAR);
    const lie = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${'1'.repeat(64)}`] } }));
    const lieDigest = await reg.uploadBlob(bad, lie);
    const layerDigest = await reg.uploadBlob(bad, layer);
    await reg.putManifest(bad, 'lie', OCI_MANIFEST, {
      schemaVersion: 2, mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: lieDigest, size: lie.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
    });
    const r = await d.berth(['pull', `${reg.host}/${bad}:lie`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /failed to register layer: layer sha256:[0-9a-f]{64} unpacks to sha256:[0-9a-f]{64}, but the image config says sha256:1{64}/);
    assert.equal((await d.berth(['image', 'inspect', `${reg.host}/${bad}:lie`])).code, 1, 'no image recorded');
    const wrongDigest = await d.berth(['pull', `${reg.host}/${bad}@sha256:${'2'.repeat(64)}`]);
    assert.equal(wrongDigest.code, 1);
    assert.match(wrongDigest.stderr, /not found|manifest unknown/);
  });
});
