import type { ErrorKind } from '../engine-error.js';

/** The one map from the engine's error kinds to HTTP statuses. */
export const ERROR_STATUS: Readonly<Record<ErrorKind, number>> = {
  'not-found': 404,
  'invalid-argument': 400,
  conflict: 409,
  'not-modified': 304,
  unauthorized: 401,
  forbidden: 403,
  unavailable: 503,
  'not-implemented': 501,
  internal: 500,
};
