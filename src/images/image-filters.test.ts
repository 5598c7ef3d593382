import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchReference } from './image-filters.js';

test('matchReference() matches names with or without tag, and registry ports are not tags', () => {
  assert.equal(matchReference('busybox', 'busybox:latest'), true);
  assert.equal(matchReference('busybox:latest', 'busybox:latest'), true);
  assert.equal(matchReference('busybox:1', 'busybox:latest'), false);
  assert.equal(matchReference('127.0.0.1:5000/it/busybox', '127.0.0.1:5000/it/busybox:1'), true);
  assert.equal(matchReference('127.0.0.1:5000/it/*', '127.0.0.1:5000/it/busybox:1'), true);
  assert.equal(matchReference('127.0.0.1:5000/it/busybox:2', '127.0.0.1:5000/it/busybox:1'), false);
});
