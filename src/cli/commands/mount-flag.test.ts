import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMountFlag } from './mount-flag.js';

test('parseMountFlag() builds HostConfig.Mounts entries from --mount fields', () => {
  assert.deepEqual(parseMountFlag('type=bind,source=/src,target=/app,readonly'), { Type: 'bind', Source: '/src', Target: '/app', ReadOnly: true });
  assert.deepEqual(parseMountFlag('source=data,target=/d,volume-nocopy'), { Type: 'volume', Source: 'data', Target: '/d', VolumeOptions: { NoCopy: true } });
  assert.deepEqual(parseMountFlag('type=tmpfs,dst=/t,tmpfs-size=64m,tmpfs-mode=1770'), { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 67108864, Mode: 0o1770 } });
  assert.deepEqual(parseMountFlag('type=bind,src=/a,dst=/b,bind-propagation=rshared'), { Type: 'bind', Source: '/a', Target: '/b', BindOptions: { Propagation: 'rshared' } });
});

test('parseMountFlag() refuses unknown keys and a missing target', () => {
  assert.throws(() => parseMountFlag('type=bind,source=/a'), /target is required/);
  assert.throws(() => parseMountFlag('type=bind,colour=red,target=/b'), /unexpected key 'colour'/);
});
