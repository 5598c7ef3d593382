import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent, EventType } from './event-bus.js';
import { eventMatches } from './event-filter.js';

const ev = (type: EventType, action: string, id: string, attributes: Record<string, string> = {}): EngineEvent =>
  ({ type, action, actor: { id, attributes }, timeNano: 1n });

const start = ev('container', 'start', 'abc123def', { image: 'busybox:latest', name: 'web', 'com.example': 'x' });
const tag = ev('image', 'tag', 'sha256:1111', { name: 'busybox:latest' });
const vol = ev('volume', 'create', 'data', { driver: 'local' });

describe('eventMatches()', () => {
  it('passes everything without filters', () => {
    assert.ok(eventMatches({}, start) && eventMatches({}, tag));
  });
  it('matches type and event exactly, alternatives within a key', () => {
    assert.ok(eventMatches({ type: ['container'] }, start));
    assert.ok(!eventMatches({ type: ['container'] }, tag));
    assert.ok(eventMatches({ event: ['stop', 'start'] }, start));
    assert.ok(!eventMatches({ event: ['sta'] }, start));
  });
  it('matches exec_start and health_status by prefix, since their actions carry the command', () => {
    const exec = ev('container', 'exec_start: sh -c true', 'abc', {});
    assert.ok(eventMatches({ event: ['exec_start'] }, exec));
    assert.ok(!eventMatches({ event: ['exec_create'] }, exec));
    assert.ok(eventMatches({ event: ['health_status'] }, ev('container', 'health_status: healthy', 'abc')));
    assert.ok(eventMatches({ event: ['health_status: healthy'] }, ev('container', 'health_status: healthy', 'abc')));
  });
  it('container= takes the ID, a prefix of it, or the name, and leaves out other objects\' events', () => {
    assert.ok(eventMatches({ container: ['web'] }, start));
    assert.ok(eventMatches({ container: ['abc1'] }, start));
    assert.ok(!eventMatches({ container: ['db'] }, start));
    assert.ok(!eventMatches({ container: ['web'] }, tag));
  });
  it('image= matches container events by their image, with or without tag, and image events by ID or name', () => {
    assert.ok(eventMatches({ image: ['busybox'] }, start));
    assert.ok(eventMatches({ image: ['busybox:latest'] }, start));
    assert.ok(!eventMatches({ image: ['alpine'] }, start));
    assert.ok(eventMatches({ image: ['sha256:1111'] }, tag));
    assert.ok(eventMatches({ image: ['busybox'] }, tag));
    assert.ok(!eventMatches({ image: ['busybox'] }, vol));
  });
  it('label= needs every label, by key or key=value', () => {
    assert.ok(eventMatches({ label: ['com.example'] }, start));
    assert.ok(eventMatches({ label: ['com.example=x'] }, start));
    assert.ok(!eventMatches({ label: ['com.example=y'] }, start));
    assert.ok(!eventMatches({ label: ['com.example', 'other'] }, start));
  });
  it('volume= and network= match names for their own type', () => {
    assert.ok(eventMatches({ volume: ['data'] }, vol));
    assert.ok(!eventMatches({ volume: ['other'] }, vol));
    assert.ok(!eventMatches({ type: ['network'], volume: ['data'] }, vol));
  });
});
