import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTimestamp } from './log-timestamp.js';

const now = new Date('2024-05-06T07:08:09.500Z');
const withUtc = <T>(fn: () => T): T => {
  const saved = process.env['TZ'];
  process.env['TZ'] = 'UTC';
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
  }
};

test('getTimestamp() turns a duration into Unix seconds that long before now', () => {
  assert.equal(getTimestamp('10m', now), String(Math.floor(now.getTime() / 1000) - 600));
  assert.equal(getTimestamp('-1h', now), String(Math.floor(now.getTime() / 1000) + 3600));
});

test('getTimestamp() passes Unix timestamps on and parses RFC 3339 times', () => {
  assert.equal(getTimestamp('0', now), '0');
  assert.equal(getTimestamp('1700000000.5', now), '1700000000.5');
  assert.equal(getTimestamp('2020-01-01T10:00:00Z', now), '1577872800.000000000');
  assert.equal(getTimestamp('2020-01-01T10:00:00.25+01:00', now), '1577869200.250000000');
  assert.equal(getTimestamp('2020-01-01Z', now), '1577836800.000000000');
  withUtc(() => assert.equal(getTimestamp('2020-01-01', now), '1577836800.000000000'));
});

test("getTimestamp() fails with docker's and Go's messages", () => {
  assert.throws(() => getTimestamp('12ab', now), { message: 'failed to parse value as time or duration: "12ab"' });
  assert.throws(() => getTimestamp('2020-13-01', now), { message: 'parsing time "2020-13-01": month out of range' });
  assert.throws(() => getTimestamp('2020-02-30', now), { message: 'parsing time "2020-02-30": day out of range' });
  assert.throws(() => getTimestamp('2020-01-01T10:99', now), { message: 'parsing time "2020-01-01T10:99": minute out of range' });
  assert.throws(() => getTimestamp('2020-1-01', now), {
    message: 'parsing time "2020-1-01" as "2006-01-02": cannot parse "1-01" as "01"',
  });
  assert.throws(() => getTimestamp('2020-01-01x', now), { message: 'parsing time "2020-01-01x": extra text: "x"' });
});
