import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextRestartDelay, shouldRestart } from './restart-policy.js';

describe('restart policies', () => {
  const exit = (exitCode: number, manuallyStopped = false, restartCount = 0): { exitCode: number; manuallyStopped: boolean; restartCount: number } =>
    ({ exitCode, manuallyStopped, restartCount });

  it('no never restarts; always always does, even after a manual stop (that is for daemon restarts)', () => {
    assert.equal(shouldRestart({ name: 'no', maximumRetryCount: 0 }, exit(1)), false);
    assert.equal(shouldRestart({ name: 'always', maximumRetryCount: 0 }, exit(0)), true);
    assert.equal(shouldRestart({ name: 'always', maximumRetryCount: 0 }, exit(137, true)), true);
  });

  it('unless-stopped restarts unless someone stopped it', () => {
    assert.equal(shouldRestart({ name: 'unless-stopped', maximumRetryCount: 0 }, exit(0)), true);
    assert.equal(shouldRestart({ name: 'unless-stopped', maximumRetryCount: 0 }, exit(0, true)), false);
  });

  it('on-failure restarts on a non-zero exit, up to the maximum when there is one', () => {
    const p = { name: 'on-failure' as const, maximumRetryCount: 2 };
    assert.equal(shouldRestart(p, exit(0)), false);
    assert.equal(shouldRestart(p, exit(1, false, 0)), true);
    assert.equal(shouldRestart(p, exit(1, false, 1)), true);
    assert.equal(shouldRestart(p, exit(1, false, 2)), false);
    assert.equal(shouldRestart({ name: 'on-failure', maximumRetryCount: 0 }, exit(3, false, 1000)), true);
  });

  it('backs off from 100 ms, doubling up to a minute, and starts over after a 10 s run', () => {
    let d: number | undefined;
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      d = nextRestartDelay(d, 50);
      seen.push(d);
    }
    assert.deepEqual(seen.slice(0, 5), [100, 200, 400, 800, 1600]);
    assert.equal(seen[11], 60_000);
    assert.equal(nextRestartDelay(60_000, 10_000), 100);
  });
});
