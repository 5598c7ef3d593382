import { invalidArgument } from '../engine-error.js';
import { parseGoDuration } from './go-values.js';

/** `until`/`since` filter values: a Unix timestamp, an RFC 3339 date, or a Go duration before now ("24h", "10m"). Milliseconds. */
export function parseTimeFilter(v: string, now = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const d = Date.parse(v);
  if (!Number.isNaN(d)) return d;
  try {
    return now - parseGoDuration(v) / 1e6;
  } catch {
    throw invalidArgument(`failed to parse value as time or duration: "${v}"`);
  }
}
