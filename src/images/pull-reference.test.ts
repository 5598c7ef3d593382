import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pullReference } from './image-service.js';

test('pullReference() adds latest, applies a tag or a digest from the tag parameter', () => {
  assert.deepEqual(pullReference('busybox', undefined), { domain: 'docker.io', path: 'library/busybox', tag: 'latest' });
  assert.deepEqual(pullReference('localhost:5000/app', '1.2'), { domain: 'localhost:5000', path: 'app', tag: '1.2' });
  const digest = `sha256:${'a'.repeat(64)}`;
  assert.deepEqual(pullReference('app', digest), { domain: 'docker.io', path: 'library/app', digest });
  assert.deepEqual(pullReference('app:old', 'new'), { domain: 'docker.io', path: 'library/app', tag: 'new' });
  assert.throws(() => pullReference('app', 'bad tag'), /invalid tag format/);
  assert.throws(() => pullReference('App', undefined), /must be lowercase/);
});
