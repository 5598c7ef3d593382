import { constants } from 'node:os';
import { invalidArgument } from '../engine-error.js';

const SIGNALS = constants.signals as Readonly<Record<string, number>>;

/**
 * Parses a signal as Docker accepts it: "SIGTERM", "TERM", "term", "15", or
 * "SIGRTMIN+3". Returns the number.
 */
export function parseSignal(s: string): number {
  const t = s.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n >= 1 && n <= 64) return n;
    throw invalidArgument(`Invalid signal: ${s}`);
  }
  let name = t.toUpperCase();
  if (!name.startsWith('SIG')) name = `SIG${name}`;
  const rt = /^SIGRTM(IN|AX)([+-]\d+)?$/.exec(name);
  if (rt !== null) {
    const base = rt[1] === 'IN' ? 34 : 64;
    const n = base + Number(rt[2] ?? '0');
    if (n >= 34 && n <= 64) return n;
  }
  const n = SIGNALS[name];
  if (n === undefined) throw invalidArgument(`Invalid signal: ${s}`);
  return n;
}

export function signalName(n: number): string {
  const entry = Object.entries(SIGNALS).find(([, v]) => v === n);
  return entry === undefined ? String(n) : entry[0];
}
