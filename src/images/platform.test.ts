import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlatform } from './platform.js';

test('parsePlatform() reads os/arch/variant, bare OS or architecture, and aliases', () => {
  assert.deepEqual(parsePlatform('linux/arm64', 'amd64'), { os: 'linux', architecture: 'arm64' });
  assert.deepEqual(parsePlatform('linux/arm/v7', 'amd64'), { os: 'linux', architecture: 'arm', variant: 'v7' });
  assert.deepEqual(parsePlatform('linux', 'amd64'), { os: 'linux', architecture: 'amd64' });
  assert.deepEqual(parsePlatform('aarch64', 'amd64'), { os: 'linux', architecture: 'arm64' });
});

test('parsePlatform() refuses what it does not know, with containerd\'s message', () => {
  assert.throws(() => parsePlatform('bogus', 'amd64'), /"bogus": unknown operating system or architecture: invalid argument/);
});
