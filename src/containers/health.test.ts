import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HealthConfig, HealthProbeResult } from './container.js';
import { applyProbe, healthFromImage, initialHealth, isActive, mergeHealth, nextProbeDelayMs, probeCommand, truncateOutput } from './health.js';

const check = (over: Partial<HealthConfig> = {}): HealthConfig =>
  ({ test: ['CMD-SHELL', 'true'], interval: 0, timeout: 0, startPeriod: 0, startInterval: 0, retries: 0, ...over });
const probe = (exitCode: number): HealthProbeResult => ({ start: 's', end: 'e', exitCode, output: '' });

describe('health checks', () => {
  it('merges the container\'s check over the image\'s field by field; NONE and empty tests check nothing', () => {
    const image = healthFromImage({ Test: ['CMD', 'probe'], Interval: 5e9, Retries: 7 });
    const merged = mergeHealth(check({ test: [], timeout: 2e9 }), image);
    assert.deepEqual(merged, { test: ['CMD', 'probe'], interval: 5e9, timeout: 2e9, startPeriod: 0, startInterval: 0, retries: 7 });
    assert.equal(isActive(mergeHealth(check({ test: ['NONE'] }), image)), false);
    assert.equal(isActive(mergeHealth(undefined, undefined)), false);
    assert.equal(isActive(mergeHealth(undefined, image)), true);
  });

  it('runs CMD-SHELL through the shell and CMD as is', () => {
    assert.deepEqual(probeCommand(check({ test: ['CMD-SHELL', 'curl -f localhost || exit 1'] })), ['/bin/sh', '-c', 'curl -f localhost || exit 1']);
    assert.deepEqual(probeCommand(check({ test: ['CMD', 'pg_isready', '-U', 'app'] })), ['pg_isready', '-U', 'app']);
  });

  it('probes every interval (30 s by default), every start interval (5 s) inside the start period', () => {
    assert.equal(nextProbeDelayMs(check(), 0, 1000), 30_000);
    assert.equal(nextProbeDelayMs(check({ interval: 2e9 }), 0, 1000), 2000);
    assert.equal(nextProbeDelayMs(check({ startPeriod: 60e9 }), 0, 1000), 5000);
    assert.equal(nextProbeDelayMs(check({ startPeriod: 60e9, startInterval: 1e9 }), 0, 1000), 1000);
    assert.equal(nextProbeDelayMs(check({ startPeriod: 1e9, interval: 3e9 }), 0, 2000), 3000);
  });

  it('becomes healthy on a success, unhealthy after `retries` failures in a row', () => {
    const h = check({ retries: 2 });
    let s = initialHealth(undefined);
    s = applyProbe(h, s, probe(1), 0, 1);
    assert.deepEqual([s.status, s.failingStreak], ['starting', 1]);
    s = applyProbe(h, s, probe(1), 0, 2);
    assert.deepEqual([s.status, s.failingStreak], ['unhealthy', 2]);
    s = applyProbe(h, s, probe(0), 0, 3);
    assert.deepEqual([s.status, s.failingStreak], ['healthy', 0]);
  });

  it('does not count failures while starting inside the start period', () => {
    const h = check({ retries: 1, startPeriod: 10e9 });
    let s = applyProbe(h, initialHealth(undefined), probe(1), 0, 5000);
    assert.deepEqual([s.status, s.failingStreak], ['starting', 0]);
    s = applyProbe(h, s, probe(1), 0, 11_000);
    assert.deepEqual([s.status, s.failingStreak], ['unhealthy', 1]);
  });

  it('keeps the last five probes and 4 KiB of output', () => {
    let s = initialHealth(undefined);
    for (let i = 0; i < 8; i++) s = applyProbe(check(), s, { ...probe(0), output: String(i) }, 0, i);
    assert.deepEqual(s.log.map((l) => l.output), ['3', '4', '5', '6', '7']);
    assert.equal(Buffer.byteLength(truncateOutput('x'.repeat(10_000))), 4096);
  });
});
