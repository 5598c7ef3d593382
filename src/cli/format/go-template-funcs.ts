/**
 * Template functions: Go's text/template built-ins and the ones the docker CLI adds
 * (json, split, join, title, lower, upper, pad, truncate). Arguments arrive as JSON-like
 * values with missing values already turned into null, as Go passes nil for them.
 */
import { goSprint, goSprintf, goSprintln } from './go-template-fmt.js';
import {
  goTypeName,
  isGoFunction,
  isGoInt,
  isGoMap,
  isTrue,
  mapEntries,
  sortedMapEntries,
  utf8Length,
} from './go-template-values.js';

export interface TemplateFunction {
  readonly call: (args: readonly unknown[]) => unknown;
  readonly minArgs: number;
  readonly maxArgs: number;
}

/**
 * An argument of the wrong type. The executor reports it without Go's "error calling"
 * prefix, as Go does when it cannot convert an argument.
 */
export class ArgumentTypeError extends Error {}

function fixed(count: number, call: (args: readonly unknown[]) => unknown): TemplateFunction {
  return { call, minArgs: count, maxArgs: count };
}

function variadic(min: number, call: (args: readonly unknown[]) => unknown): TemplateFunction {
  return { call, minArgs: min, maxArgs: Infinity };
}

function wantString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) throw new ArgumentTypeError('invalid value; expected string');
  throw new ArgumentTypeError(`wrong type for value; expected string; got ${goTypeName(v)}`);
}

function wantInt(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (v === null || v === undefined) throw new ArgumentTypeError('invalid value; expected int');
  throw new ArgumentTypeError(`wrong type for value; expected int; got ${goTypeName(v)}`);
}

// ---- comparison (Go's eq, ne, lt, le, gt, ge) ----

type BasicKind = 'bool' | 'number' | 'string' | 'nil' | 'other';

function basicKind(v: unknown): BasicKind {
  if (v === null || v === undefined) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    default:
      return 'other';
  }
}

function eq(args: readonly unknown[]): boolean {
  const [first, ...rest] = args;
  const k1 = basicKind(first);
  for (const arg of rest) {
    const k2 = basicKind(arg);
    if (k1 !== k2) {
      if (k1 !== 'nil' && k2 !== 'nil') throw new Error('incompatible types for comparison');
      continue;
    }
    if (k1 === 'other') throw new Error(`non-comparable type ${goTypeName(first)}`);
    // Loose equality only matters for number vs bigint here; kinds already match.
    if (k1 === 'nil' || first == arg) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== 'number' && k1 !== 'string') throw new Error('invalid type for comparison');
  if (k1 !== k2) throw new Error('incompatible types for comparison');
  return (a as number | string) < (b as number | string);
}

// ---- indexing ----

function indexInto(item: unknown, index: unknown): unknown {
  if (item === null || item === undefined) return null; // like a nil map: the zero value
  if (Array.isArray(item) || typeof item === 'string') {
    const length = typeof item === 'string' ? utf8Length(item) : item.length;
    const i = indexArg(index, length, false);
    return typeof item === 'string' ? Buffer.from(item, 'utf8')[i] : item[i];
  }
  if (isGoMap(item)) {
    if (typeof index !== 'string') {
      throw new Error(`value has type ${goTypeName(index)}; should be string`);
    }
    const v = Object.hasOwn(item, index) ? item[index] : undefined;
    if (v !== undefined) return v;
    // A map whose values are all strings stands for Go's map[string]string (Labels,
    // Options): its zero value is "", which docker's `index` prints as nothing.
    const values = Object.values(item);
    return values.length > 0 && values.every((x) => typeof x === 'string') ? '' : null;
  }
  throw new Error(`can't index item of type ${goTypeName(item)}`);
}

function indexArg(index: unknown, length: number, forSlice: boolean): number {
  if (index === null || index === undefined) throw new Error('cannot index slice/array with nil');
  if (!isGoInt(index)) throw new Error(`cannot index slice/array with type ${goTypeName(index)}`);
  const i = Number(index);
  if (i < 0 || (forSlice ? i > length : i >= length)) throw new Error(`index out of range: ${i}`);
  return i;
}

function sliceOf(item: unknown, indexes: readonly unknown[]): unknown {
  if (item === null || item === undefined) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let length: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    length = utf8Length(item);
  } else if (Array.isArray(item)) {
    length = item.length;
  } else {
    throw new Error(`can't slice item of type ${goTypeName(item)}`);
  }
  const idx = [0, length, length];
  indexes.forEach((v, n) => {
    idx[n] = indexArg(v, length, true);
  });
  const [lo = 0, hi = length, max = length] = idx;
  if (lo > hi) throw new Error(`invalid slice index: ${lo} > ${hi}`);
  if (indexes.length === 3 && hi > max) throw new Error(`invalid slice index: ${hi} > ${max}`);
  if (typeof item === 'string') return Buffer.from(item, 'utf8').subarray(lo, hi).toString('utf8');
  return (item as unknown[]).slice(lo, hi);
}

function len(v: unknown): number {
  if (v === null || v === undefined) throw new Error('len of untyped nil');
  if (typeof v === 'string') return utf8Length(v);
  if (Array.isArray(v)) return v.length;
  if (isGoMap(v)) return mapEntries(v).length;
  throw new Error(`len of type ${goTypeName(v)}`);
}

// ---- escapers (html, js, urlquery) take any arguments, printed like fmt.Sprint ----

function evalArgs(args: readonly unknown[]): string {
  const [only] = args;
  return args.length === 1 && typeof only === 'string' ? only : goSprint(args);
}

function htmlEscape(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) =>
    ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c] ?? c,
  );
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\\' || ch === "'" || ch === '"') out += '\\' + ch;
    else if ('<>&='.includes(ch) || cp < 0x20) out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (cp >= 0x80 && !/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) {
      out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += ch;
  }
  return out;
}

function urlQueryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

// ---- docker's json: encoding/json with HTML escaping off, no trailing newline ----

class UnsupportedJsonError extends Error {}

function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (cp < 0x20 || cp === 0x2028 || cp === 0x2029) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else if (cp >= 0xd800 && cp < 0xe000) out += '\\ufffd'; // lone surrogate: invalid UTF-8 in Go
    else out += ch;
  }
  return out + '"';
}

function jsonEncode(v: unknown, seen: Set<object>): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return jsonString(v);
    case 'boolean':
      return String(v);
    case 'bigint':
      return v.toString();
    case 'number':
      if (!Number.isFinite(v)) throw new UnsupportedJsonError(`json: unsupported value: ${v}`);
      return String(v);
    case 'object': {
      if (seen.has(v)) throw new UnsupportedJsonError('json: unsupported value: encountered a cycle');
      seen.add(v);
      const body = Array.isArray(v)
        ? '[' + v.map((e) => jsonEncode(e, seen)).join(',') + ']'
        : '{' + mapEntries(v as Record<string, unknown>)
            .filter(([, e]) => !isGoFunction(e))
            .map(([k, e]) => `${jsonString(k)}:${jsonEncode(e, seen)}`)
            .join(',') + '}';
      seen.delete(v);
      return body;
    }
    default:
      throw new UnsupportedJsonError(`json: unsupported type: ${goTypeName(v)}`);
  }
}

/** Docker's `json` function; like docker, an unencodable value gives an empty string. */
export function dockerJson(v: unknown): string {
  try {
    return jsonEncode(v, new Set());
  } catch (e: unknown) {
    if (e instanceof UnsupportedJsonError) return '';
    throw e;
  }
}

// ---- docker's string helpers ----

function join(elems: unknown, sep: unknown): string {
  const separator = wantString(sep);
  if (typeof elems === 'string') return elems;
  const asText = (v: unknown): string => (typeof v === 'string' ? v : goSprint([v]));
  if (Array.isArray(elems)) return elems.map(asText).join(separator);
  if (isGoMap(elems)) return sortedMapEntries(elems).map(([, v]) => asText(v)).join(separator);
  throw new ArgumentTypeError(`expected string, []string, or map[string]string, got: ${goTypeName(elems)}`);
}

function split(s: unknown, sep: unknown): string[] {
  const text = wantString(s);
  const separator = wantString(sep);
  return separator === '' ? Array.from(text) : text.split(separator);
}

/** Capitalises the first letter of each word and leaves the rest alone (cases.NoLower). */
function title(s: unknown): string {
  let prev = '';
  let out = '';
  for (const ch of wantString(s)) {
    const inWord = /^[\p{L}\p{M}\p{N}_'’]$/u.test(prev);
    out += !inWord && /^\p{L}$/u.test(ch) ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function pad(s: unknown, prefix: unknown, suffix: unknown): string {
  const text = wantString(s);
  const before = wantInt(prefix);
  const after = wantInt(suffix);
  if (text === '') return text;
  if (before < 0 || after < 0) throw new Error('strings: negative Repeat count');
  return ' '.repeat(before) + text + ' '.repeat(after);
}

/** Cuts to at most `length` UTF-8 bytes, without leaving half a character behind. */
function truncate(s: unknown, length: unknown): string {
  const text = wantString(s);
  const max = wantInt(length);
  if (max < 0) throw new Error(`slice bounds out of range [:${max}]`);
  if (utf8Length(text) < max) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    used += utf8Length(ch);
    if (used > max) break;
    out += ch;
  }
  return out;
}

export const builtinFunctions: ReadonlyMap<string, TemplateFunction> = new Map([
  // `and` and `or` short-circuit in the executor; these bodies are used only for arity.
  ['and', variadic(1, (a) => a.find((v) => !isTrue(v)) ?? a[a.length - 1])],
  ['or', variadic(1, (a) => a.find((v) => isTrue(v)) ?? a[a.length - 1])],
  ['not', fixed(1, ([v]) => !isTrue(v))],
  ['len', fixed(1, ([v]) => len(v))],
  ['index', variadic(1, ([item, ...idx]) => idx.reduce(indexInto, item))],
  ['slice', variadic(1, ([item, ...idx]) => sliceOf(item, idx))],
  ['eq', variadic(1, (a) => {
    if (a.length < 2) throw new Error('missing argument for comparison');
    return eq(a);
  })],
  ['ne', fixed(2, (a) => !eq(a))],
  ['lt', fixed(2, ([x, y]) => lt(x, y))],
  ['le', fixed(2, ([x, y]) => lt(x, y) || eq([x, y]))],
  ['gt', fixed(2, ([x, y]) => !(lt(x, y) || eq([x, y])))],
  ['ge', fixed(2, ([x, y]) => !lt(x, y))],
  ['print', variadic(0, (a) => goSprint(a))],
  ['printf', variadic(1, ([format, ...rest]) => goSprintf(wantString(format), rest))],
  ['println', variadic(0, (a) => goSprintln(a))],
  ['html', variadic(0, (a) => htmlEscape(evalArgs(a)))],
  ['js', variadic(0, (a) => jsEscape(evalArgs(a)))],
  ['urlquery', variadic(0, (a) => urlQueryEscape(evalArgs(a)))],
  ['call', variadic(1, ([fn, ...rest]) => {
    if (fn === null || fn === undefined) throw new Error('call of nil');
    if (!isGoFunction(fn)) throw new Error(`non-function of type ${goTypeName(fn)}`);
    return fn(...rest);
  })],
]);

/** Functions docker/cli adds in templates/templates.go. */
export const dockerFunctions: ReadonlyMap<string, TemplateFunction> = new Map([
  ['json', fixed(1, ([v]) => dockerJson(v))],
  ['split', fixed(2, ([s, sep]) => split(s, sep))],
  ['join', fixed(2, ([elems, sep]) => join(elems, sep))],
  ['title', fixed(1, ([s]) => title(s))],
  ['lower', fixed(1, ([s]) => wantString(s).toLowerCase())],
  ['upper', fixed(1, ([s]) => wantString(s).toUpperCase())],
  ['pad', fixed(3, ([s, before, after]) => pad(s, before, after))],
  ['truncate', fixed(2, ([s, n]) => truncate(s, n))],
]);

