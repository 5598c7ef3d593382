import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InvalidReferenceError,
  familiarName,
  familiarString,
  fullName,
  isFullImageId,
  looksLikeIdPrefix,
  normalizeReference,
  parseAnyReference,
  parseReference,
  referenceString,
  withDefaultTag,
  withTag,
} from './image-reference.js';
import { isEngineError } from '../engine-error.js';

const HEX = 'a'.repeat(56) + '01234567';
const DIGEST = `sha256:${HEX}`;

test('parseReference() adds docker.io/library to short names', () => {
  assert.deepEqual(parseReference('busybox'), { domain: 'docker.io', path: 'library/busybox' });
  assert.deepEqual(parseReference('busybox:1.36'), {
    domain: 'docker.io',
    path: 'library/busybox',
    tag: '1.36',
  });
});

test('parseReference() adds only docker.io to names with a namespace', () => {
  assert.deepEqual(parseReference('user/app'), { domain: 'docker.io', path: 'user/app' });
  assert.deepEqual(parseReference('user/team/app:v1'), {
    domain: 'docker.io',
    path: 'user/team/app',
    tag: 'v1',
  });
});

test('parseReference() canonicalizes docker.io and index.docker.io names', () => {
  for (const s of ['docker.io/busybox', 'index.docker.io/busybox', 'docker.io/library/busybox']) {
    assert.deepEqual(parseReference(s), { domain: 'docker.io', path: 'library/busybox' }, s);
  }
  assert.deepEqual(parseReference('index.docker.io/user/app'), { domain: 'docker.io', path: 'user/app' });
});

test('parseReference() treats a first component with ".", ":" or "localhost" as the domain', () => {
  const cases: Array<[string, string, string, string | undefined]> = [
    ['localhost/app', 'localhost', 'app', undefined],
    ['localhost:5000/app:1', 'localhost:5000', 'app', '1'],
    ['example.com/team/app', 'example.com', 'team/app', undefined],
    ['registry:5000/app', 'registry:5000', 'app', undefined],
    ['127.0.0.1:5000/app', '127.0.0.1:5000', 'app', undefined],
    ['[::1]:5000/app:x', '[::1]:5000', 'app', 'x'],
    ['[2001:db8::1]/app', '[2001:db8::1]', 'app', undefined],
    ['Registry/app', 'Registry', 'app', undefined],
  ];
  for (const [s, domain, path, tag] of cases) {
    const ref = parseReference(s);
    assert.equal(ref.domain, domain, s);
    assert.equal(ref.path, path, s);
    assert.equal(ref.tag, tag, s);
  }
});

test('parseReference() keeps an unknown single word as a Docker Hub namespace', () => {
  assert.deepEqual(parseReference('registry/app'), { domain: 'docker.io', path: 'registry/app' });
  // Without a slash, "localhost:5000" is the image "localhost" with tag "5000".
  assert.deepEqual(parseReference('localhost:5000'), {
    domain: 'docker.io',
    path: 'library/localhost',
    tag: '5000',
  });
});

test('parseReference() accepts the separators ".", "_", "__" and runs of "-"', () => {
  for (const s of ['a.b', 'a_b', 'a__b', 'a-b', 'a---b', 'a.b_c__d-e/f-g']) {
    assert.doesNotThrow(() => parseReference(s), s);
  }
  for (const s of ['a..b', 'a___b', 'a-', '-a', '_a', 'a._b', 'a/', '/a', 'a//b']) {
    assert.throws(() => parseReference(s), { message: 'invalid reference format' }, s);
  }
});

test('parseReference() parses tags and digests together', () => {
  assert.deepEqual(parseReference(`busybox@${DIGEST}`), {
    domain: 'docker.io',
    path: 'library/busybox',
    digest: DIGEST,
  });
  assert.deepEqual(parseReference(`localhost:5000/app:1.0@${DIGEST}`), {
    domain: 'localhost:5000',
    path: 'app',
    tag: '1.0',
    digest: DIGEST,
  });
});

test('parseReference() accepts tags up to 128 characters', () => {
  const tag = 'T' + 'a_.-'.repeat(31) + 'abc';
  assert.equal(tag.length, 128);
  assert.equal(parseReference(`app:${tag}`).tag, tag);
  assert.throws(() => parseReference(`app:${tag}x`), { message: 'invalid reference format' });
  assert.throws(() => parseReference('app:.x'), { message: 'invalid reference format' });
  assert.throws(() => parseReference('app:-x'), { message: 'invalid reference format' });
});

test('parseReference() rejects uppercase repository names with Docker\'s message', () => {
  assert.throws(() => parseReference('Busybox'), {
    name: 'InvalidReferenceError',
    message: 'invalid reference format: repository name (library/Busybox) must be lowercase',
  });
  assert.throws(() => parseReference('user/App:1'), {
    message: 'invalid reference format: repository name (user/App) must be lowercase',
  });
  assert.throws(() => parseReference('localhost:5000/App'), {
    message: 'invalid reference format: repository name (App) must be lowercase',
  });
  // Uppercase in a tag is fine.
  assert.equal(parseReference('busybox:Latest').tag, 'Latest');
});

test('parseReference() throws InvalidReferenceError, an invalid-argument EngineError', () => {
  try {
    parseReference('a b');
    assert.fail('expected an error');
  } catch (e: unknown) {
    assert.ok(e instanceof InvalidReferenceError);
    assert.ok(isEngineError(e, 'invalid-argument'));
    assert.equal(e.message, 'invalid reference format');
  }
});

test('parseReference() rejects malformed references with "invalid reference format"', () => {
  for (const s of ['', ':', 'busybox:', 'busybox@', 'busybox:a:b', 'a b', 'app@sha256:abc', 'ünïcode', 'http://x/y']) {
    assert.throws(() => parseReference(s), { message: 'invalid reference format' }, s);
  }
});

test('parseReference() rejects names longer than 255 characters, domain included', () => {
  const path = 'a'.repeat(255 - 'docker.io/library/'.length);
  assert.equal(parseReference(path).path, `library/${path}`);
  assert.throws(() => parseReference(path + 'a'), {
    message: 'repository name must not be more than 255 characters',
  });
});

test('parseReference() refuses 64-hex strings as names', () => {
  assert.throws(() => parseReference(HEX), {
    message: `invalid repository name (${HEX}), cannot specify 64-byte hexadecimal strings`,
  });
  // 63 or 65 hex digits are ordinary names.
  assert.equal(parseReference(HEX.slice(1)).path, `library/${HEX.slice(1)}`);
});

test('parseReference() validates digests like go-digest', () => {
  assert.throws(() => parseReference(`app@sha256:${HEX.slice(1)}`), {
    message: 'invalid checksum digest length',
  });
  assert.throws(() => parseReference(`app@sha256:${HEX.toUpperCase()}`), {
    message: 'invalid checksum digest format',
  });
  assert.throws(() => parseReference(`app@md5:${'0'.repeat(32)}`), {
    message: 'unsupported digest algorithm',
  });
  assert.throws(() => parseReference(`app@constructor:${'0'.repeat(32)}`), {
    message: 'unsupported digest algorithm',
  });
  const sha512 = `sha512:${'0'.repeat(128)}`;
  assert.equal(parseReference(`app@${sha512}`).digest, sha512);
});

test('parseAnyReference() treats 64-hex strings and full digests as image IDs', () => {
  assert.deepEqual(parseAnyReference(HEX), { kind: 'id', id: DIGEST });
  assert.deepEqual(parseAnyReference(DIGEST), { kind: 'id', id: DIGEST });
  assert.deepEqual(parseAnyReference('abc123'), {
    kind: 'named',
    ref: { domain: 'docker.io', path: 'library/abc123' },
  });
  assert.deepEqual(parseAnyReference('sha256:abc'), {
    kind: 'named',
    ref: { domain: 'docker.io', path: 'library/sha256', tag: 'abc' },
  });
});

test('normalizeReference() adds :latest only when there is neither tag nor digest', () => {
  assert.equal(normalizeReference('busybox'), 'docker.io/library/busybox:latest');
  assert.equal(normalizeReference('user/app:1'), 'docker.io/user/app:1');
  assert.equal(normalizeReference(`busybox@${DIGEST}`), `docker.io/library/busybox@${DIGEST}`);
  assert.equal(normalizeReference('localhost:5000/app'), 'localhost:5000/app:latest');
});

test('withDefaultTag() leaves tagged and digested references alone', () => {
  const tagged = parseReference('app:1');
  assert.equal(withDefaultTag(tagged), tagged);
  assert.equal(withDefaultTag(parseReference('app')).tag, 'latest');
});

test('withTag() replaces the tag and rejects invalid tags', () => {
  assert.equal(referenceString(withTag(parseReference('app:1'), 'v2')), 'docker.io/library/app:v2');
  assert.throws(() => withTag(parseReference('app'), '-bad'), { message: 'invalid tag format' });
});

test('fullName() and referenceString() give the fully qualified forms', () => {
  const ref = parseReference(`busybox:1@${DIGEST}`);
  assert.equal(fullName(ref), 'docker.io/library/busybox');
  assert.equal(referenceString(ref), `docker.io/library/busybox:1@${DIGEST}`);
});

test('familiarName() strips docker.io and library/ the way Docker shows names', () => {
  const cases: Array<[string, string]> = [
    ['busybox', 'busybox'],
    ['docker.io/library/busybox', 'busybox'],
    ['user/app', 'user/app'],
    ['docker.io/library/a/b', 'library/a/b'],
    ['localhost:5000/app', 'localhost:5000/app'],
    ['localhost/library/app', 'localhost/library/app'],
    ['example.com/library/app', 'example.com/library/app'],
  ];
  for (const [input, familiar] of cases) {
    assert.equal(familiarName(parseReference(input)), familiar, input);
  }
});

test('familiarString() appends tag and digest to the familiar name', () => {
  assert.equal(familiarString(withDefaultTag(parseReference('busybox'))), 'busybox:latest');
  assert.equal(familiarString(parseReference(`busybox@${DIGEST}`)), `busybox@${DIGEST}`);
  assert.equal(familiarString(parseReference(`busybox:1@${DIGEST}`)), `busybox:1@${DIGEST}`);
  assert.equal(familiarString(parseReference('index.docker.io/user/app:2')), 'user/app:2');
});

test('isFullImageId() accepts 64 hex digits with or without sha256:', () => {
  assert.equal(isFullImageId(HEX), true);
  assert.equal(isFullImageId(DIGEST), true);
  assert.equal(isFullImageId(HEX.slice(1)), false);
  assert.equal(isFullImageId(HEX.toUpperCase()), false);
  assert.equal(isFullImageId(`sha512:${HEX}`), false);
});

test('looksLikeIdPrefix() accepts short lowercase hex, optionally with sha256:', () => {
  assert.equal(looksLikeIdPrefix('abc123'), true);
  assert.equal(looksLikeIdPrefix('sha256:abc'), true);
  assert.equal(looksLikeIdPrefix(HEX), true);
  assert.equal(looksLikeIdPrefix(''), false);
  assert.equal(looksLikeIdPrefix('busybox'), false);
  assert.equal(looksLikeIdPrefix(HEX + 'a'), false);
});
