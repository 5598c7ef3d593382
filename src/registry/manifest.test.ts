import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MediaType, parseManifest, selectPlatform, type ImageIndex } from './manifest.js';

const d = (c: string): `sha256:${string}` => `sha256:${c.repeat(64)}`;

test('parseManifest() reads a Docker schema2 manifest', () => {
  const m = parseManifest(Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: MediaType.dockerManifest,
    config: { mediaType: MediaType.dockerConfig, digest: d('a'), size: 10 },
    layers: [{ mediaType: MediaType.dockerLayerGzip, digest: d('b'), size: 20 }],
  })), undefined);
  assert.equal(m.kind, 'manifest');
  if (m.kind !== 'manifest') return;
  assert.equal(m.config.digest, d('a'));
  assert.equal(m.layers[0]?.size, 20);
});

test('parseManifest() tells an OCI index by its Content-Type or its manifests field', () => {
  const body = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: MediaType.ociManifest, digest: d('c'), size: 5, platform: { os: 'linux', architecture: 'amd64' } }] }));
  assert.equal(parseManifest(body, `${MediaType.ociIndex}; charset=utf-8`).kind, 'index');
  assert.equal(parseManifest(body, undefined).kind, 'index');
});

test('parseManifest() refuses schema1, bad digests, negative or huge sizes, and too many layers', () => {
  assert.throws(() => parseManifest(Buffer.from('{"schemaVersion":1}'), undefined), /schema1/);
  const base = { schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: MediaType.ociConfig, digest: d('a'), size: 2 } };
  assert.throws(() => parseManifest(Buffer.from(JSON.stringify({ ...base, layers: [{ mediaType: MediaType.ociLayerGzip, digest: 'sha256:../../etc', size: 1 }] })), undefined), /invalid or unsupported digest/);
  assert.throws(() => parseManifest(Buffer.from(JSON.stringify({ ...base, layers: [{ mediaType: MediaType.ociLayerGzip, digest: d('b'), size: -1 }] })), undefined), /invalid size/);
  assert.throws(() => parseManifest(Buffer.from(JSON.stringify({ ...base, layers: [{ mediaType: MediaType.ociLayerGzip, digest: d('b'), size: 2 ** 60 }] })), undefined), /invalid size/);
  const many = Array.from({ length: 1001 }, () => ({ mediaType: MediaType.ociLayerGzip, digest: d('b'), size: 1 }));
  assert.throws(() => parseManifest(Buffer.from(JSON.stringify({ ...base, layers: many })), undefined), /more than 1000/);
  assert.throws(() => parseManifest(Buffer.from('not json'), undefined), /invalid manifest/);
  assert.throws(() => parseManifest(Buffer.from(JSON.stringify({ ...base, layers: [{ mediaType: 'text/html', digest: d('b'), size: 1 }] })), undefined), /unsupported layer media type/);
});

test('selectPlatform() picks linux/amd64, arm64 variants, and skips attestations', () => {
  const index: ImageIndex = {
    kind: 'index', mediaType: MediaType.ociIndex,
    manifests: [
      { mediaType: MediaType.ociManifest, digest: d('1'), size: 1, platform: { os: 'unknown', architecture: 'unknown' } },
      { mediaType: MediaType.ociManifest, digest: d('2'), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
      { mediaType: MediaType.ociManifest, digest: d('3'), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
      { mediaType: MediaType.ociManifest, digest: d('4'), size: 1, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { mediaType: MediaType.ociManifest, digest: d('5'), size: 1, platform: { os: 'linux', architecture: 'amd64' } },
    ],
  };
  assert.equal(selectPlatform(index, { os: 'linux', architecture: 'amd64' })?.digest, d('5'));
  assert.equal(selectPlatform(index, { os: 'linux', architecture: 'arm64' })?.digest, d('4'));
  assert.equal(selectPlatform(index, { os: 'linux', architecture: 'arm' })?.digest, d('3'));
  assert.equal(selectPlatform(index, { os: 'linux', architecture: 'arm', variant: 'v6' })?.digest, d('2'));
  assert.equal(selectPlatform(index, { os: 'linux', architecture: 's390x' }), undefined);
});
