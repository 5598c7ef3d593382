/**
 * Go-compatible text and value parsing for command-line flags, producing the docker CLI's
 * (cobra / spf13/pflag) values and error texts byte for byte: Go's %q quoting, strconv ints,
 * floats and bools, time.ParseDuration / Duration.String(), docker's MemBytes sizes and the
 * encoding/csv records of pflag's stringSlice.
 */

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

function escapeRune(ch: string, quote: string): string {
  if (ch === quote || ch === '\\') return `\\${ch}`;
  const cp = ch.codePointAt(0) ?? 0;
  if ((cp >= 0x20 && cp < 0x7f) || (cp > 0x7f && /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch))) {
    return ch;
  }
  const named = GO_ESCAPES[ch];
  if (named !== undefined) return named;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** Go's `%q` for a string: double quotes, backslash escapes for what is not printable. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch, '"');
  return `${out}"`;
}

/** Go's `%q` of one byte, as pflag prints a shorthand: 'x', '\'', and 'Ã' for é's first byte. */
export function quoteShorthandByte(ch: string): string {
  const firstByte = Buffer.from(ch, 'utf8')[0] ?? 0;
  return `'${escapeRune(String.fromCharCode(firstByte), "'")}'`;
}

/** Go number literal rule: `_` only between digits, or right after a 0x/0o/0b prefix. */
function underscoresValid(s: string): boolean {
  let i = s.startsWith('+') || s.startsWith('-') ? 1 : 0;
  let prev: 'start' | 'digit' | 'underscore' | 'other' = 'start';
  let hex = false;
  const prefix = s.slice(i, i + 2).toLowerCase();
  if (prefix === '0x' || prefix === '0o' || prefix === '0b') {
    hex = prefix === '0x';
    prev = 'digit';
    i += 2;
  }
  for (; i < s.length; i++) {
    const c = s.charAt(i);
    if ((c >= '0' && c <= '9') || (hex && /^[a-fA-F]$/.test(c))) {
      prev = 'digit';
    } else if (c === '_') {
      if (prev !== 'digit') return false;
      prev = 'underscore';
    } else {
      if (prev === 'underscore') return false;
      prev = 'other';
    }
  }
  return prev !== 'underscore';
}

/** strconv.ParseInt / ParseUint with base 0 (0x, 0o, 0b, leading-0 octal, underscores). */
export function parseGoInteger(text: string, bits: number, signed: boolean): number {
  const fn = signed ? 'strconv.ParseInt' : 'strconv.ParseUint';
  const fail = (why: string): Error => new Error(`${fn}: parsing ${goQuote(text)}: ${why}`);
  let s = text;
  let negative = false;
  if (signed && (s.startsWith('+') || s.startsWith('-'))) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '') throw fail('invalid syntax');
  let base = 10n;
  let digits = s;
  if (s.startsWith('0')) {
    const p = s.charAt(1).toLowerCase();
    if (s.length >= 3 && (p === 'x' || p === 'o' || p === 'b')) {
      base = p === 'x' ? 16n : p === 'o' ? 8n : 2n;
      digits = s.slice(2);
    } else {
      base = 8n;
      digits = s.slice(1);
    }
  }
  const unsignedMax = (1n << BigInt(bits)) - 1n;
  let n = 0n;
  let sawUnderscore = false;
  for (const c of digits) {
    if (c === '_') {
      sawUnderscore = true;
      continue;
    }
    if (!/^[0-9a-zA-Z]$/.test(c)) throw fail('invalid syntax');
    const d = BigInt(parseInt(c, 36));
    if (d >= base) throw fail('invalid syntax');
    n = n * base + d;
    if (n > unsignedMax) throw fail('value out of range');
  }
  if (sawUnderscore && !underscoresValid(s)) throw fail('invalid syntax');
  if (signed) {
    const limit = 1n << BigInt(bits - 1);
    if (negative ? n > limit : n >= limit) throw fail('value out of range');
  }
  return Number(negative ? -n : n);
}

const DECIMAL_FLOAT = /^[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/;

/** strconv.ParseFloat(s, 64). */
export function parseGoFloat(text: string): number {
  const fail = (why: string): Error =>
    new Error(`strconv.ParseFloat: parsing ${goQuote(text)}: ${why}`);
  const special = /^([+-]?)(inf|infinity)$/i.exec(text);
  if (special) return special[1] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (!underscoresValid(text)) throw fail('invalid syntax');
  const plain = text.replace(/_/g, '');
  let value: number;
  const hex = HEX_FLOAT.exec(plain);
  if (hex) {
    const whole = hex[2] ?? '';
    const frac = hex[3] ?? '';
    if (whole === '' && frac === '') throw fail('invalid syntax');
    const mantissa = parseInt(`${whole}${frac}` || '0', 16) / 16 ** frac.length;
    value = (hex[1] === '-' ? -1 : 1) * mantissa * 2 ** Number(hex[4]);
  } else if (DECIMAL_FLOAT.test(text) && /[0-9]/.test(text)) {
    value = Number(plain);
  } else {
    throw fail('invalid syntax');
  }
  if (!Number.isFinite(value)) throw fail('value out of range');
  return value;
}

const NS_PER_UNIT: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_INT64 = (1n << 63n) - 1n;

/** Go's time.ParseDuration ("1h2m", "1.5s", "500ms"); returns nanoseconds. */
export function parseGoDuration(text: string): number {
  const invalid = (): Error => new Error(`time: invalid duration ${goQuote(text)}`);
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    const number = /^([0-9]*)(?:\.([0-9]*))?/.exec(s);
    const whole = number?.[1] ?? '';
    const frac = number?.[2] ?? '';
    if (!number || (whole === '' && frac === '')) throw invalid();
    s = s.slice(number[0].length);
    const unitText = /^[^0-9.]*/.exec(s)?.[0] ?? '';
    s = s.slice(unitText.length);
    if (unitText === '') throw new Error(`time: missing unit in duration ${goQuote(text)}`);
    const unit = NS_PER_UNIT[unitText];
    if (unit === undefined) {
      throw new Error(`time: unknown unit ${goQuote(unitText)} in duration ${goQuote(text)}`);
    }
    const wholeValue = BigInt(whole || '0');
    if (wholeValue > (MAX_INT64 + 1n) / unit) throw invalid();
    let part = wholeValue * unit;
    if (frac !== '') {
      // Go scales the fraction with float64 arithmetic and keeps at most ~18 digits.
      const kept = frac.slice(0, 18);
      part += BigInt(Math.trunc(Number(kept) * (Number(unit) / 10 ** kept.length)));
    }
    total += part;
    if (total > MAX_INT64 + (negative ? 1n : 0n)) throw invalid();
  }
  return Number(negative ? -total : total);
}

function formatFraction(value: number, divisor: number, digits: number): string {
  const whole = Math.floor(value / divisor);
  const frac = String(value % divisor).padStart(digits, '0').replace(/0+$/, '');
  return frac === '' ? String(whole) : `${whole}.${frac}`;
}

/** Go's time.Duration.String(): "0s", "500ms", "1.5s", "1m30s", "1h0m0s". */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const u = Math.abs(ns);
  if (u < 1e3) return `${sign}${u}ns`;
  if (u < 1e6) return `${sign}${formatFraction(u, 1e3, 3)}µs`;
  if (u < 1e9) return `${sign}${formatFraction(u, 1e6, 6)}ms`;
  const hours = Math.floor(u / 3.6e12);
  const minutes = Math.floor((u % 3.6e12) / 6e10);
  const seconds = formatFraction(u % 6e10, 1e9, 9);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** Go's `%v` / FormatFloat(f, 'g', -1, 64) as pflag shows float defaults. */
export function formatGoFloat(f: number): string {
  if (f === 0 || !Number.isFinite(f)) {
    return Number.isNaN(f) ? 'NaN' : f === 0 ? '0' : f > 0 ? '+Inf' : '-Inf';
  }
  // Shortest digits; exponent form when the exponent is < -4 or >= 6, written as e+06.
  const [mantissa = '', exponent = '0'] = f.toExponential().split('e');
  const exp = Number(exponent);
  if (exp >= -4 && exp < 6) return String(f);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

const BINARY_MULTIPLIERS: Readonly<Record<string, number>> = {
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

/** docker's MemBytes / go-units RAMInBytes: "64m", "1.5GiB", "512 kb", "100" (bytes). */
export function parseRamBytes(text: string): number {
  const sep = Math.max(...[...'0123456789. '].map((c) => text.lastIndexOf(c)));
  if (sep === -1) throw new Error(`invalid size: '${text}'`);
  const num = text.charAt(sep) === ' ' ? text.slice(0, sep) : text.slice(0, sep + 1);
  let suffix = text.slice(sep + 1);
  const size = parseGoFloat(num);
  if (size < 0) throw new Error(`invalid size: '${text}'`);
  if (suffix === '') return Math.trunc(size);
  const badSuffix = (): Error => new Error(`invalid suffix: '${suffix}'`);
  if (suffix.length > 3) throw badSuffix();
  suffix = suffix.toLowerCase();
  if (suffix === 'b') return Math.trunc(size);
  const multiplier = BINARY_MULTIPLIERS[suffix.charAt(0)];
  const rest = suffix.slice(1);
  if (multiplier === undefined || !(rest === '' || rest === 'b' || rest === 'ib')) {
    throw badSuffix();
  }
  return Math.trunc(size * multiplier);
}

/** go-units BytesSize ("%.4g" with binary units), docker's text for a non-zero MemBytes. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];
  let size = bytes;
  let i = 0;
  while (size >= 1024 && i < units.length - 1) {
    size /= 1024;
    i++;
  }
  const text = size.toPrecision(4);
  return `${text.includes('e') ? text : text.replace(/\.?0+$/, '')}${units[i] ?? ''}`;
}

/** First record of Go's encoding/csv reader, as pflag's stringSlice reads a value. */
export function readCsvRecord(text: string): string[] {
  const src = text.replace(/\r\n/g, '\n');
  let pos = 0;
  let line = 1;
  while (src.charAt(pos) === '\n') {
    pos++;
    line++;
  }
  if (pos >= src.length) throw new Error('EOF');
  const fail = (startLine: number, col: number, why: string): Error =>
    new Error(
      startLine === line
        ? `parse error on line ${line}, column ${col}: ${why}`
        : `record on line ${startLine}; parse error on line ${line}, column ${col}: ${why}`,
    );
  const width = (s: string): number => Buffer.byteLength(s, 'utf8');
  const fields: string[] = [];
  let col = 1;
  for (;;) {
    if (src.charAt(pos) !== '"') {
      let end = pos;
      while (end < src.length && src.charAt(end) !== ',' && src.charAt(end) !== '\n') end++;
      const field = src.slice(pos, end);
      const quote = field.indexOf('"');
      if (quote >= 0) {
        throw fail(line, col + width(field.slice(0, quote)), 'bare " in non-quoted-field');
      }
      fields.push(field);
      if (src.charAt(end) !== ',') return fields;
      col += width(field) + 1;
      pos = end + 1;
      continue;
    }
    const startLine = line;
    let value = '';
    pos++;
    col++;
    for (;;) {
      if (pos >= src.length) {
        throw fail(startLine, col, 'extraneous or missing " in quoted-field');
      }
      const c = src.charAt(pos);
      if (c === '"') {
        const next = src.charAt(pos + 1);
        if (next === '"') {
          value += '"';
          pos += 2;
          col += 2;
          continue;
        }
        if (next === '' || next === '\n') {
          fields.push(value);
          return fields;
        }
        if (next !== ',') throw fail(startLine, col, 'extraneous or missing " in quoted-field');
        fields.push(value);
        pos += 2;
        col += 2;
        break;
      }
      value += c;
      pos++;
      if (c === '\n') {
        line++;
        col = 1;
      } else {
        col += width(c);
      }
    }
  }
}

/** Go's csv.Writer for one record, as pflag shows stringSlice/stringArray defaults. */
export function writeCsvRecord(values: readonly string[]): string {
  return values
    .map((v) =>
      v !== '' && (/[",\r\n]/.test(v) || /^\s/u.test(v) || v === '\\.')
        ? `"${v.replace(/"/g, '""')}"`
        : v,
    )
    .join(',');
}

/** strconv.ParseBool, as pflag reads a bool flag's value. */
export function parseGoBool(text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new Error(`strconv.ParseBool: parsing ${goQuote(text)}: invalid syntax`);
}
