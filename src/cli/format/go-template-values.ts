/**
 * How JSON-like JS values stand in for Go values in templates:
 *
 * | JS value             | Go value it plays             |
 * |----------------------|-------------------------------|
 * | undefined            | invalid (missing map entry)   |
 * | null                 | nil                           |
 * | string               | string                        |
 * | integral number      | int                           |
 * | other number         | float64                       |
 * | boolean              | bool                          |
 * | array                | []interface {}                |
 * | object               | map[string]interface {}       |
 * | function             | func (called like a method)   |
 *
 * Object entries whose value is `undefined` count as absent, as in JSON.
 */

export type GoFunction = (...args: unknown[]) => unknown;

export function isGoMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isGoInt(v: unknown): v is number | bigint {
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
}

export function isGoFunction(v: unknown): v is GoFunction {
  return typeof v === 'function';
}

/** Entries of a map-like object, present values only, in insertion order. */
export function mapEntries(m: Record<string, unknown>): [string, unknown][] {
  return Object.entries(m).filter(([, v]) => v !== undefined);
}

/** Entries sorted by key, as Go's fmt and range order map keys. */
export function sortedMapEntries(m: Record<string, unknown>): [string, unknown][] {
  return mapEntries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Go's type name for a value, as shown in `%!d(string=x)` and `%T`. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float64';
    case 'function':
      return 'func(...interface {}) interface {}';
    default:
      return 'map[string]interface {}';
  }
}

/** Go's notion of truth for if/with/and/or/not: false for zero values and empty collections. */
export function isTrue(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  switch (typeof v) {
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0 && !Number.isNaN(v);
    case 'bigint':
      return v !== 0n;
    case 'boolean':
      return v;
    case 'function':
      return true;
    default:
      return isGoMap(v) && mapEntries(v).length > 0;
  }
}

/** Length in bytes of the UTF-8 encoding, which is what Go's len() counts for strings. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
