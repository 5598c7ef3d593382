import { ComposeError, keyPath } from '../compose-error.js';

/** Looks a variable up; undefined means unset (as opposed to set and empty). */
export type Lookup = (name: string) => string | undefined;

export interface InterpolateOptions {
  readonly lookup: Lookup;
  /** Called once per unset variable used without a default (compose v2 warns and uses ""). */
  readonly warnUnset?: (name: string) => void;
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

/**
 * Expands `$V`, `${V}`, `${V:-d}`, `${V-d}`, `${V:?e}`, `${V?e}`, `${V:+x}`, `${V+x}` and `$$`
 * in one string, as compose-go's template package does (defaults may nest further expansions).
 * Throws a plain Error with compose's text; callers add where it happened.
 */
export function interpolateString(text: string, opts: InterpolateOptions): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = matchingBrace(text, i + 1);
      if (end < 0) throw new Error(`Invalid template: "${text}"`);
      out += expandBraced(text.slice(i + 2, end), text, opts);
      i = end + 1;
      continue;
    }
    const m = NAME.exec(text.slice(i + 1));
    if (m === null) {
      // A lone `$` (e.g. at the end, or before a digit) is an error in compose v2.
      throw new Error(`Invalid template: "${text}"`);
    }
    out += resolve(m[0], opts);
    i += 1 + m[0].length;
  }
  return out;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return -1;
}

function resolve(name: string, opts: InterpolateOptions): string {
  const v = opts.lookup(name);
  if (v === undefined) {
    opts.warnUnset?.(name);
    return '';
  }
  return v;
}

function expandBraced(inner: string, whole: string, opts: InterpolateOptions): string {
  const m = NAME.exec(inner);
  if (m === null) throw new Error(`Invalid template: "${whole}"`);
  const name = m[0];
  const rest = inner.slice(name.length);
  if (rest === '') return resolve(name, opts);
  const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest);
  if (op === null) throw new Error(`Invalid template: "${whole}"`);
  const arg = rest.slice(op[0].length);
  const value = opts.lookup(name);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (op[0]) {
    case ':-':
      return nonEmpty ? value : interpolateString(arg, opts);
    case '-':
      return set ? value : interpolateString(arg, opts);
    case ':?':
      if (!nonEmpty) throw requiredError(name, interpolateString(arg, opts));
      return value;
    case '?':
      if (!set) throw requiredError(name, interpolateString(arg, opts));
      return value;
    case ':+':
      return nonEmpty ? interpolateString(arg, opts) : '';
    default: // '+'
      return set ? interpolateString(arg, opts) : '';
  }
}

function requiredError(name: string, message: string): Error {
  return new Error(message === '' ? `required variable ${name} is missing a value` : `required variable ${name} is missing a value: ${message}`);
}

/**
 * Interpolates every string value (never a key) of a parsed compose file. Errors name the file
 * and the key, as compose v2 does: `error while interpolating services.web.image: ...`.
 */
export function interpolateTree(tree: unknown, opts: InterpolateOptions, file: string): unknown {
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === 'string') {
      try {
        return interpolateString(node, opts);
      } catch (e: unknown) {
        const what = e instanceof RangeError ? 'variable defaults nested too deeply' : e instanceof Error ? e.message : String(e);
        const where = keyPath(path);
        if (what.startsWith('Invalid template')) {
          throw new ComposeError(`${file}: invalid interpolation format for ${where}.\nYou may need to escape any $ with another $.\n${node}`, { cause: e });
        }
        throw new ComposeError(`${file}: error while interpolating ${where}: ${what}`, { cause: e });
      }
    }
    if (Array.isArray(node)) return node.map((v, i) => walk(v, [...path, i]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v, [...path, k]);
      return out;
    }
    return node;
  };
  return walk(tree, []);
}
