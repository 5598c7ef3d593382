const POWERS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** A size as compose reads it (docker's RAMInBytes): a number of bytes, or `512m`, `1.5g`, `100kb`. */
export function parseByteSize(v: unknown): number {
  if (typeof v === 'number') return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgtp]?)(?:i?b)?\s*$/i.exec(String(v));
  if (m === null) throw new Error(`invalid size: '${String(v)}'`);
  return Math.floor(Number(m[1]) * (POWERS[(m[2] ?? '').toLowerCase()] ?? 1));
}
