/**
 * A subset of Go's `fmt` package over JSON-like values (see go-template-values.ts for the
 * mapping): `%v` printing, `Sprint`, `Sprintln` and `Sprintf` with flags, width, precision
 * and the usual verbs. Errors are written into the output the way Go does
 * (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA int=1)`).
 */
import { goTypeName, isGoMap, sortedMapEntries } from './go-template-values.js';

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
  verb: string;
}

const PLAIN_V: Spec = {
  minus: false, plus: false, sharp: false, space: false, zero: false,
  width: undefined, prec: undefined, verb: 'v',
};

/** Go's `%v` of a value; a missing value (undefined) prints as `<no value>`, like templates do. */
export function formatGoValue(v: unknown): string {
  if (v === undefined) return '<no value>';
  return formatArg(v, PLAIN_V, 0);
}

/** Go's fmt.Sprint: spaces between operands when neither side is a string. */
export function goSprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((arg, i) => {
    const prev = args[i - 1];
    if (i > 0 && typeof arg !== 'string' && typeof prev !== 'string') out += ' ';
    out += formatArg(arg, PLAIN_V, 0);
  });
  return out;
}

/** Go's fmt.Sprintln: spaces between all operands and a final newline. */
export function goSprintln(args: readonly unknown[]): string {
  return args.map((a) => formatArg(a, PLAIN_V, 0)).join(' ') + '\n';
}

/** Go's fmt.Sprintf. */
export function goSprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct === -1) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { ...PLAIN_V, verb: '' };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = true;
      else break;
    }
    // Optional explicit argument index, e.g. %[2]d.
    const readIndex = (): void => {
      const m = /^\[(\d+)\]/.exec(format.slice(i));
      if (m?.[1] !== undefined) {
        argNum = Number(m[1]) - 1;
        reordered = true;
        i += m[0].length;
      }
    };
    const readNumber = (): number | 'bad' | undefined => {
      readIndex();
      if (format[i] === '*') {
        i++;
        const a = args[argNum++];
        if (typeof a !== 'number' || !Number.isInteger(a)) return 'bad';
        return a;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (m === null) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    const width = readNumber();
    if (width === 'bad') out += '%!(BADWIDTH)';
    else if (width !== undefined && width < 0) {
      spec.minus = true;
      spec.width = -width;
    } else spec.width = width;
    if (format[i] === '.') {
      i++;
      const prec = readNumber();
      if (prec === 'bad' || (prec !== undefined && prec < 0)) out += '%!(BADPREC)';
      else spec.prec = prec ?? 0;
    }
    readIndex();
    const verb = format.codePointAt(i);
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    spec.verb = String.fromCodePoint(verb);
    i += spec.verb.length;
    if (spec.verb === '%') {
      out += '%';
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${spec.verb}(MISSING)`;
      continue;
    }
    out += formatArg(args[argNum++], spec, 0);
  }
  if (!reordered && argNum < args.length) {
    const extra = args.slice(argNum).map((a) =>
      a === null || a === undefined ? '<nil>' : `${goTypeName(a)}=${formatArg(a, PLAIN_V, 0)}`,
    );
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

function badVerb(v: unknown, spec: Spec): string {
  if (v === null || v === undefined) return `%!${spec.verb}(<nil>)`;
  return `%!${spec.verb}(${goTypeName(v)}=${formatArg(v, PLAIN_V, 0)})`;
}

/** Formats one operand; `depth` > 0 inside collections, where nil always prints `<nil>`. */
function formatArg(v: unknown, spec: Spec, depth: number): string {
  if (spec.verb === 'T') return pad(goTypeName(v), spec);
  if (spec.verb === 'v' && spec.sharp) return pad(goSyntax(v, depth), spec);
  if (v === null || v === undefined) {
    return depth > 0 || spec.verb === 'v' ? pad('<nil>', spec) : badVerb(v, spec);
  }
  if (Array.isArray(v)) {
    return '[' + v.map((e) => formatArg(e, spec, depth + 1)).join(' ') + ']';
  }
  switch (typeof v) {
    case 'string':
      return formatString(v, spec) ?? badVerb(v, spec);
    case 'boolean':
      return spec.verb === 'v' || spec.verb === 't' ? pad(String(v), spec) : badVerb(v, spec);
    case 'bigint':
      return formatInteger(v, spec) ?? badVerb(v, spec);
    case 'number':
      if (Number.isInteger(v)) {
        return formatInteger(BigInt(v), spec) ?? formatFloat(v, spec) ?? badVerb(v, spec);
      }
      return formatFloat(v, spec) ?? badVerb(v, spec);
    case 'function':
      return pad('0x0', spec);
  }
  if (isGoMap(v)) {
    const parts = sortedMapEntries(v).map(
      ([k, e]) => `${formatArg(k, spec, depth + 1)}:${formatArg(e, spec, depth + 1)}`,
    );
    return `map[${parts.join(' ')}]`;
  }
  return pad(String(v), spec);
}

/** Go-syntax representation for %#v. */
function goSyntax(v: unknown, depth: number): string {
  if (v === null || v === undefined) return depth > 0 ? 'interface {}(nil)' : '<nil>';
  if (Array.isArray(v)) return `[]interface {}{${v.map((e) => goSyntax(e, depth + 1)).join(', ')}}`;
  if (typeof v === 'string') return goQuote(v, false);
  if (isGoMap(v)) {
    const parts = sortedMapEntries(v).map(([k, e]) => `${goQuote(k, false)}:${goSyntax(e, depth + 1)}`);
    return `map[string]interface {}{${parts.join(', ')}}`;
  }
  return formatArg(v, PLAIN_V, depth);
}

/** Pads to the width in runes: left with spaces (or zeros), right with `-`. */
function pad(s: string, spec: Spec, zeroAfter = 0): string {
  const width = spec.width ?? 0;
  const len = [...s].length;
  if (len >= width) return s;
  const fill = width - len;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero) return s.slice(0, zeroAfter) + '0'.repeat(fill) + s.slice(zeroAfter);
  return ' '.repeat(fill) + s;
}

function formatString(s: string, spec: Spec): string | undefined {
  switch (spec.verb) {
    case 'v':
    case 's':
      return pad(truncateRunes(s, spec.prec), spec);
    case 'q':
      return pad(goQuote(truncateRunes(s, spec.prec), spec.plus, spec.sharp), spec);
    case 'x':
    case 'X': {
      let bytes = [...Buffer.from(s, 'utf8')];
      if (spec.prec !== undefined) bytes = bytes.slice(0, spec.prec);
      return pad(hexBytes(bytes, spec), spec);
    }
    default:
      return undefined;
  }
}

function truncateRunes(s: string, prec: number | undefined): string {
  return prec === undefined ? s : [...s].slice(0, prec).join('');
}

function hexBytes(bytes: readonly number[], spec: Spec): string {
  const digits = bytes.map((b) => b.toString(16).padStart(2, '0'));
  const prefix = spec.sharp ? '0x' : '';
  const hex = spec.space ? digits.map((d) => prefix + d).join(' ') : prefix + digits.join('');
  return spec.verb === 'X' ? hex.toUpperCase() : hex;
}

function formatInteger(n: bigint, spec: Spec): string | undefined {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  let digits: string;
  let prefix = '';
  switch (spec.verb) {
    case 'v':
    case 'd':
      digits = abs.toString(10);
      break;
    case 'b':
      digits = abs.toString(2);
      if (spec.sharp) prefix = '0b';
      break;
    case 'o':
    case 'O':
      digits = abs.toString(8);
      if (spec.verb === 'O') prefix = '0o';
      else if (spec.sharp && digits !== '0') prefix = '0';
      break;
    case 'x':
    case 'X':
      digits = abs.toString(16);
      if (spec.sharp) prefix = '0x';
      if (spec.verb === 'X') {
        digits = digits.toUpperCase();
        prefix = prefix.toUpperCase();
      }
      break;
    case 'c':
      return pad(runeString(n), spec);
    case 'q':
      return pad(goQuoteRune(runeString(n)), spec);
    case 'U': {
      const hex = `U+${abs.toString(16).toUpperCase().padStart(4, '0')}`;
      return pad(spec.sharp ? `${hex} '${runeString(n)}'` : hex, spec);
    }
    default:
      return undefined;
  }
  if (spec.prec !== undefined) {
    digits = spec.prec === 0 && abs === 0n ? '' : digits.padStart(spec.prec, '0');
  }
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  const head = sign + prefix;
  // Zero padding goes between the sign and the digits, and not with a precision.
  const zeroOk = spec.zero && !spec.minus && spec.prec === undefined;
  return pad(head + digits, { ...spec, zero: zeroOk }, head.length);
}

function runeString(n: bigint): string {
  const cp = Number(n);
  const valid = cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp < 0xe000);
  return String.fromCodePoint(valid ? cp : 0xfffd);
}

/** Decimal digits of |x| without trailing zeros, and the decimal point position. */
interface Digits {
  digits: string;
  dp: number;
}

/** Shortest digits that read back as the same float64 (what Go's %v uses). */
function shortestDigits(x: number): Digits {
  const [mantissa = '0', exp = '0'] = x.toExponential().split('e');
  return trimDigits(mantissa.replace('.', ''), Number(exp) + 1);
}

function trimDigits(digits: string, dp: number): Digits {
  const trimmed = digits.replace(/0+$/, '');
  return trimmed === '' ? { digits: '', dp: 0 } : { digits: trimmed, dp };
}

/** The exact decimal value of a finite, non-negative float64. */
function exactDigits(x: number): Digits {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biasedExp = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exp = -1074;
  if (biasedExp !== 0) {
    mantissa |= 1n << 52n;
    exp = biasedExp - 1075;
  }
  if (exp >= 0) {
    const s = (mantissa << BigInt(exp)).toString();
    return trimDigits(s, s.length);
  }
  // mantissa / 2^k = mantissa * 5^k / 10^k
  const k = -exp;
  const s = (mantissa * 5n ** BigInt(k)).toString();
  return trimDigits(s, s.length - k);
}

/** Keeps the first `n` significant digits, rounding half to even like Go's strconv. */
function roundDigits(d: Digits, n: number): Digits {
  const { digits, dp } = d;
  if (n >= digits.length) return d;
  if (n < 0) return { digits: '', dp: 0 };
  const next = digits[n] ?? '0';
  const prevOdd = n > 0 && Number(digits[n - 1]) % 2 === 1;
  const up = next > '5' || (next === '5' && (n + 1 < digits.length || prevOdd));
  if (!up) return trimDigits(digits.slice(0, n), dp);
  const kept = digits.slice(0, n);
  if (/^9*$/.test(kept)) return { digits: '1', dp: dp + 1 };
  const bumped = (BigInt(kept) + 1n).toString().padStart(n, '0');
  return trimDigits(bumped, dp);
}

function fmtE({ digits, dp }: Digits, prec: number, upper: boolean): string {
  const all = digits.padEnd(prec + 1, '0');
  let s = all[0] ?? '0';
  if (prec > 0) s += '.' + all.slice(1, prec + 1);
  const exp = digits === '' ? 0 : dp - 1;
  s += (upper ? 'E' : 'e') + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  return s;
}

function fmtF({ digits, dp }: Digits, decimals: number): string {
  const digitAt = (i: number): string => (i >= 0 && i < digits.length ? digits[i] ?? '0' : '0');
  let s = '';
  if (dp > 0) for (let i = 0; i < dp; i++) s += digitAt(i);
  else s = '0';
  if (decimals > 0) {
    s += '.';
    for (let i = 0; i < decimals; i++) s += digitAt(dp + i);
  }
  return s;
}

/** Go's %g: shortest (prec undefined) or with a number of significant digits. */
function fmtG(x: number, prec: number | undefined, upper: boolean): string {
  const p = prec === undefined ? undefined : Math.max(prec, 1);
  const d = p === undefined ? shortestDigits(x) : roundDigits(exactDigits(x), p);
  const nd = d.digits.length;
  let eprec = p ?? 6;
  if (p !== undefined && eprec > nd && nd >= d.dp) eprec = nd;
  const digitsWanted = p ?? nd;
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) return fmtE(d, Math.max(Math.min(digitsWanted, nd) - 1, 0), upper);
  return fmtF(d, Math.max((digitsWanted > d.dp ? nd : digitsWanted) - d.dp, 0));
}

function formatFloat(n: number, spec: Spec): string | undefined {
  const neg = n < 0 || Object.is(n, -0);
  const x = Math.abs(n);
  let body: string;
  if (!Number.isFinite(x)) {
    if (!'vbeEfFgGxX'.includes(spec.verb)) return undefined;
    body = Number.isNaN(x) ? 'NaN' : 'Inf';
  } else {
    switch (spec.verb) {
      case 'v':
      case 'g':
      case 'G':
        body = fmtG(x, spec.prec, spec.verb === 'G');
        break;
      case 'e':
      case 'E': {
        const prec = spec.prec ?? 6;
        body = fmtE(roundDigits(exactDigits(x), prec + 1), prec, spec.verb === 'E');
        break;
      }
      case 'f':
      case 'F': {
        const prec = spec.prec ?? 6;
        const exact = exactDigits(x);
        body = fmtF(roundDigits(exact, exact.dp + prec), prec);
        break;
      }
      default:
        return undefined;
    }
  }
  const sign = neg && !Number.isNaN(n) ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  const finalSign = body === 'Inf' && sign === '' ? '+' : sign;
  const zeroOk = spec.zero && !spec.minus && Number.isFinite(n);
  return pad(finalSign + body, { ...spec, zero: zeroOk }, finalSign.length);
}

const QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v',
  '\\': '\\\\',
};

function isPrintableRune(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

function escapeRune(ch: string, quote: string, asciiOnly: boolean): string {
  if (ch === quote) return '\\' + ch;
  const simple = QUOTE_ESCAPES[ch];
  if (simple !== undefined) return simple;
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x80 ? isPrintableRune(ch) : !asciiOnly && isPrintableRune(ch)) return ch;
  if (cp < 0x80) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** Go's strconv.Quote (or QuoteToASCII, or a backquoted string for `%#q` when possible). */
export function goQuote(s: string, asciiOnly: boolean, backquote = false): string {
  if (backquote && !/[`\x00-\x08\x0a-\x1f\x7f\ufeff]/.test(s)) return '`' + s + '`';
  let out = '"';
  for (const ch of s) out += escapeRune(ch, '"', asciiOnly);
  return out + '"';
}

function goQuoteRune(ch: string): string {
  return `'${escapeRune(ch, "'", false)}'`;
}

