/**
 * Human-readable durations and sizes, producing exactly the text of github.com/docker/go-units,
 * so tables read the same as the docker CLI's. A leaf module: both api/ and cli/ may import it.
 */

// ---------------------------------------------------------------------------------------------
// Durations

/** go-units HumanDuration: "Less than a second", "About a minute", "3 weeks", "2 years". */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (!(seconds >= 1)) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  // Hours are rounded to the nearest hour; everything after counts whole hours.
  const hours = Math.trunc(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}

/** "2 minutes ago", as in the CREATED columns of `docker ps` and `docker images`. */
export function timeAgo(date: Date, now: Date): string {
  return `${humanDuration(now.getTime() - date.getTime())} ago`;
}

// ---------------------------------------------------------------------------------------------
// Sizes

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'] as const;
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] as const;

/**
 * go-units HumanSize: decimal units, 4 significant digits ("1.235MB", "4.1kB", "0B").
 * The docker CLI's `images`, `ps --size` and `stats` I/O columns use precision 3 instead:
 * humanSizeWithPrecision(size, 3).
 */
export function humanSize(size: number): string {
  return humanSizeWithPrecision(size, 4);
}

/** go-units HumanSizeWithPrecision: `%.<precision>g` of the size in decimal units. */
export function humanSizeWithPrecision(size: number, precision: number): string {
  const [value, unit] = scaleSize(size, 1000, DECIMAL_UNITS);
  return formatG(value, precision) + unit;
}

/** go-units BytesSize: binary units, 4 significant digits ("1.5GiB", "512KiB"). */
export function bytesSize(size: number): string {
  const [value, unit] = scaleSize(size, 1024, BINARY_UNITS);
  return formatG(value, 4) + unit;
}

function scaleSize(size: number, base: number, units: readonly string[]): [number, string] {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return [size, units[i] ?? ''];
}

/**
 * Go's fmt `%.<precision>g`: round half to even on the exact decimal value of the double,
 * exponent form when the exponent is < -4 or >= precision, trailing zeros removed.
 */
export function formatG(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const { digits, point } = roundHalfEven(exactDecimal(Math.abs(x)), Math.max(precision, 1));
  const exponent = point - 1;
  if (exponent < -4 || exponent >= Math.max(precision, 1)) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expDigits = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${expDigits}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A positive number as 0.<digits> × 10^point, digits without trailing zeros. */
interface Decimal {
  readonly digits: string;
  readonly point: number;
}

/** The exact decimal expansion of a positive finite double. */
function exactDecimal(x: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  const biasedExponent = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let exponent = -1074;
  if (biasedExponent !== 0) {
    mantissa |= 1n << 52n;
    exponent = biasedExponent - 1075;
  }
  // x = mantissa × 2^exponent; for negative exponents, m / 2^k = m × 5^k / 10^k.
  let digits: string;
  let point: number;
  if (exponent >= 0) {
    digits = (mantissa << BigInt(exponent)).toString();
    point = digits.length;
  } else {
    digits = (mantissa * 5n ** BigInt(-exponent)).toString();
    point = digits.length + exponent;
  }
  return { digits: digits.replace(/0+$/, ''), point };
}

function roundHalfEven(d: Decimal, precision: number): Decimal {
  if (d.digits.length <= precision) return d;
  const next = d.digits.charCodeAt(precision) - 48;
  const exactlyHalf = next === 5 && d.digits.length === precision + 1;
  const lastKept = d.digits.charCodeAt(precision - 1) - 48;
  const roundUp = next > 5 || (next === 5 && (!exactlyHalf || lastKept % 2 === 1));
  let kept = d.digits.slice(0, precision);
  let point = d.point;
  if (roundUp) {
    const incremented = (BigInt(kept) + 1n).toString();
    if (incremented.length > kept.length) point++;
    kept = incremented;
  }
  return { digits: kept.replace(/0+$/, '') || '0', point };
}

/** Thrown by parseBytes() and parseHumanSize(), with go-units' message. */
export class InvalidSizeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSizeError';
  }
}

const BINARY_MULTIPLIERS: ReadonlyMap<string, number> = new Map([
  ['k', 1024], ['m', 1024 ** 2], ['g', 1024 ** 3], ['t', 1024 ** 4], ['p', 1024 ** 5],
]);
const DECIMAL_MULTIPLIERS: ReadonlyMap<string, number> = new Map([
  ['k', 1e3], ['m', 1e6], ['g', 1e9], ['t', 1e12], ['p', 1e15],
]);

/**
 * go-units RAMInBytes, used for --memory, --shm-size and the like: "512m", "1g", "1.5GiB",
 * "100 kb", "1024" (binary multiples, result truncated to an integer).
 */
export function parseBytes(s: string): number {
  return parseSize(s, BINARY_MULTIPLIERS);
}

/** go-units FromHumanSize: like parseBytes() but with decimal multiples ("1kB" = 1000). */
export function parseHumanSize(s: string): number {
  return parseSize(s, DECIMAL_MULTIPLIERS);
}

function parseSize(s: string, multipliers: ReadonlyMap<string, number>): number {
  // The number ends at the last digit, "." or space; a space separates it from the suffix.
  let sep = -1;
  for (let i = s.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(s.charAt(i))) {
      sep = i;
      break;
    }
  }
  if (sep === -1) throw new InvalidSizeError(`invalid size: '${s}'`);
  const num = s.charAt(sep) === ' ' ? s.slice(0, sep) : s.slice(0, sep + 1);
  let suffix = s.slice(sep + 1);
  const size = parseGoFloat(num);
  if (size < 0) throw new InvalidSizeError(`invalid size: '${s}'`);
  if (suffix === '') return toInt(size);

  const badSuffix = (): InvalidSizeError => new InvalidSizeError(`invalid suffix: '${suffix}'`);
  if (suffix.length > 3) throw badSuffix();
  suffix = suffix.toLowerCase();
  if (suffix.startsWith('b')) {
    if (suffix.length > 1) throw badSuffix();
    return toInt(size);
  }
  const multiplier = multipliers.get(suffix.charAt(0));
  if (multiplier === undefined) throw badSuffix();
  // The unit letter may be followed by "b" or "ib" ("kb", "KiB").
  if (suffix.length === 2 && suffix.charAt(1) !== 'b') throw badSuffix();
  if (suffix.length === 3 && suffix.slice(1) !== 'ib') throw badSuffix();
  return toInt(size * multiplier);
}

/** Go's int64(f) for the values that fit (no -0). */
function toInt(f: number): number {
  return Math.trunc(f) + 0;
}

/** strconv.ParseFloat for decimal notation, with Go's error text. */
function parseGoFloat(num: string): number {
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(num)) {
    throw new InvalidSizeError(`strconv.ParseFloat: parsing ${goQuote(num)}: invalid syntax`);
  }
  const value = Number(num);
  if (!Number.isFinite(value)) {
    throw new InvalidSizeError(`strconv.ParseFloat: parsing ${goQuote(num)}: value out of range`);
  }
  return value;
}

const GO_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\x07', '\\a'], ['\b', '\\b'], ['\f', '\\f'], ['\n', '\\n'], ['\r', '\\r'], ['\t', '\\t'],
  ['\v', '\\v'], ['"', '\\"'], ['\\', '\\\\'],
]);

/** Go's %q (strconv.Quote) for the strings that reach it here. */
function goQuote(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    const escaped = GO_ESCAPES.get(ch);
    if (escaped !== undefined) out += escaped;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `"${out}"`;
}
