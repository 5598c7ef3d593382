import type { RestartPolicy } from './container.js';

/** Docker's restart back-off: 100 ms, doubling, at most a minute; back to the start after a run of 10 s. */
export const FIRST_RESTART_DELAY_MS = 100;
export const MAX_RESTART_DELAY_MS = 60_000;
const RESET_AFTER_RUNNING_MS = 10_000;

/**
 * Whether a container that stopped should start again. `manuallyStopped`:
 * someone stopped or killed it (an `always` container still comes back, an
 * `unless-stopped` one does not). `restartCount` counts the policy's restarts.
 */
export function shouldRestart(policy: RestartPolicy, exit: { exitCode: number; manuallyStopped: boolean; restartCount: number }): boolean {
  switch (policy.name) {
    case 'always':
      return true;
    case 'unless-stopped':
      return !exit.manuallyStopped;
    case 'on-failure':
      return exit.exitCode !== 0 && (policy.maximumRetryCount === 0 || exit.restartCount < policy.maximumRetryCount);
    default:
      return false;
  }
}

/** The wait before the next restart, given the previous wait (if any) and how long the container ran. */
export function nextRestartDelay(previousMs: number | undefined, ranForMs: number): number {
  if (previousMs === undefined || ranForMs >= RESET_AFTER_RUNNING_MS) return FIRST_RESTART_DELAY_MS;
  return Math.min(previousMs * 2, MAX_RESTART_DELAY_MS);
}
