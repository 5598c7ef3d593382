import { EngineError, type ErrorKind } from '../engine-error.js';

/** An error a registry answered with, worded as Docker's errcode does ("manifest unknown: manifest unknown"). */
export class RegistryError extends EngineError {
  constructor(
    kind: ErrorKind,
    message: string,
    readonly status: number,
    /** The first distribution error code ("MANIFEST_UNKNOWN"), if any. */
    readonly code: string | undefined,
  ) {
    super(kind, message);
    this.name = 'RegistryError';
  }
}

/** Reads a registry's error body (`{"errors":[{"code","message"}]}`) into a RegistryError. */
export function registryError(status: number, body: string, what: string): RegistryError {
  let code: string | undefined;
  let text = '';
  try {
    const v = JSON.parse(body) as { errors?: Array<{ code?: unknown; message?: unknown }> };
    if (Array.isArray(v.errors) && v.errors.length > 0) {
      code = typeof v.errors[0]?.code === 'string' ? v.errors[0].code : undefined;
      text = v.errors.map((e) => {
        const c = typeof e.code === 'string' ? e.code.toLowerCase().replace(/_/g, ' ') : 'unknown';
        const m = typeof e.message === 'string' && e.message !== '' ? e.message : c;
        return `${c}: ${m}`;
      }).join(', ');
    }
  } catch {
    // not JSON
  }
  if (text === '') {
    const statusText: Record<number, string> = { 401: 'unauthorized: authentication required', 403: 'denied: requested access to the resource is denied', 404: 'not found', 429: 'toomanyrequests: too many requests' };
    text = statusText[status] ?? `unexpected status from ${what}: ${status}`;
  }
  const kind: ErrorKind = status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not-found'
    : status === 400 ? 'invalid-argument' : status === 429 || status >= 500 ? 'unavailable' : 'internal';
  return new RegistryError(kind, text, status, code);
}
