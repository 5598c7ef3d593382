import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate } from '../format/go-template.js';
import { eventTemplateData, formatNanoTime, parseEventLine, prettyEvent } from './event-line.js';

const LINE = '{"status":"die","id":"abc","from":"busybox","Type":"container","Action":"die","Actor":{"ID":"abc","Attributes":{"name":"w1","exitCode":"0","image":"busybox"}},"scope":"local","time":1795551161,"timeNano":1795551161000000007}';

describe('event lines', () => {
  it('prettyEvent() prints docker\'s default line: nine decimals, attributes in key order', () => {
    assert.equal(prettyEvent(parseEventLine(LINE), 0),
      '2026-11-24T20:12:41.000000007Z container die abc (exitCode=0, image=busybox, name=w1)\n');
  });
  it('formatNanoTime() writes the local zone as an offset', () => {
    assert.equal(formatNanoTime(1795551161123456789n, 60), '2026-11-24T21:12:41.123456789+01:00');
    assert.equal(formatNanoTime(1795551161123456789n, -330), '2026-11-24T14:42:41.123456789-05:30');
  });
  it('templates see Go field names and `json` gives the wire names with exact timeNano', () => {
    const data = eventTemplateData(parseEventLine(LINE));
    assert.equal(parseTemplate('{{.Status}} {{.ID}} {{.From}} {{.Scope}} {{.TimeNano}} {{.Actor.Attributes.name}}').execute(data),
      'die abc busybox local 1795551161000000007 w1');
    assert.equal(parseTemplate('{{json .}}').execute(data),
      '{"status":"die","id":"abc","from":"busybox","Type":"container","Action":"die","Actor":{"ID":"abc","Attributes":{"exitCode":"0","image":"busybox","name":"w1"}},"scope":"local","time":1795551161,"timeNano":1795551161000000007}');
  });
});
