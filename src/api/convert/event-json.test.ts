import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventJson } from './event-json.js';

describe('eventJson()', () => {
  it('writes container events with the legacy fields first and exact nanoseconds', () => {
    const text = eventJson({
      type: 'container', action: 'start', timeNano: 1795551161629286838n,
      actor: { id: 'abc', attributes: { name: 'w1', image: 'busybox', 'a<b': 'x&y' } },
    });
    assert.equal(text, '{"status":"start","id":"abc","from":"busybox","Type":"container","Action":"start",'
      + '"Actor":{"ID":"abc","Attributes":{"a\\u003cb":"x\\u0026y","image":"busybox","name":"w1"}},'
      + '"scope":"local","time":1795551161,"timeNano":1795551161629286838}');
  });
  it('leaves the legacy fields out for networks and volumes, and `from` for images', () => {
    assert.equal(eventJson({ type: 'volume', action: 'create', timeNano: 2_000_000_001n, actor: { id: 'v', attributes: { driver: 'local' } } }),
      '{"Type":"volume","Action":"create","Actor":{"ID":"v","Attributes":{"driver":"local"}},"scope":"local","time":2,"timeNano":2000000001}');
    assert.match(eventJson({ type: 'image', action: 'tag', timeNano: 1n, actor: { id: 'sha256:1', attributes: { name: 'b:1' } } }),
      /^\{"status":"tag","id":"sha256:1","Type":"image"/);
  });
});
