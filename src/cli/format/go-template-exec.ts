/**
 * Executes a parsed Go template against JSON-like data, following text/template's
 * evaluation rules: field chains, variables and their scopes, pipelines passing the
 * previous result as the last argument, if/with/range with else, break/continue and
 * named templates. Object properties that hold functions are called like Go methods.
 */
import { TemplateError } from './go-template-error.js';
import { formatGoValue } from './go-template-fmt.js';
import { ArgumentTypeError, builtinFunctions, type TemplateFunction } from './go-template-funcs.js';
import {
  commandString,
  operandString,
  pipelineString,
  type Command,
  type ControlNode,
  type Operand,
  type ParsedTemplate,
  type Pipeline,
  type TemplateCallNode,
  type TemplateNode,
} from './go-template-parser.js';
import { goTypeName, isGoFunction, isGoInt, isGoMap, isTrue, sortedMapEntries } from './go-template-values.js';

/** What a missing map key evaluates to, as Go's `missingkey=` option. */
export type MissingKeyMode = 'default' | 'zero' | 'error';

export interface ExecOptions {
  readonly missingKey: MissingKeyMode;
}

/** The previous command's result in a pipeline, passed on as the final argument. */
type Final = { readonly value: unknown } | undefined;

class BreakSignal {}
class ContinueSignal {}

const MAX_TEMPLATE_DEPTH = 1000;

/** Runs a parsed template; throws TemplateError with Go-style messages. */
export function executeTemplate(
  src: string,
  parsed: ParsedTemplate,
  funcs: ReadonlyMap<string, TemplateFunction>,
  options: ExecOptions,
  data: unknown,
): string {
  const exec = new Executor(src, parsed, funcs, options);
  try {
    return exec.run(data);
  } catch (e: unknown) {
    if (e instanceof TemplateError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    throw new TemplateError(`template: : executing "": ${message}`, { cause: e });
  }
}

class Executor {
  private out = '';
  private vars: { name: string; value: unknown }[] = [];
  private depth = 0;
  /** Position and source-like text of the node being evaluated, for error messages. */
  private at: { pos: number; text: string } | undefined;

  constructor(
    private readonly src: string,
    private readonly parsed: ParsedTemplate,
    private readonly funcs: ReadonlyMap<string, TemplateFunction>,
    private readonly options: ExecOptions,
  ) {}

  run(data: unknown): string {
    this.vars = [{ name: '$', value: data }];
    this.walkList(data, this.parsed.root);
    return this.out;
  }

  private fail(message: string): never {
    if (this.at === undefined) throw new TemplateError(`template: : ${message}`);
    const before = this.src.slice(0, this.at.pos);
    const lineStart = before.lastIndexOf('\n') + 1;
    const line = before.split('\n').length;
    const column = Buffer.byteLength(before.slice(lineStart), 'utf8');
    const text = this.at.text.length > 20 ? this.at.text.slice(0, 20) + '...' : this.at.text;
    throw new TemplateError(`template: :${line}:${column}: executing "" at <${text}>: ${message}`);
  }

  private setAt(pos: number, text: string): void {
    this.at = { pos, text };
  }

  // ---- walking nodes ----

  private walkList(dot: unknown, nodes: readonly TemplateNode[]): void {
    for (const node of nodes) this.walk(dot, node);
  }

  private walk(dot: unknown, node: TemplateNode): void {
    switch (node.kind) {
      case 'text':
        this.out += node.text;
        return;
      case 'action': {
        const value = this.evalPipeline(dot, node.pipe, true);
        if (node.pipe.decl.length === 0) this.print(node.pos, node.pipe, value);
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        this.setAt(node.pos, `{{${node.kind} ${pipelineString(node.pipe)}}}`);
        const value = this.evalPipeline(dot, node.pipe, true);
        if (isTrue(value)) this.walkList(node.kind === 'with' ? value : dot, node.list);
        else if (node.elseList !== undefined) this.walkList(dot, node.elseList);
        this.vars.length = mark;
        return;
      }
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'template':
        this.walkTemplate(dot, node);
        return;
    }
  }

  private print(pos: number, pipe: Pipeline, value: unknown): void {
    if (isGoFunction(value)) {
      this.setAt(pos, pipelineString(pipe));
      this.fail(`can't print ${pipelineString(pipe)} of type ${goTypeName(value)}`);
    }
    this.out += formatGoValue(value);
  }

  private walkRange(dot: unknown, node: ControlNode): void {
    const mark = this.vars.length;
    this.setAt(node.pos, `{{range ${pipelineString(node.pipe)}}}`);
    const value = this.evalPipeline(dot, node.pipe, false);
    const items = this.rangeItems(value, node.pipe.decl.length);
    const [first, second] = node.pipe.decl;
    let iterated = false;
    for (const [key, elem] of items) {
      iterated = true;
      // With one variable it gets the element; with two, the key/index and the element.
      if (second !== undefined && first !== undefined) {
        this.declareOrAssign(first, key, node.pipe.isAssign);
        this.declareOrAssign(second, elem, node.pipe.isAssign);
      } else if (first !== undefined) {
        this.declareOrAssign(first, elem, node.pipe.isAssign);
      }
      try {
        this.walkList(elem, node.list);
      } catch (e: unknown) {
        if (e instanceof BreakSignal) break;
        if (!(e instanceof ContinueSignal)) throw e;
      } finally {
        this.vars.length = mark;
      }
    }
    this.vars.length = mark;
    if (!iterated && node.elseList !== undefined) this.walkList(dot, node.elseList);
  }

  private rangeItems(value: unknown, varCount: number): Iterable<[unknown, unknown]> {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value.map((v, i): [unknown, unknown] => [i, v]);
    if (isGoMap(value)) return sortedMapEntries(value);
    if (isGoInt(value)) {
      if (varCount > 1) this.fail(`can't use ${formatGoValue(value)} to iterate over more than one variable`);
      const n = Number(value);
      return Array.from({ length: Math.max(n, 0) }, (_, i): [unknown, unknown] => [i, i]);
    }
    this.fail(`range can't iterate over ${formatGoValue(value)}`);
  }

  private walkTemplate(dot: unknown, node: TemplateCallNode): void {
    this.setAt(node.pos, `{{template ${JSON.stringify(node.name)}}}`);
    const body = this.parsed.defines.get(node.name);
    if (body === undefined) this.fail(`template ${JSON.stringify(node.name)} not defined`);
    if (this.depth >= MAX_TEMPLATE_DEPTH) this.fail(`exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
    const newDot = node.pipe === undefined ? undefined : this.evalPipeline(dot, node.pipe, true);
    // No dynamic scoping: the called template sees only `$`.
    const savedVars = this.vars;
    this.vars = [{ name: '$', value: newDot }];
    this.depth++;
    try {
      this.walkList(newDot, body);
    } finally {
      this.depth--;
      this.vars = savedVars;
    }
  }

  // ---- variables ----

  private declareOrAssign(name: string, value: unknown, isAssign: boolean): void {
    if (!isAssign) {
      this.vars.push({ name, value });
      return;
    }
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v?.name === name) {
        v.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  private lookupVar(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v?.name === name) return v.value;
    }
    this.fail(`undefined variable: ${name}`);
  }

  // ---- pipelines and commands ----

  private evalPipeline(dot: unknown, pipe: Pipeline, bindVars: boolean): unknown {
    let final: Final;
    for (const cmd of pipe.cmds) final = { value: this.evalCommand(dot, cmd, final) };
    const value = final?.value;
    if (bindVars) for (const name of pipe.decl) this.declareOrAssign(name, value, pipe.isAssign);
    return value;
  }

  private evalCommand(dot: unknown, cmd: Command, final: Final): unknown {
    const [first] = cmd.args;
    if (first === undefined) this.fail('empty command');
    switch (first.kind) {
      case 'field':
        return this.evalFieldChain(dot, dot, first, first.names, cmd.args, final);
      case 'chain':
        return this.evalChain(dot, first, cmd.args, final);
      case 'variable':
        return this.evalVariable(first, cmd.args, final, dot);
      case 'function':
        return this.evalFunction(dot, first, cmd, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first.pipe, true);
      case 'nil':
        this.setAt(first.pos, 'nil');
        this.fail('nil is not a command');
    }
    this.notAFunction(cmd.args, final);
    return this.evalLiteral(dot, first);
  }

  private notAFunction(args: readonly Operand[], final: Final): void {
    const [first] = args;
    if (first !== undefined && (args.length > 1 || final !== undefined)) {
      this.setAt(first.pos, operandString(first));
      this.fail(`can't give argument to non-function ${operandString(first)}`);
    }
  }

  private evalLiteral(dot: unknown, op: Operand): unknown {
    switch (op.kind) {
      case 'dot':
        return dot;
      case 'string':
      case 'number':
      case 'bool':
        return op.value;
      default:
        return null;
    }
  }

  /** Evaluates an operand used as an argument: never with arguments of its own. */
  private evalArg(dot: unknown, op: Operand): unknown {
    switch (op.kind) {
      case 'field':
        return this.evalFieldChain(dot, dot, op, op.names, [op], undefined);
      case 'variable':
        return this.evalVariable(op, [op], undefined, dot);
      case 'chain':
        return this.evalChain(dot, op, [op], undefined);
      case 'pipe':
        return this.evalPipeline(dot, op.pipe, true);
      case 'function':
        return this.evalFunction(dot, op, { pos: op.pos, args: [op] }, undefined);
      default:
        return this.evalLiteral(dot, op);
    }
  }

  private evalVariable(
    op: Extract<Operand, { kind: 'variable' }>,
    args: readonly Operand[],
    final: Final,
    dot: unknown,
  ): unknown {
    this.setAt(op.pos, operandString(op));
    const value = this.lookupVar(op.name);
    if (op.fields.length === 0) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, op, op.fields, args, final);
  }

  private evalChain(
    dot: unknown,
    op: Extract<Operand, { kind: 'chain' }>,
    args: readonly Operand[],
    final: Final,
  ): unknown {
    if (op.node.kind === 'nil') {
      this.setAt(op.pos, operandString(op));
      this.fail(`indirection through explicit nil in ${operandString(op)}`);
    }
    const receiver = this.evalArg(dot, op.node);
    return this.evalFieldChain(dot, receiver, op, op.fields, args, final);
  }

  private evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: Operand,
    names: readonly string[],
    args: readonly Operand[],
    final: Final,
  ): unknown {
    let value = receiver;
    names.forEach((name, i) => {
      this.setAt(node.pos, operandString(node));
      const last = i === names.length - 1;
      value = this.evalField(dot, name, value, last ? args : [], last ? final : undefined);
    });
    return value;
  }

  /** Looks up one field; `args[0]` is the field's own node, the rest are call arguments. */
  private evalField(dot: unknown, name: string, receiver: unknown, args: readonly Operand[], final: Final): unknown {
    if (receiver === undefined || receiver === null) {
      if (this.options.missingKey === 'error') {
        this.fail(receiver === null ? `nil pointer evaluating interface {}.${name}` : `nil data; no entry for key "${name}"`);
      }
      return undefined;
    }
    if (!isGoMap(receiver)) this.fail(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
    const value = Object.hasOwn(receiver, name) ? receiver[name] : undefined;
    if (isGoFunction(value)) {
      const argv = args.slice(1).map((a) => this.evalArg(dot, a));
      if (final !== undefined) argv.push(final.value);
      return this.callFunction(name, (a) => value.apply(receiver, [...a]), argv);
    }
    if (args.length > 1 || final !== undefined) this.fail(`${name} is not a method but has arguments`);
    if (value !== undefined) return value;
    switch (this.options.missingKey) {
      case 'error':
        return this.fail(`map has no entry for key "${name}"`);
      case 'zero':
        return null;
      default:
        return undefined;
    }
  }

  private evalFunction(
    dot: unknown,
    op: Extract<Operand, { kind: 'function' }>,
    cmd: Command,
    final: Final,
  ): unknown {
    const fn = this.funcs.get(op.name);
    this.setAt(op.pos, op.name);
    if (fn === undefined) this.fail(`"${op.name}" is not a defined function`);
    const argNodes = cmd.args.slice(1);
    const count = argNodes.length + (final === undefined ? 0 : 1);
    if (count < fn.minArgs || count > fn.maxArgs) {
      const want = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `at least ${fn.minArgs}`;
      this.fail(`wrong number of args for ${op.name}: want ${want} got ${count}`);
    }
    if ((op.name === 'and' || op.name === 'or') && fn === builtinFunctions.get(op.name)) {
      return this.evalShortCircuit(dot, op.name, argNodes, final);
    }
    const argv = argNodes.map((a) => this.evalArg(dot, a));
    if (final !== undefined) argv.push(final.value);
    this.setAt(cmd.pos, commandString(cmd));
    return this.callFunction(op.name, fn.call, argv);
  }

  /** `and` stops at the first false argument, `or` at the first true one. */
  private evalShortCircuit(dot: unknown, name: 'and' | 'or', args: readonly Operand[], final: Final): unknown {
    let value: unknown;
    for (const arg of args) {
      value = this.evalArg(dot, arg);
      if (isTrue(value) === (name === 'or')) return value;
    }
    return final === undefined ? value : final.value;
  }

  private callFunction(name: string, call: (args: readonly unknown[]) => unknown, args: unknown[]): unknown {
    // Go passes nil for a missing value given to a function.
    const argv = args.map((a) => (a === undefined ? null : a));
    try {
      return call(argv);
    } catch (e: unknown) {
      if (e instanceof TemplateError) throw e;
      if (e instanceof ArgumentTypeError) this.fail(e.message);
      this.fail(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
