const UNITS: Readonly<Record<string, number>> = {
  ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9, d: 86400e9, w: 7 * 86400e9,
};

/** Parses a compose duration ("1m30s", "500ms", "2h", "1d") into nanoseconds. */
export function parseComposeDuration(text: string): number {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d|w)/y;
  let total = 0;
  let i = 0;
  const neg = text.startsWith('-');
  if (neg || text.startsWith('+')) i = 1;
  if (i >= text.length) throw new Error(`invalid duration: ${JSON.stringify(text)}`);
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null) throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
    total += Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1);
    i = re.lastIndex;
  }
  return Math.round(neg ? -total : total);
}

/** Nanoseconds as Go's time.Duration.String() prints them: "1m30s", "500ms", "0s". */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let n = Math.abs(ns);
  if (n < 1e9) {
    const [unit, div] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${sign}${trim(n / div)}${unit}`;
  }
  const h = Math.floor(n / 3600e9);
  n -= h * 3600e9;
  const m = Math.floor(n / 60e9);
  n -= m * 60e9;
  const s = trim(n / 1e9);
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}

const trim = (x: number): string => String(Number(x.toFixed(9)));
