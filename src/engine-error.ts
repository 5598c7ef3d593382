/**
 * Errors thrown by the engine. The engine names the kind of failure; only api/
 * decides which HTTP status that becomes (see api/error-status.ts).
 */
export type ErrorKind =
  | 'not-found'
  | 'invalid-argument'
  | 'conflict'
  | 'not-modified'
  | 'unauthorized'
  | 'forbidden'
  | 'unavailable'
  | 'not-implemented'
  | 'internal';

export class EngineError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = 'EngineError';
  }
}

export const notFound = (message: string, cause?: unknown): EngineError =>
  new EngineError('not-found', message, { cause });
export const invalidArgument = (message: string, cause?: unknown): EngineError =>
  new EngineError('invalid-argument', message, { cause });
export const conflict = (message: string, cause?: unknown): EngineError =>
  new EngineError('conflict', message, { cause });
export const notModified = (message = ''): EngineError => new EngineError('not-modified', message);
export const notImplemented = (message: string): EngineError => new EngineError('not-implemented', message);
export const internal = (message: string, cause?: unknown): EngineError =>
  new EngineError('internal', message, { cause });

export function isEngineError(e: unknown, kind?: ErrorKind): e is EngineError {
  return e instanceof EngineError && (kind === undefined || e.kind === kind);
}

/** errno code of a Node system error, or undefined. */
export function errnoCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = (e as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
