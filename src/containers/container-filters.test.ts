import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchContainer, validateContainerFilters } from './container-filters.js';
import { parseTimeFilter } from '../units/time-filter.js';
import type { ContainerRecord } from './container.js';
import { buildContainerConfig } from './container-config.js';
import { initialState } from './container.js';
import { sha256Digest } from '../content/digest.js';

function rec(name: string, status: ContainerRecord['state']['status'], exitCode = 0, labels: Record<string, string> = {}): ContainerRecord {
  const config = buildContainerConfig('b'.repeat(64), '2026-01-01T00:00:00Z', { image: 'busybox', cmd: ['true'], labels }, sha256Digest('i'), {}, 'h');
  return { name, config, state: { ...initialState(), status, exitCode } };
}
const ctx = { hasAncestor: () => false, createdOf: () => undefined };

test('matchContainer() filters by status, exit code, name and label', () => {
  assert.ok(matchContainer(rec('web', 'running'), { status: ['running', 'paused'] }, ctx));
  assert.ok(!matchContainer(rec('web', 'exited', 1), { exited: ['0'] }, ctx));
  assert.ok(matchContainer(rec('web', 'exited', 1), { exited: ['1'] }, ctx));
  assert.ok(matchContainer(rec('my-web', 'created'), { name: ['web'] }, ctx));
  assert.ok(matchContainer(rec('x', 'created', 0, { app: 'a', tier: 'db' }), { label: ['app=a', 'tier'] }, ctx));
  assert.ok(!matchContainer(rec('x', 'created', 0, { app: 'a' }), { label: ['app=b'] }, ctx));
});

test('validateContainerFilters() refuses unknown filters and statuses with Docker\'s wording', () => {
  assert.throws(() => validateContainerFilters({ colour: ['red'] }), /invalid filter 'colour'/);
  assert.throws(() => validateContainerFilters({ status: ['sleeping'] }), /invalid filter 'status=sleeping'/);
});

test('parseTimeFilter() reads timestamps and durations', () => {
  assert.equal(parseTimeFilter('1700000000'), 1_700_000_000_000);
  assert.equal(parseTimeFilter('1h30m', 10_000_000), 10_000_000 - 5_400_000);
  assert.throws(() => parseTimeFilter('yesterday'), /failed to parse/);
});
