import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Router } from './router.js';

test('Router.match() extracts parameters and tells a wrong method from an unknown path', () => {
  const r = new Router();
  const h = async (): Promise<void> => undefined;
  r.add('POST', '/containers/{id}/start', h).add('GET', '/images/{name*}/json', h);
  const m = r.match('POST', '/containers/abc/start');
  assert.ok('handler' in m);
  assert.deepEqual('params' in m ? m.params : undefined, { id: 'abc' });
  const img = r.match('GET', '/images/localhost:5000/app:1/json');
  assert.deepEqual('params' in img ? img.params : undefined, { name: 'localhost:5000/app:1' });
  assert.deepEqual(r.match('GET', '/containers/abc/start'), { methodMismatch: true });
  assert.deepEqual(r.match('GET', '/nothing'), { methodMismatch: false });
});
