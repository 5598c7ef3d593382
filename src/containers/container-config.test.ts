import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildContainerConfig, mergeEnv } from './container-config.js';
import { sha256Digest } from '../content/digest.js';

const id = 'a'.repeat(64);
const img = sha256Digest('img');
const build = (opts: Parameters<typeof buildContainerConfig>[2], image: Parameters<typeof buildContainerConfig>[4] = {}) =>
  buildContainerConfig(id, '2026-01-01T00:00:00Z', opts, img, image, 'host');

test('buildContainerConfig() uses the image Cmd only when neither entrypoint nor cmd is given', () => {
  const image = { Entrypoint: ['/entry'], Cmd: ['default'] };
  assert.deepEqual([build({ image: 'x' }, image).path, ...build({ image: 'x' }, image).args], ['/entry', 'default']);
  const withCmd = build({ image: 'x', cmd: ['mine'] }, image);
  assert.deepEqual([withCmd.path, ...withCmd.args], ['/entry', 'mine']);
  const withEntry = build({ image: 'x', entrypoint: ['sh'] }, image);
  assert.deepEqual([withEntry.path, ...withEntry.args], ['sh']);
});

test('buildContainerConfig() refuses a container without a command', () => {
  assert.throws(() => build({ image: 'x' }), /no command specified/);
});

test('buildContainerConfig() defaults the hostname to the short ID and the network to bridge', () => {
  const c = build({ image: 'x', cmd: ['true'] });
  assert.equal(c.hostname, 'a'.repeat(12));
  assert.equal(c.host.networkMode, 'bridge');
  assert.equal(build({ image: 'x', cmd: ['true'], host: { networkMode: 'host' } }).hostname, 'host');
});

test('buildContainerConfig() refuses AutoRemove with a restart policy, as Docker does', () => {
  assert.throws(() => build({ image: 'x', cmd: ['true'], host: { autoRemove: true, restartPolicy: { name: 'always', maximumRetryCount: 0 } } }), /AutoRemove/);
});

test('mergeEnv() replaces by key, appends new keys and drops bare names', () => {
  assert.deepEqual(mergeEnv(['PATH=/bin', 'A=1', 'B=2'], ['A=3', 'C=4', 'B']), ['PATH=/bin', 'A=3', 'C=4']);
});
