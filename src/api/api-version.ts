import { invalidArgument } from '../engine-error.js';

/** The Engine API version berth speaks by default, and the oldest it accepts. */
export const API_VERSION = '1.47';
export const MIN_API_VERSION = '1.24';

export function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am !== bm ? am - bm : an - bn;
}

/** Checks the `/vX.YY` prefix of a request, as dockerd does. */
export function checkRequestedVersion(v: string): void {
  if (compareVersions(v, MIN_API_VERSION) < 0) {
    throw invalidArgument(`client version ${v} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`);
  }
  if (compareVersions(v, API_VERSION) > 0) {
    throw invalidArgument(`client version ${v} is too new. Maximum supported API version is ${API_VERSION}`);
  }
}
