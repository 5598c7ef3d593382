import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAnyReference, familiarName, fullName, imagePath, parseNormalizedNamed, truncateId } from './image-reference.js';

test('parseNormalizedNamed() adds docker.io/library to short names', () => {
  const ref = parseNormalizedNamed('busybox:1');
  assert.deepEqual(ref, { domain: 'docker.io', path: 'library/busybox', tag: '1' });
  assert.equal(fullName(ref), 'docker.io/library/busybox');
  assert.equal(familiarName(ref), 'busybox');
});

test('parseNormalizedNamed() keeps a registry host and its port', () => {
  const ref = parseNormalizedNamed('localhost:5000/x/y:1');
  assert.equal(familiarName(ref), 'localhost:5000/x/y');
  assert.equal(ref.tag, '1');
});

test("parseNormalizedNamed() rejects names with docker's texts", () => {
  assert.throws(() => parseNormalizedNamed('UPPER'), { message: 'invalid reference format: repository name (library/UPPER) must be lowercase' });
  assert.throws(() => parseNormalizedNamed('a b'), { message: 'invalid reference format' });
  assert.throws(() => parseNormalizedNamed('x:bad:tag'), { message: 'invalid reference format' });
  assert.throws(() => parseNormalizedNamed('a'.repeat(64).replace(/a/g, 'f')), /cannot specify 64-byte hexadecimal strings/);
});

test('checkAnyReference() accepts image IDs and digests', () => {
  checkAnyReference('f'.repeat(64));
  checkAnyReference(`sha256:${'f'.repeat(64)}`);
  checkAnyReference('sha256:abc'); // a name ("sha256") with a tag
  assert.throws(() => checkAnyReference('a b'), { message: 'invalid reference format' });
});

test('imagePath() escapes like a Go URL path but keeps "/", ":" and "@"', () => {
  assert.equal(imagePath('localhost:5000/a/b:1'), 'localhost:5000/a/b:1');
  assert.equal(imagePath('x?y #'), 'x%3Fy%20%23');
});

test('truncateId() drops the algorithm and keeps 12 hex digits', () => {
  assert.equal(truncateId(`sha256:${'0123456789ab'.repeat(5)}`), '0123456789ab');
  assert.equal(truncateId('<missing>'), '<missing>');
});
