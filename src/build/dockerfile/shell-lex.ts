/**
 * Docker's variable substitution in Dockerfile words (after BuildKit's shell
 * lexer): `$v`, `${v}`, `${v:-x}`, `${v-x}`, `${v:+x}`, `${v+x}`, `${v:?msg}`,
 * `${v?msg}`, `${v#p}`, `${v##p}`, `${v%p}`, `${v%%p}`, `${v/p/r}`, `${v//p/r}`;
 * single quotes are literal, double quotes group, the escape character escapes.
 * Quotes are removed from the result, as a shell would.
 */
export type Env = ReadonlyMap<string, string>;

export class ExpansionError extends Error {}

interface Options {
  readonly escape: string;
  /** Split the result into words on unquoted whitespace (EXPOSE, VOLUME, ...). */
  readonly split: boolean;
}

class Lexer {
  private pos = 0;
  constructor(private readonly s: string, private readonly env: Env, private readonly opts: Options) {}

  private peek(): string | undefined {
    return this.s[this.pos];
  }

  /** Reads words until `stop` (unquoted) or the end. */
  words(stop?: string): string[] {
    const out: string[] = [];
    let cur = '';
    let inWord = false;
    const esc = this.opts.escape;
    while (this.pos < this.s.length) {
      const ch = this.s[this.pos] ?? '';
      if (stop !== undefined && ch === stop) break;
      if (this.opts.split && /\s/.test(ch)) {
        if (inWord) out.push(cur);
        cur = '';
        inWord = false;
        this.pos++;
        continue;
      }
      inWord = true;
      if (ch === esc) {
        this.pos++;
        const next = this.s[this.pos];
        if (next === undefined) break; // a trailing escape vanishes
        cur += next;
        this.pos++;
      } else if (ch === "'") {
        cur += this.singleQuoted();
      } else if (ch === '"') {
        cur += this.doubleQuoted();
      } else if (ch === '$') {
        const value = this.dollar();
        if (this.opts.split) {
          // unquoted expansions are split into words too
          const parts = value.split(/\s+/);
          for (let i = 0; i < parts.length; i++) {
            if (i > 0) {
              if (cur !== '') out.push(cur);
              cur = '';
            }
            cur += parts[i] ?? '';
          }
          if (value === '' && cur === '') inWord = false;
        } else {
          cur += value;
        }
      } else {
        cur += ch;
        this.pos++;
      }
    }
    if (inWord || (!this.opts.split && out.length === 0)) out.push(cur);
    return out;
  }

  private singleQuoted(): string {
    this.pos++;
    const end = this.s.indexOf("'", this.pos);
    if (end < 0) throw new ExpansionError('unexpected end of statement while looking for matching single-quote');
    const text = this.s.slice(this.pos, end);
    this.pos = end + 1;
    return text;
  }

  private doubleQuoted(): string {
    this.pos++;
    let out = '';
    const esc = this.opts.escape;
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) throw new ExpansionError('unexpected end of statement while looking for matching double-quote');
      if (ch === '"') {
        this.pos++;
        return out;
      }
      if (ch === '$') {
        out += this.dollar();
        continue;
      }
      if (ch === esc) {
        const next = this.s[this.pos + 1];
        if (next === '"' || next === '$' || next === esc) {
          out += next;
          this.pos += 2;
          continue;
        }
      }
      out += ch;
      this.pos++;
    }
  }

  private dollar(): string {
    this.pos++; // $
    const ch = this.peek();
    if (ch === '{') {
      this.pos++;
      return this.braced();
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.pos));
    if (m === null) {
      // `$` not followed by a name stays as it is (`$1`, `$ `, `$@`...)
      if (ch !== undefined && /[0-9@*#?$!-]/.test(ch)) {
        this.pos++;
        return '';
      }
      return '$';
    }
    this.pos += m[0].length;
    return this.env.get(m[0]) ?? '';
  }

  private braced(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.pos));
    if (m === null) throw new ExpansionError(`missing ':' in substitution`);
    const name = m[0];
    this.pos += name.length;
    const value = this.env.get(name);
    const op = this.peek();
    if (op === '}') {
      this.pos++;
      return value ?? '';
    }
    if (op === undefined) throw new ExpansionError(`syntax error: missing '}'`);
    let mod = op;
    this.pos++;
    if (op === ':') {
      const second = this.peek();
      if (second === undefined || !'-+?'.includes(second)) throw new ExpansionError(`unsupported modifier (${op}${second ?? ''}) in substitution`);
      mod = `:${second}`;
      this.pos++;
    } else if ((op === '#' || op === '%' || op === '/') && this.peek() === op) {
      mod = op + op;
      this.pos++;
    }
    const word = this.nested();
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    switch (mod) {
      case ':-': return nonEmpty ? value : word;
      case '-': return set ? value : word;
      case ':+': return nonEmpty ? word : '';
      case '+': return set ? word : '';
      case ':?':
        if (!nonEmpty) throw new ExpansionError(`${name}: ${word === '' ? 'is not allowed to be empty' : word}`);
        return value;
      case '?':
        if (!set) throw new ExpansionError(`${name}: ${word === '' ? 'is not allowed to be unset' : word}`);
        return value;
      case '#': case '##': return trimPrefix(value ?? '', word, mod === '##');
      case '%': case '%%': return trimSuffix(value ?? '', word, mod === '%%');
      case '/': case '//': {
        const slash = word.indexOf('/');
        const pattern = slash < 0 ? word : word.slice(0, slash);
        const repl = slash < 0 ? '' : word.slice(slash + 1);
        return replacePattern(value ?? '', pattern, repl, mod === '//');
      }
      default:
        throw new ExpansionError(`unsupported modifier (${mod}) in substitution`);
    }
  }

  /** The word inside `${name<op>word}`, itself expanded, up to the closing brace. */
  private nested(): string {
    const inner = new Lexer(this.s, this.env, { ...this.opts, split: false });
    inner.pos = this.pos;
    const [word = ''] = inner.words('}');
    if (inner.peek() !== '}') throw new ExpansionError(`syntax error: missing '}'`);
    this.pos = inner.pos + 1;
    return word;
  }
}

function globToRegExp(pattern: string): string {
  let re = '';
  for (const ch of pattern) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return re;
}

function whole(pattern: string): RegExp {
  return new RegExp(`^${globToRegExp(pattern)}$`, 's');
}

function trimPrefix(value: string, pattern: string, longest: boolean): string {
  const re = whole(pattern);
  if (longest) {
    for (let i = value.length; i >= 0; i--) if (re.test(value.slice(0, i))) return value.slice(i);
  } else {
    for (let i = 0; i <= value.length; i++) if (re.test(value.slice(0, i))) return value.slice(i);
  }
  return value;
}

function trimSuffix(value: string, pattern: string, longest: boolean): string {
  const re = whole(pattern);
  if (longest) {
    for (let i = 0; i <= value.length; i++) if (re.test(value.slice(i))) return value.slice(0, i);
  } else {
    for (let i = value.length; i >= 0; i--) if (re.test(value.slice(i))) return value.slice(0, i);
  }
  return value;
}

function replacePattern(value: string, pattern: string, repl: string, all: boolean): string {
  if (pattern === '') return value;
  const re = new RegExp(globToRegExp(pattern), all ? 'gs' : 's');
  return value.replace(re, () => repl);
}

/** Expands one word (quotes removed, variables substituted). */
export function expandWord(word: string, env: Env, escape = '\\'): string {
  return new Lexer(word, env, { escape, split: false }).words()[0] ?? '';
}

/** Expands and splits into words on unquoted whitespace. */
export function expandWords(text: string, env: Env, escape = '\\'): string[] {
  return new Lexer(text, env, { escape, split: true }).words();
}
