/**
 * A container's status text, exactly as Docker's container State.String() produces it for the
 * Status field of GET /containers/json and the STATUS column of `docker ps`.
 */

import { humanDuration } from '../../units/human-units.js';

export type ContainerStatus =
  | 'created'
  | 'running'
  | 'paused'
  | 'restarting'
  | 'removing'
  | 'exited'
  | 'dead';

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

/**
 * The parts of a container's state that its status text depends on. As in Docker, `running`
 * stays true while the container is paused or restarting. A time that is missing, null,
 * invalid or Go's zero time ("0001-01-01T00:00:00Z") means "never".
 */
export interface ContainerStatusInput {
  readonly status: ContainerStatus;
  readonly running: boolean;
  readonly paused: boolean;
  readonly restarting: boolean;
  readonly exitCode: number;
  readonly startedAt?: Date | string | null;
  readonly finishedAt?: Date | string | null;
  readonly health?: HealthStatus;
}

/** Go's zero time.Time, 0001-01-01T00:00:00Z, which Docker reports for "never". */
const GO_ZERO_TIME_MS = -62_135_596_800_000;

function timeMs(t: Date | string | null | undefined): number | undefined {
  if (t === null || t === undefined) return undefined;
  const ms = typeof t === 'string' ? Date.parse(t) : t.getTime();
  return Number.isNaN(ms) || ms <= GO_ZERO_TIME_MS ? undefined : ms;
}

/**
 * The STATUS column of `docker ps` (Docker's State.String()): "Up 3 seconds",
 * "Up 2 minutes (Paused)", "Up 1 hour (healthy)", "Exited (0) 5 seconds ago", "Created",
 * "Restarting (1) 2 seconds ago", "Dead", "Removal In Progress".
 */
export function containerStatusText(state: ContainerStatusInput, now: Date): string {
  const started = timeMs(state.startedAt);
  const finished = timeMs(state.finishedAt);
  const since = (t: number | undefined): string => humanDuration(now.getTime() - (t ?? GO_ZERO_TIME_MS));
  if (state.running) {
    if (state.paused) return `Up ${since(started)} (Paused)`;
    if (state.restarting) return `Restarting (${state.exitCode}) ${since(finished)} ago`;
    if (state.health !== undefined) {
      const health = state.health === 'starting' ? 'health: starting' : state.health;
      return `Up ${since(started)} (${health})`;
    }
    return `Up ${since(started)}`;
  }
  if (state.status === 'removing') return 'Removal In Progress';
  if (state.status === 'dead') return 'Dead';
  if (started === undefined) return 'Created';
  if (finished === undefined) return '';
  return `Exited (${state.exitCode}) ${since(finished)} ago`;
}
