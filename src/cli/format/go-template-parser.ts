/**
 * Parser for Go `text/template`: turns the lexer's tokens into a tree of nodes, checking
 * what Go checks at parse time (unknown functions, undefined variables, misplaced
 * `{{end}}`/`{{else}}`/`{{break}}`, malformed pipelines).
 */
import { TemplateError } from './go-template-error.js';
import { lexTemplate, type Token, type TokenKind } from './go-template-lexer.js';

export type Operand =
  | { readonly kind: 'field'; readonly pos: number; readonly names: readonly string[] }
  | {
      readonly kind: 'variable';
      readonly pos: number;
      readonly name: string;
      readonly fields: readonly string[];
    }
  | { readonly kind: 'dot'; readonly pos: number }
  | { readonly kind: 'function'; readonly pos: number; readonly name: string }
  | { readonly kind: 'pipe'; readonly pos: number; readonly pipe: Pipeline }
  | {
      readonly kind: 'chain';
      readonly pos: number;
      readonly node: Operand;
      readonly fields: readonly string[];
    }
  | { readonly kind: 'string'; readonly pos: number; readonly value: string; readonly text: string }
  | { readonly kind: 'number'; readonly pos: number; readonly value: number; readonly text: string }
  | { readonly kind: 'bool'; readonly pos: number; readonly value: boolean }
  | { readonly kind: 'nil'; readonly pos: number };

export interface Command {
  readonly pos: number;
  readonly args: readonly Operand[];
}

export interface Pipeline {
  readonly pos: number;
  /** Declared or assigned variables, e.g. ["$i", "$v"]. */
  readonly decl: readonly string[];
  /** True for `$x = …`, false for `$x := …`. */
  readonly isAssign: boolean;
  readonly cmds: readonly Command[];
}

export type ControlKind = 'if' | 'with' | 'range';

export interface ControlNode {
  readonly kind: ControlKind;
  readonly pos: number;
  readonly pipe: Pipeline;
  readonly list: readonly TemplateNode[];
  readonly elseList: readonly TemplateNode[] | undefined;
}

/** `{{template "name" pipeline}}`, also produced by `{{block}}`. */
export interface TemplateCallNode {
  readonly kind: 'template';
  readonly pos: number;
  readonly name: string;
  readonly pipe: Pipeline | undefined;
}

export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pos: number; readonly pipe: Pipeline }
  | ControlNode
  | TemplateCallNode
  | { readonly kind: 'break' | 'continue'; readonly pos: number };

export interface ParsedTemplate {
  readonly root: readonly TemplateNode[];
  /** Templates from `{{define}}` and `{{block}}`, by name. */
  readonly defines: ReadonlyMap<string, readonly TemplateNode[]>;
}

/** How a list of nodes ended. */
type ListEnd =
  | { readonly kind: 'end' | 'else' | 'eof'; readonly token: Token }
  | { readonly kind: 'elseControl'; readonly token: Token; readonly keyword: ControlKind };

/** Parses template source; `hasFunction` tells which function names exist. */
export function parseTemplateSource(
  src: string,
  hasFunction: (name: string) => boolean,
): ParsedTemplate {
  return new Parser(lexTemplate(src), hasFunction).parseRoot();
}

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private readonly defines = new Map<string, readonly TemplateNode[]>();

  constructor(
    private readonly tokens: readonly Token[],
    private readonly hasFunction: (name: string) => boolean,
  ) {}

  parseRoot(): ParsedTemplate {
    const root: TemplateNode[] = [];
    for (;;) {
      const { nodes, end } = this.parseList(true);
      root.push(...nodes);
      if (end.kind === 'eof') break;
      this.fail(end.token, `unexpected {{${end.kind === 'end' ? 'end' : 'else'}}}`);
    }
    return { root, defines: this.defines };
  }

  // ---- token access ----

  private peek(): Token {
    const t = this.tokens[this.i] ?? this.tokens[this.tokens.length - 1];
    if (t === undefined) throw new TemplateError('template: :1: unexpected EOF');
    if (t.kind === 'error') this.fail(t, t.text);
    return t;
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private peekNonSpace(): Token {
    while (this.peek().kind === 'space') this.i++;
    return this.peek();
  }

  private nextNonSpace(): Token {
    this.peekNonSpace();
    return this.next();
  }

  private expect(kind: TokenKind, context: string): Token {
    const t = this.nextNonSpace();
    if (t.kind !== kind) this.unexpected(t, context);
    return t;
  }

  private fail(t: Token, message: string): never {
    throw new TemplateError(`template: :${t.line}: ${message}`);
  }

  private unexpected(t: Token, context: string): never {
    this.fail(t, `unexpected ${describeToken(t)} in ${context}`);
  }

  // ---- lists and actions ----

  /** Parses text and actions up to `{{end}}`, `{{else}}` or the end of input. */
  private parseList(topLevel = false): { nodes: TemplateNode[]; end: ListEnd } {
    const nodes: TemplateNode[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') return { nodes, end: { kind: 'eof', token: t } };
      if (t.kind === 'text') {
        nodes.push({ kind: 'text', text: t.text });
        continue;
      }
      if (t.kind !== 'leftDelim') this.unexpected(t, 'input');
      const word = this.peekNonSpace();
      if (word.kind !== 'keyword') {
        nodes.push({ kind: 'action', pos: word.pos, pipe: this.pipeline('command', 'rightDelim') });
        continue;
      }
      this.next();
      switch (word.text) {
        case 'end':
          this.expect('rightDelim', 'end');
          return { nodes, end: { kind: 'end', token: word } };
        case 'else': {
          const after = this.peekNonSpace();
          if (after.kind === 'keyword' && (after.text === 'if' || after.text === 'with')) {
            this.next();
            return { nodes, end: { kind: 'elseControl', token: word, keyword: after.text } };
          }
          this.expect('rightDelim', 'else');
          return { nodes, end: { kind: 'else', token: word } };
        }
        case 'if':
        case 'with':
        case 'range':
          nodes.push(this.parseControl(word.text, word));
          break;
        case 'break':
        case 'continue':
          if (this.rangeDepth === 0) this.fail(word, `{{${word.text}}} outside {{range}}`);
          this.expect('rightDelim', word.text);
          nodes.push({ kind: word.text, pos: word.pos });
          break;
        case 'template':
          nodes.push(this.parseTemplateCall(word));
          break;
        case 'block':
          nodes.push(this.parseBlock(word));
          break;
        case 'define':
          if (!topLevel) this.unexpected(word, 'command');
          this.parseDefine(word);
          break;
        default:
          this.unexpected(word, 'command');
      }
    }
  }

  /** Parses `{{if|with|range pipeline}} list [{{else}} list] {{end}}` after the keyword. */
  private parseControl(kind: ControlKind, keyword: Token): TemplateNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(kind, 'rightDelim');
    if (kind === 'range') this.rangeDepth++;
    const first = this.parseList();
    if (kind === 'range') this.rangeDepth--;
    let elseList: TemplateNode[] | undefined;
    const end = first.end;
    if (end.kind === 'eof') this.fail(end.token, 'unexpected EOF');
    if (end.kind === 'elseControl' && end.keyword === kind) {
      // `{{else if b}}` is `{{else}}{{if b}}…{{end}}` sharing the final {{end}}.
      elseList = [this.parseControl(kind, end.token)];
    } else if (end.kind === 'else' || end.kind === 'elseControl') {
      elseList = [];
      if (end.kind === 'elseControl') {
        // `{{else with}}` inside an if: a nested control that needs its own {{end}}, as in Go.
        elseList.push(this.parseControl(end.keyword, end.token));
      }
      const rest = this.parseList();
      elseList.push(...rest.nodes);
      if (rest.end.kind === 'eof') this.fail(rest.end.token, 'unexpected EOF');
      if (rest.end.kind !== 'end') this.fail(rest.end.token, `expected end; found {{else}}`);
    }
    this.vars.length = mark;
    return { kind, pos: keyword.pos, pipe, list: first.nodes, elseList };
  }

  private parseTemplateCall(keyword: Token): TemplateNode {
    const nameToken = this.nextNonSpace();
    if (nameToken.kind !== 'string') this.unexpected(nameToken, 'template clause');
    let pipe: Pipeline | undefined;
    if (this.peekNonSpace().kind !== 'rightDelim') pipe = this.pipeline('template clause', 'rightDelim');
    else this.next();
    return { kind: 'template', pos: keyword.pos, name: nameToken.text, pipe };
  }

  private parseBlock(keyword: Token): TemplateNode {
    const nameToken = this.nextNonSpace();
    if (nameToken.kind !== 'string') this.unexpected(nameToken, 'block clause');
    const pipe = this.pipeline('block clause', 'rightDelim');
    this.defineBody(nameToken.text, keyword);
    return { kind: 'template', pos: keyword.pos, name: nameToken.text, pipe };
  }

  private parseDefine(keyword: Token): void {
    const nameToken = this.nextNonSpace();
    if (nameToken.kind !== 'string') this.unexpected(nameToken, 'define clause');
    this.expect('rightDelim', 'define clause');
    this.defineBody(nameToken.text, keyword);
  }

  /** Parses a define/block body up to its {{end}}, with its own variable scope. */
  private defineBody(name: string, keyword: Token): void {
    const savedVars = this.vars;
    const savedRange = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    const body = this.parseList();
    if (body.end.kind === 'eof') this.fail(body.end.token, 'unexpected EOF');
    if (body.end.kind !== 'end') this.fail(body.end.token, 'unexpected {{else}}');
    this.vars = savedVars;
    this.rangeDepth = savedRange;
    if (this.defines.has(name)) this.fail(keyword, `template: multiple definition of template "${name}"`);
    this.defines.set(name, body.nodes);
  }

  // ---- pipelines ----

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): Pipeline {
    const start = this.peekNonSpace();
    const decl: string[] = [];
    const varsBefore = [...this.vars];
    let isAssign = false;
    for (;;) {
      const v = this.peekNonSpace();
      if (v.kind !== 'variable') break;
      const saved = this.i;
      this.next();
      const after = this.peekNonSpace();
      if (after.kind === 'declare' || after.kind === 'assign') {
        this.next();
        isAssign = after.kind === 'assign';
        decl.push(v.text);
        this.vars.push(v.text);
        break;
      }
      if (after.kind === 'comma' && context === 'range' && decl.length === 0) {
        // `$i, $v :=` — the only place two variables may be declared.
        this.next();
        decl.push(v.text);
        this.vars.push(v.text);
        continue;
      }
      if (after.kind === 'comma') this.fail(after, `too many declarations in ${context}`);
      this.i = saved; // `$x` is an operand, not a declaration
      break;
    }
    if (decl.length > 0 && this.tokens[this.i - 1]?.kind !== 'declare' && this.tokens[this.i - 1]?.kind !== 'assign') {
      this.fail(start, 'range can only initialize variables');
    }
    if (isAssign) {
      const unknown = decl.find((name) => !varsBefore.includes(name));
      if (unknown !== undefined) this.fail(start, `undefined variable "${unknown}"`);
    }
    const cmds: Command[] = [];
    for (;;) {
      const t = this.peekNonSpace();
      if (t.kind === end) {
        this.next();
        break;
      }
      if (!isOperandStart(t.kind)) this.unexpected(t, context);
      cmds.push(this.command(context));
    }
    if (cmds.length === 0) this.fail(start, `missing value for ${context}`);
    cmds.forEach((cmd, index) => {
      const first = cmd.args[0];
      if (index > 0 && first !== undefined && isLiteral(first)) {
        this.fail(start, `non executable command in pipeline stage ${index + 1}`);
      }
    });
    return { pos: start.pos, decl, isAssign, cmds };
  }

  private command(context: string): Command {
    const args: Operand[] = [];
    const pos = this.peekNonSpace().pos;
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== undefined) args.push(operand);
      const t = this.peek();
      if (t.kind === 'space') {
        this.next();
        continue;
      }
      if (t.kind === 'rightDelim' || t.kind === 'rightParen') break;
      if (t.kind === 'pipe') {
        this.next();
        const after = this.peekNonSpace();
        if (after.kind === 'rightDelim' || after.kind === 'rightParen') this.fail(after, 'missing command after |');
        break;
      }
      this.unexpected(t, 'operand');
    }
    if (args.length === 0) this.fail(this.peek(), `empty command in ${context}`);
    return { pos, args };
  }

  private operand(): Operand | undefined {
    const node = this.term();
    if (node === undefined || this.peek().kind !== 'field') return node;
    const fields: string[] = [];
    while (this.peek().kind === 'field') fields.push(this.next().text);
    switch (node.kind) {
      case 'field':
        return { ...node, names: [...node.names, ...fields] };
      case 'variable':
        return { ...node, fields: [...node.fields, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        throw new TemplateError(
          `template: :${this.lineOf(node.pos)}: unexpected . after term "${operandString(node)}"`,
        );
      default:
        return { kind: 'chain', pos: node.pos, node, fields };
    }
  }

  private lineOf(pos: number): number {
    return this.tokens.find((t) => t.pos >= pos)?.line ?? 1;
  }

  private term(): Operand | undefined {
    const t = this.peekNonSpace();
    switch (t.kind) {
      case 'identifier':
        this.next();
        if (!this.hasFunction(t.text)) this.fail(t, `function "${t.text}" not defined`);
        return { kind: 'function', pos: t.pos, name: t.text };
      case 'dot':
        this.next();
        return { kind: 'dot', pos: t.pos };
      case 'nil':
        this.next();
        return { kind: 'nil', pos: t.pos };
      case 'variable':
        this.next();
        if (!this.vars.includes(t.text)) this.fail(t, `undefined variable "${t.text}"`);
        return { kind: 'variable', pos: t.pos, name: t.text, fields: [] };
      case 'field':
        this.next();
        return { kind: 'field', pos: t.pos, names: [t.text] };
      case 'bool':
        this.next();
        return { kind: 'bool', pos: t.pos, value: t.text === 'true' };
      case 'number':
      case 'char':
        this.next();
        return this.number(t);
      case 'string':
        this.next();
        return { kind: 'string', pos: t.pos, value: t.text, text: t.text };
      case 'leftParen':
        this.next();
        return { kind: 'pipe', pos: t.pos, pipe: this.pipeline('parenthesized pipeline', 'rightParen') };
      default:
        return undefined;
    }
  }

  private number(t: Token): Operand {
    if (t.kind === 'char') return { kind: 'number', pos: t.pos, value: Number(t.text), text: t.text };
    if (t.text.endsWith('i')) this.fail(t, `complex numbers are not supported: ${t.text}`);
    const value = parseGoNumber(t.text);
    if (value === undefined) this.fail(t, `illegal number syntax: "${t.text}"`);
    return { kind: 'number', pos: t.pos, value, text: t.text };
  }
}

/** Parses a Go integer or float literal (with 0x/0o/0b prefixes and underscores). */
function parseGoNumber(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1;
  let body = text.replace(/^[+-]/, '');
  if (body.includes('_')) {
    if (/^_|_$|__/.test(body.replace(/^0[xXoObB]/, ''))) return undefined;
    body = body.replace(/_/g, '');
  }
  let value: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) value = parseInt(body.slice(2), 16);
  else if (/^0[oO][0-7]+$/.test(body)) value = parseInt(body.slice(2), 8);
  else if (/^0[bB][01]+$/.test(body)) value = parseInt(body.slice(2), 2);
  else if (/^0[0-7]+$/.test(body)) value = parseInt(body.slice(1), 8);
  else if (/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(body)) value = Number(body);
  else return undefined;
  return Number.isFinite(value) ? sign * value : undefined;
}

function isOperandStart(kind: TokenKind): boolean {
  return ['bool', 'char', 'dot', 'field', 'identifier', 'number', 'nil', 'string', 'variable', 'leftParen']
    .includes(kind);
}

function isLiteral(op: Operand): boolean {
  return op.kind === 'bool' || op.kind === 'dot' || op.kind === 'nil' || op.kind === 'number' || op.kind === 'string';
}

function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'EOF';
    case 'keyword':
      return `<${t.text}>`;
    case 'leftDelim':
    case 'rightDelim':
      return `"${t.text}"`;
    case 'text':
      return `text`;
    default:
      return `"${t.text}"`;
  }
}

/** Source-like rendering of an operand, for error messages (`at <.Foo>`). */
export function operandString(op: Operand): string {
  switch (op.kind) {
    case 'field':
      return op.names.map((n) => '.' + n).join('');
    case 'variable':
      return op.name + op.fields.map((n) => '.' + n).join('');
    case 'dot':
      return '.';
    case 'function':
      return op.name;
    case 'pipe':
      return `(${pipelineString(op.pipe)})`;
    case 'chain':
      return operandString(op.node) + op.fields.map((n) => '.' + n).join('');
    case 'string':
      return JSON.stringify(op.value);
    case 'number':
      return op.text;
    case 'bool':
      return String(op.value);
    case 'nil':
      return 'nil';
  }
}

export function commandString(cmd: Command): string {
  return cmd.args.map(operandString).join(' ');
}

export function pipelineString(pipe: Pipeline): string {
  const decl = pipe.decl.length > 0 ? `${pipe.decl.join(', ')} ${pipe.isAssign ? '=' : ':='} ` : '';
  return decl + pipe.cmds.map(commandString).join(' | ');
}
