import type { HealthConfig, HealthProbeResult, HealthState, HealthStatus } from './container.js';

/** Docker's defaults and limits for health checks. */
export const DEFAULT_INTERVAL_NS = 30e9;
export const DEFAULT_TIMEOUT_NS = 30e9;
export const DEFAULT_START_INTERVAL_NS = 5e9;
export const DEFAULT_RETRIES = 3;
export const MAX_LOG_ENTRIES = 5;
export const MAX_OUTPUT_BYTES = 4096;

/** The image's HEALTHCHECK (its config blob's shape), if it is a usable one. */
export function healthFromImage(raw: unknown): HealthConfig | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const h = raw as Record<string, unknown>;
  const num = (k: string): number => (typeof h[k] === 'number' ? h[k] : 0);
  const test = Array.isArray(h['Test']) ? (h['Test'] as unknown[]).filter((t): t is string => typeof t === 'string') : [];
  return {
    test, interval: num('Interval'), timeout: num('Timeout'), startPeriod: num('StartPeriod'),
    startInterval: num('StartInterval'), retries: num('Retries'),
  };
}

/**
 * Docker's merge of the container's health check with the image's: fields the
 * container leaves empty (or zero) come from the image. Undefined when the
 * result checks nothing (no test, or `NONE`).
 */
export function mergeHealth(user: HealthConfig | undefined, image: HealthConfig | undefined): HealthConfig | undefined {
  let merged: HealthConfig | undefined;
  if (user === undefined) merged = image;
  else if (image === undefined) merged = user;
  else {
    merged = {
      test: user.test.length > 0 ? user.test : image.test,
      interval: user.interval || image.interval,
      timeout: user.timeout || image.timeout,
      startPeriod: user.startPeriod || image.startPeriod,
      startInterval: user.startInterval || image.startInterval,
      retries: user.retries || image.retries,
    };
  }
  return merged;
}

/** Whether a (merged) health check runs probes at all. */
export function isActive(h: HealthConfig | undefined): h is HealthConfig {
  return h !== undefined && h.test.length > 0 && h.test[0] !== 'NONE';
}

/** The command a probe runs: `CMD-SHELL x` through the shell, `CMD a b` as is. */
export function probeCommand(h: HealthConfig, shell: readonly string[] = ['/bin/sh', '-c']): string[] {
  const [kind = '', ...rest] = h.test;
  if (kind === 'CMD-SHELL') return [...shell, rest.join(' ')];
  if (kind === 'CMD') return rest;
  // Docker stores a bare command list too; treat it as CMD.
  return [...h.test];
}

/** How long to wait before the next probe: the start interval inside the start period, else the interval. */
export function nextProbeDelayMs(h: HealthConfig, startedAtMs: number, nowMs: number): number {
  const startPeriodMs = h.startPeriod / 1e6;
  const inStartPeriod = startPeriodMs > 0 && nowMs - startedAtMs < startPeriodMs;
  const ns = inStartPeriod ? h.startInterval || DEFAULT_START_INTERVAL_NS : h.interval || DEFAULT_INTERVAL_NS;
  return ns / 1e6;
}

export function probeTimeoutMs(h: HealthConfig): number {
  return (h.timeout || DEFAULT_TIMEOUT_NS) / 1e6;
}

export function initialHealth(previous: HealthState | undefined): HealthState {
  return { status: 'starting', failingStreak: 0, log: previous?.log ?? [] };
}

/**
 * Docker's handling of one probe's result: success makes the container healthy;
 * failures count towards `retries` (not during the start period while it is
 * still starting) and then make it unhealthy.
 */
export function applyProbe(
  h: HealthConfig, state: HealthState, result: HealthProbeResult, startedAtMs: number, nowMs: number,
): HealthState {
  const log = [...state.log, result].slice(-MAX_LOG_ENTRIES);
  if (result.exitCode === 0) return { status: 'healthy', failingStreak: 0, log };
  const startPeriodMs = h.startPeriod / 1e6;
  if (state.status === 'starting' && startPeriodMs > 0 && nowMs - startedAtMs < startPeriodMs) {
    return { ...state, log };
  }
  const failingStreak = state.failingStreak + 1;
  const status: HealthStatus = failingStreak >= (h.retries || DEFAULT_RETRIES) ? 'unhealthy' : state.status;
  return { status, failingStreak, log };
}

/** Output as Docker keeps it: at most 4 KiB. */
export function truncateOutput(s: string): string {
  const b = Buffer.from(s);
  return b.length <= MAX_OUTPUT_BYTES ? s : b.subarray(0, MAX_OUTPUT_BYTES).toString();
}
