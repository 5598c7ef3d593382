import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWwwAuthenticate } from './www-authenticate.js';

test('parseWwwAuthenticate() reads a Bearer challenge with realm, service and scope', () => {
  const c = parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"');
  assert.deepEqual(c, [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:samalba/my-app:pull,push' } }]);
});

test('parseWwwAuthenticate() reads Basic with a realm and unquoted values', () => {
  assert.deepEqual(parseWwwAuthenticate('Basic realm=basic-realm'), [{ scheme: 'basic', params: { realm: 'basic-realm' } }]);
});

test('parseWwwAuthenticate() splits several challenges and keeps escaped quotes', () => {
  const c = parseWwwAuthenticate('Basic realm="a \\"b\\"", Bearer realm="r",error="insufficient_scope"');
  assert.equal(c.length, 2);
  assert.equal(c[0]?.params['realm'], 'a "b"');
  assert.equal(c[1]?.scheme, 'bearer');
  assert.equal(c[1]?.params['error'], 'insufficient_scope');
});

test('parseWwwAuthenticate() gives nothing for an empty or garbage header', () => {
  assert.deepEqual(parseWwwAuthenticate(''), []);
  assert.deepEqual(parseWwwAuthenticate('   ,,, '), []);
});
