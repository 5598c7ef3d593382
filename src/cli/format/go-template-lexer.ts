/**
 * Lexer for Go `text/template` source, as used by the docker CLI's `--format` flag.
 *
 * The whole source is turned into a flat token list: text between actions, the action
 * delimiters `{{` / `}}`, and the words inside actions. Trim markers (`{{- ` and ` -}}`)
 * are applied to the neighbouring text here, and comments (`{{/* … *\/}}`) produce no
 * tokens. A lexical error becomes an `error` token so that the parser reports it in
 * source order, as Go does.
 */

export type TokenKind =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'field' // .Name
  | 'dot' // .
  | 'variable' // $ or $name
  | 'identifier' // function name
  | 'keyword' // if, else, end, range, with, define, template, block, break, continue
  | 'bool' // true, false
  | 'nil'
  | 'string' // value is the decoded text
  | 'number' // text is the literal
  | 'char' // 'a'; value holds the code point in text form
  | 'declare' // :=
  | 'assign' // =
  | 'pipe' // |
  | 'leftParen'
  | 'rightParen'
  | 'comma'
  | 'eof'
  | 'error';

export interface Token {
  readonly kind: TokenKind;
  /** Source text of the token (for strings and errors: the decoded value / message). */
  readonly text: string;
  /** Offset into the source, in UTF-16 code units. */
  readonly pos: number;
  readonly line: number;
}

const KEYWORDS = new Set([
  'if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue',
]);

const LEFT = '{{';
const RIGHT = '}}';
const TRIM_SPACE = new Set([' ', '\t', '\r', '\n']);

function isSpace(c: string | undefined): boolean {
  return c !== undefined && TRIM_SPACE.has(c);
}

function isAlphaNumeric(c: string | undefined): boolean {
  return c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);
}

function trimRightSpace(s: string): string {
  let end = s.length;
  while (end > 0 && isSpace(s[end - 1])) end--;
  return s.slice(0, end);
}

/** Splits template source into tokens. Never throws; errors become an `error` token. */
export function lexTemplate(src: string): Token[] {
  return new Lexer(src).run();
}

class Lexer {
  private readonly tokens: Token[] = [];
  private pos = 0;
  private parenDepth = 0;
  private lineScanPos = 0;
  private lineScanLine = 1;

  constructor(private readonly src: string) {}

  run(): Token[] {
    let trimNextText = false;
    while (this.pos <= this.src.length) {
      const start = this.pos;
      const next = this.src.indexOf(LEFT, start);
      const textEnd = next === -1 ? this.src.length : next;
      let text = this.src.slice(start, textEnd);
      let textPos = start;
      if (trimNextText) {
        const trimmed = text.replace(/^[ \t\r\n]+/, '');
        textPos += text.length - trimmed.length;
        text = trimmed;
      }
      if (next === -1) {
        this.emitText(text, textPos);
        this.emit('eof', '', this.src.length);
        return this.tokens;
      }
      const trimLeft = this.src[next + 2] === '-' && isSpace(this.src[next + 3]);
      if (trimLeft) text = trimRightSpace(text);
      this.emitText(text, textPos);
      this.pos = next + LEFT.length + (trimLeft ? 2 : 0);
      const result = this.lexAction(next);
      if (result === 'error') return this.tokens;
      trimNextText = result === 'trim';
    }
    return this.tokens;
  }

  private emitText(text: string, pos: number): void {
    if (text.length > 0) this.emit('text', text, pos);
  }

  private emit(kind: TokenKind, text: string, pos: number): void {
    this.tokens.push({ kind, text, pos, line: this.lineAt(pos) });
  }

  /** Records a lexical error; returns false so callers can `return this.fail(...)`. */
  private fail(message: string, pos: number = this.pos): false {
    this.emit('error', message, pos);
    return false;
  }

  /** Line of `pos`; tokens are emitted in source order, so counting resumes where it stopped. */
  private lineAt(pos: number): number {
    for (; this.lineScanPos < pos && this.lineScanPos < this.src.length; this.lineScanPos++) {
      if (this.src[this.lineScanPos] === '\n') this.lineScanLine++;
    }
    return this.lineScanLine;
  }

  /** Checks for the closing delimiter at the current position: `}}` or ` -}}`. */
  private atRightDelim(): { trim: boolean; length: number } | undefined {
    if (this.src.startsWith(RIGHT, this.pos)) return { trim: false, length: 2 };
    if (isSpace(this.src[this.pos]) && this.src.startsWith('-' + RIGHT, this.pos + 1)) {
      return { trim: true, length: 4 };
    }
    return undefined;
  }

  /** Lexes one action after its `{{`; returns whether the following text is trimmed. */
  private lexAction(delimPos: number): 'trim' | 'keep' | 'error' {
    // Comments: `{{/*` … `*/}}`, with optional trim markers, and nothing else in the action.
    if (this.src.startsWith('/*', this.pos)) {
      const close = this.src.indexOf('*/', this.pos + 2);
      if (close === -1) {
        this.fail('unclosed comment', delimPos);
        return 'error';
      }
      this.pos = close + 2;
      const delim = this.atRightDelim();
      if (delim === undefined) {
        this.fail('comment ends before closing delimiter', delimPos);
        return 'error';
      }
      this.pos += delim.length;
      return delim.trim ? 'trim' : 'keep';
    }
    this.emit('leftDelim', LEFT, delimPos);
    this.parenDepth = 0;
    for (;;) {
      const delim = this.atRightDelim();
      if (delim !== undefined) {
        if (this.parenDepth > 0) {
          this.fail('unclosed left paren');
          return 'error';
        }
        // A trim marker's leading space is not a separate space token.
        this.emit('rightDelim', RIGHT, this.pos);
        this.pos += delim.length;
        return delim.trim ? 'trim' : 'keep';
      }
      const c = this.src[this.pos];
      if (c === undefined) {
        this.fail('unclosed action', delimPos);
        return 'error';
      }
      if (!this.lexInsideAction(c)) return 'error';
    }
  }

  /** Lexes one token inside an action, starting with character `c`. */
  private lexInsideAction(c: string): boolean {
    const start = this.pos;
    if (isSpace(c)) {
      // Stop before the space that belongs to a ` -}}` trim marker.
      while (isSpace(this.src[this.pos]) && this.atRightDelim()?.trim !== true) this.pos++;
      this.emit('space', this.src.slice(start, this.pos), start);
      return true;
    }
    switch (c) {
      case '=':
        this.pos++;
        this.emit('assign', '=', start);
        return true;
      case ':':
        if (this.src[this.pos + 1] !== '=') return this.fail('expected :=');
        this.pos += 2;
        this.emit('declare', ':=', start);
        return true;
      case '|':
        this.pos++;
        this.emit('pipe', '|', start);
        return true;
      case ',':
        this.pos++;
        this.emit('comma', ',', start);
        return true;
      case '(':
        this.pos++;
        this.parenDepth++;
        this.emit('leftParen', '(', start);
        return true;
      case ')':
        this.pos++;
        this.parenDepth--;
        if (this.parenDepth < 0) return this.fail('unexpected right paren', start);
        this.emit('rightParen', ')', start);
        return true;
      case '"':
        return this.lexQuote();
      case '`':
        return this.lexRawQuote();
      case "'":
        return this.lexChar();
      case '$':
        this.pos++;
        while (isAlphaNumeric(this.src[this.pos])) this.pos++;
        this.emit('variable', this.src.slice(start, this.pos), start);
        return this.checkTerminator();
      case '.': {
        const after = this.src[this.pos + 1];
        if (after !== undefined && after >= '0' && after <= '9') return this.lexNumber();
        this.pos++;
        if (!isAlphaNumeric(this.src[this.pos])) {
          this.emit('dot', '.', start);
          return this.checkTerminator();
        }
        while (isAlphaNumeric(this.src[this.pos])) this.pos++;
        this.emit('field', this.src.slice(start + 1, this.pos), start);
        return this.checkTerminator();
      }
    }
    if (c === '+' || c === '-' || (c >= '0' && c <= '9')) return this.lexNumber();
    if (isAlphaNumeric(c)) {
      while (isAlphaNumeric(this.src[this.pos])) this.pos++;
      const word = this.src.slice(start, this.pos);
      if (KEYWORDS.has(word)) this.emit('keyword', word, start);
      else if (word === 'true' || word === 'false') this.emit('bool', word, start);
      else if (word === 'nil') this.emit('nil', word, start);
      else this.emit('identifier', word, start);
      return this.checkTerminator();
    }
    return this.fail(`bad character ${goQuoteRune(c)}`);
  }

  /** After a word, only a separator may follow (Go's "atTerminator"). */
  private checkTerminator(): boolean {
    const c = this.src[this.pos];
    if (c === undefined || isSpace(c) || '.,|:()='.includes(c) || this.atRightDelim() !== undefined) {
      return true;
    }
    return this.fail(`bad character ${goQuoteRune(c)}`);
  }

  private lexNumber(): boolean {
    const start = this.pos;
    const rest = this.src.slice(start);
    const m = /^[+-]?(?:0[xX][0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?[0-9_]+)?|0[oO][0-7_]+|0[bB][01_]+|[0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9_]+)?)i?/.exec(rest);
    const len = m?.[0].length ?? 0;
    const text = rest.slice(0, len);
    this.pos += len;
    if (!/[0-9]/.test(text) || isAlphaNumeric(this.src[this.pos]) || this.src[this.pos] === '.') {
      while (isAlphaNumeric(this.src[this.pos]) || this.src[this.pos] === '.') this.pos++;
      return this.fail(`bad number syntax: "${this.src.slice(start, this.pos)}"`, start);
    }
    this.emit('number', text, start);
    return true;
  }

  private lexQuote(): boolean {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined || c === '\n') return this.fail('unterminated quoted string', start);
      if (c === '\\') {
        this.pos += 2;
        continue;
      }
      this.pos++;
      if (c === '"') break;
    }
    const decoded = unquoteGo(this.src.slice(start + 1, this.pos - 1), '"');
    if (decoded === undefined) return this.fail(`invalid syntax`, start);
    this.emit('string', decoded, start);
    return true;
  }

  private lexRawQuote(): boolean {
    const start = this.pos;
    const close = this.src.indexOf('`', start + 1);
    if (close === -1) return this.fail('unterminated raw quoted string', start);
    this.pos = close + 1;
    // Go drops carriage returns from raw strings.
    this.emit('string', this.src.slice(start + 1, close).replace(/\r/g, ''), start);
    return true;
  }

  private lexChar(): boolean {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined || c === '\n') return this.fail('unterminated character constant', start);
      if (c === '\\') {
        this.pos += 2;
        continue;
      }
      this.pos++;
      if (c === "'") break;
    }
    const decoded = unquoteGo(this.src.slice(start + 1, this.pos - 1), "'");
    const cp = decoded?.codePointAt(0);
    if (decoded === undefined || cp === undefined || String.fromCodePoint(cp) !== decoded) {
      return this.fail(`malformed character constant: ${this.src.slice(start, this.pos)}`, start);
    }
    this.emit('char', String(cp), start);
    return true;
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92,
};

/**
 * Decodes the body of a Go interpreted string or rune literal (without its quotes).
 * `\x` and octal escapes are raw bytes, so the result is assembled as UTF-8 and decoded.
 * Returns undefined for invalid escapes.
 */
export function unquoteGo(body: string, quote: '"' | "'"): string | undefined {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  const pushRune = (cp: number): void => {
    for (const b of encoder.encode(String.fromCodePoint(cp))) bytes.push(b);
  };
  for (let i = 0; i < body.length; ) {
    const cp = body.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    if (ch !== '\\') {
      pushRune(cp);
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
    } else if (e === quote) {
      bytes.push(quote.charCodeAt(0));
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return undefined;
      const value = parseInt(hex, 16);
      if (e === 'x') bytes.push(value);
      else if (value > 0x10ffff || (value >= 0xd800 && value < 0xe000)) return undefined;
      else pushRune(value);
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      const value = parseInt(oct, 8);
      if (value > 255) return undefined;
      bytes.push(value);
      i += 4;
    } else {
      return undefined;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Go's %#U for a rune, used in lexer error messages: U+0023 '#'. */
function goQuoteRune(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code < 0x20 || code === 0x7f ? hex : `${hex} '${c}'`;
}
