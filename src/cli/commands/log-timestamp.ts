import { goQuote, parseGoDuration } from '../flags/index.js';

/**
 * docker's GetTimestamp (api/types/time) for `logs --since/--until`: a Go duration ("10m",
 * "1h30m") means that long before `now` and gives Unix seconds; an RFC 3339 date or time
 * ("2024-01-02", "2024-01-02T15:04", "…Z", "…+01:00", local time when no zone is given) gives
 * "seconds.nanoseconds"; a Unix timestamp is passed on as it is. Throws with docker's message
 * (Go's time.Parse errors for dates that do not parse).
 */
export function getTimestamp(value: string, now: Date): string {
  if (value !== '0') {
    try {
      const ns = BigInt(parseGoDuration(value));
      return String(floorDiv(BigInt(now.getTime()) * 1_000_000n - ns, 1_000_000_000n));
    } catch {
      // not a duration
    }
  }
  const inLocation = !/[zZ+]/.test(value) && count(value, '-') !== 3;
  let layout: string;
  if (value.includes('.')) {
    layout = inLocation ? '2006-01-02T15:04:05.999999999' : '2006-01-02T15:04:05.999999999Z07:00';
  } else if (value.includes('T')) {
    let colons = count(value, ':');
    if (!inLocation && !/[zZ]/.test(value) && colons > 0) colons--;
    const time = colons === 0 ? '15' : colons === 1 ? '15:04' : '15:04:05';
    layout = `2006-01-02T${time}${inLocation ? '' : 'Z07:00'}`;
  } else {
    layout = inLocation ? '2006-01-02' : '2006-01-02Z07:00';
  }
  let t: { seconds: bigint; nanos: number };
  try {
    t = goParse(layout, value, inLocation ? -now.getTimezoneOffset() * 60 : 0);
  } catch (e: unknown) {
    if (value.includes('-')) throw e;
    if (!isUnixTimestamp(value)) throw new Error(`failed to parse value as time or duration: ${goQuote(value)}`);
    return value;
  }
  return `${t.seconds}.${String(t.nanos).padStart(9, '0')}`;
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** docker's parseTimestamp: "seconds[.nanoseconds]", each a Go int64. */
function isUnixTimestamp(value: string): boolean {
  const dot = value.indexOf('.');
  const parts = dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
  return parts.every((p) => /^[+-]?[0-9]+$/.test(p) && BigInt(p) <= 2n ** 63n - 1n && BigInt(p) >= -(2n ** 63n));
}

// ---------------------------------------------------------------------------------------------
// Go's time.Parse, for the layouts above only.

/** Layout elements, longest first where one is a prefix of another. */
const ELEMENTS = ['2006', '01', '02', '15', '04', '05', '.999999999', 'Z07:00'] as const;
type Element = (typeof ELEMENTS)[number];

class BadElement extends Error {}

/** Go's quote() in package time: non-ASCII and control bytes as \xNN. */
function timeQuote(s: string): string {
  let out = '"';
  for (const byte of Buffer.from(s, 'utf8')) {
    if (byte >= 0x80 || byte < 0x20) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else out += (byte === 0x22 || byte === 0x5c ? '\\' : '') + String.fromCharCode(byte);
  }
  return `${out}"`;
}

const isDigit = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** Go's getnum: one or two digits (exactly two if `fixed`). */
function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigit(s, 0)) throw new BadElement();
  if (!isDigit(s, 1)) {
    if (fixed) throw new BadElement();
    return [Number(s[0]), s.slice(1)];
  }
  return [Number(s.slice(0, 2)), s.slice(2)];
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses `value` with a Go layout made of ELEMENTS and literal text. A time without a zone is
 * taken at `defaultOffset` seconds east of UTC. Throws Error with Go's ParseError text.
 */
function goParse(layout: string, value: string, defaultOffset: number): { seconds: bigint; nanos: number } {
  const fail = (message: string): Error => new Error(`parsing time ${timeQuote(value)}${message}`);
  const cannot = (elem: string, rest: string): Error =>
    fail(` as ${timeQuote(layout)}: cannot parse ${timeQuote(rest)} as ${timeQuote(elem)}`);
  let year = 0, month = 1, day = 1, hour = 0, min = 0, sec = 0, nanos = 0;
  let offset: number | undefined;
  let rest = value;
  let lay = layout;
  while (lay !== '') {
    const at = Math.min(...ELEMENTS.map((e) => (lay.includes(e) ? lay.indexOf(e) : lay.length)));
    const literal = lay.slice(0, at);
    for (let i = 0; i < literal.length; i++) {
      if (rest[0] !== literal[i]) throw cannot(literal, rest);
      rest = rest.slice(1);
    }
    lay = lay.slice(at);
    if (lay === '') break;
    const elem = ELEMENTS.find((e) => lay.startsWith(e)) as Element;
    lay = lay.slice(elem.length);
    const hold = rest;
    let range = '';
    try {
      switch (elem) {
        case '2006':
          if (rest.length < 4 || !/^[0-9]{4}/.test(rest)) throw new BadElement();
          year = Number(rest.slice(0, 4));
          rest = rest.slice(4);
          break;
        case '01':
          [month, rest] = getnum(rest, true);
          if (month <= 0 || month > 12) range = 'month';
          break;
        case '02':
          [day, rest] = getnum(rest, true);
          break;
        case '15':
          [hour, rest] = getnum(rest, false);
          if (hour >= 24) range = 'hour';
          break;
        case '04':
          [min, rest] = getnum(rest, true);
          if (min >= 60) range = 'minute';
          break;
        case '05':
          [sec, rest] = getnum(rest, true);
          if (sec >= 60) {
            range = 'second';
            break;
          }
          // A fraction the layout does not ask for is still taken.
          if (!lay.startsWith('.999999999') && /^[.,][0-9]/.test(rest)) {
            const digits = /^[.,]([0-9]+)/.exec(rest)?.[1] ?? '';
            nanos = Number(digits.slice(0, 9).padEnd(9, '0'));
            rest = rest.slice(1 + digits.length);
          }
          break;
        case '.999999999': {
          if (!/^[.,][0-9]/.test(rest)) break;
          const digits = /^[.,]([0-9]+)/.exec(rest)?.[1] ?? '';
          nanos = Number(digits.slice(0, 9).padEnd(9, '0'));
          rest = rest.slice(1 + digits.length);
          break;
        }
        case 'Z07:00': {
          if (rest.startsWith('Z')) {
            offset = 0;
            rest = rest.slice(1);
            break;
          }
          if (rest.length < 6 || rest[3] !== ':') throw new BadElement();
          const [hh] = getnum(rest.slice(1, 3), true);
          const [mm] = getnum(rest.slice(4, 6), true);
          if (hh > 24) range = 'time zone offset hour';
          if (mm > 60) range = 'time zone offset minute';
          if (rest[0] !== '+' && rest[0] !== '-') throw new BadElement();
          offset = (rest[0] === '-' ? -1 : 1) * (hh * 60 + mm) * 60;
          rest = rest.slice(6);
          break;
        }
      }
    } catch (e: unknown) {
      if (e instanceof BadElement) throw cannot(elem, hold);
      throw e;
    }
    if (range !== '') throw fail(`: ${range} out of range`);
  }
  if (rest !== '') throw fail(`: extra text: ${timeQuote(rest)}`);
  if (day < 1 || day > daysIn(month, year)) throw fail(': day out of range');
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, 0);
  return { seconds: BigInt(d.getTime() / 1000) - BigInt(offset ?? defaultOffset), nanos };
}
