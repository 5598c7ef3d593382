/**
 * Command-line flag parsing that behaves like the docker CLI, which is built on cobra and
 * spf13/pflag: the same flag syntax and the same error texts (byte for byte, including Go's %q
 * quoting and strconv/time/csv messages). Values are parsed by ../../units/go-values.ts.
 */

import {
  goQuote,
  parseGoBool,
  parseGoDuration,
  parseGoFloat,
  parseGoInteger,
  parseRamBytes,
  quoteShorthandByte,
  readCsvRecord,
} from '../../units/go-values.js';

/** Value kinds. The name shown in help is noted on each (pflag's `Value.Type()`). */
export type FlagType =
  | 'bool' // no value name; accepts --x, --x=false, -x
  | 'string' // "string"
  | 'int' // "int", Go strconv.ParseInt(s, 0, 64)
  | 'uint' // "uint", strconv.ParseUint(s, 0, 64)
  | 'uint16' // "uint16", strconv.ParseUint(s, 0, 16)
  | 'float' // "float", strconv.ParseFloat(s, 64)
  | 'duration' // "duration", Go time.ParseDuration; stored in nanoseconds
  | 'bytes' // "bytes", docker's MemBytes ("512m", "1GiB"); stored in bytes
  | 'stringArray' // "stringArray", each use appends the value as is
  | 'stringSlice' // "strings", each use appends the comma-separated (CSV) values
  | 'list' // "list", docker's ListOpts: each use appends the value
  | 'map'; // "map", docker's MapOpts: each use sets key=value

interface FlagSpecBase {
  /** Long name without dashes: "name" for --name. */
  readonly name: string;
  /** One-character shorthand without dash: "n" for -n. */
  readonly short?: string;
  /** Help text. A `word` in backquotes becomes the value name, as in pflag. */
  readonly usage: string;
  /** Value name shown in help instead of the type's ("filter", "decimal", "mount"). */
  readonly valueName?: string;
  /** Replaces the computed "(default …)" text, e.g. "[]" for docker's ulimit option. */
  readonly defaultText?: string;
  readonly hidden?: boolean;
  /** Marks the flag deprecated: it is hidden from help and using it adds a warning. */
  readonly deprecated?: string;
  /** Marks only the shorthand deprecated: help omits it and using it adds a warning. */
  readonly shortDeprecated?: string;
  /**
   * Checks or normalises the raw text before the type's own parsing, like docker's option
   * validators. A thrown Error's message becomes `invalid argument "v" for "--x" flag: <message>`.
   */
  readonly validate?: (value: string) => string;
}

export type FlagSpec =
  | (FlagSpecBase & { readonly type: 'bool'; readonly default?: boolean })
  | (FlagSpecBase & { readonly type: 'string'; readonly default?: string })
  | (FlagSpecBase & {
      readonly type: 'int' | 'uint' | 'uint16' | 'float' | 'duration' | 'bytes';
      /** For 'duration' in nanoseconds, for 'bytes' in bytes. */
      readonly default?: number;
    })
  | (FlagSpecBase & {
      readonly type: 'stringArray' | 'stringSlice' | 'list';
      readonly default?: readonly string[];
    })
  | (FlagSpecBase & {
      readonly type: 'map';
      readonly default?: Readonly<Record<string, string>>;
    });

export type FlagErrorKind =
  | 'unknown-flag'
  | 'unknown-shorthand'
  | 'needs-argument'
  | 'invalid-argument'
  | 'bad-syntax';

/** A command-line mistake. The message is pflag's text; docker exits 125 after printing it. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
  constructor(
    readonly kind: FlagErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface ParseOptions {
  /**
   * true (ps, rm, …): flags may follow positional arguments. false (run, exec, create): the
   * first positional argument ends flag parsing, everything after it is passed through.
   */
  readonly interspersed: boolean;
}

type FlagValue = boolean | string | number | readonly string[] | ReadonlyMap<string, string>;

/** cobra's help flag as the docker CLI sets it up: hidden, and `-h` deprecated for `--help`. */
const HELP_FLAG: FlagSpec = {
  name: 'help',
  short: 'h',
  type: 'bool',
  usage: 'Print usage',
  hidden: true,
  shortDeprecated: 'use --help',
};
const LONG_HELP_FLAG: FlagSpec = { name: 'help', type: 'bool', usage: 'Print usage', hidden: true };

function initialValue(spec: FlagSpec): FlagValue {
  switch (spec.type) {
    case 'bool':
      return spec.default ?? false;
    case 'string':
      return spec.default ?? '';
    case 'stringArray':
    case 'stringSlice':
    case 'list':
      return [...(spec.default ?? [])];
    case 'map':
      return new Map(Object.entries(spec.default ?? {}));
    default:
      return spec.default ?? 0;
  }
}

/** Flags as parsed; the getters throw a TypeError for a name or type the command never declared. */
export class ParsedFlags {
  constructor(
    private readonly specs: ReadonlyMap<string, FlagSpec>,
    private readonly values: ReadonlyMap<string, FlagValue>,
    private readonly changed: ReadonlySet<string>,
    /** Positional arguments, in order. */
    readonly args: readonly string[],
    /** Index in `args` where a `--` stood (pflag's ArgsLenAtDash), or -1. */
    readonly dashIndex: number,
    /**
     * Deprecation notices such as "Flag shorthand -h has been deprecated, use --help";
     * docker prints them on stdout.
     */
    readonly warnings: readonly string[],
  ) {}

  /** `--help` (or `-h` where no other flag owns it) was given and not set back to false. */
  get help(): boolean {
    return this.values.get('help') === true;
  }

  /** Whether the user set the flag (pflag's `Changed`), as opposed to it holding its default. */
  has(name: string): boolean {
    this.spec(name);
    return this.changed.has(name);
  }

  getBool(name: string): boolean {
    return this.typed(name, ['bool']) as boolean;
  }

  getString(name: string): string {
    return this.typed(name, ['string']) as string;
  }

  getStrings(name: string): readonly string[] {
    return this.typed(name, ['stringArray', 'stringSlice', 'list']) as readonly string[];
  }

  /** int, uint, uint16 and bytes flags. */
  getInt(name: string): number {
    return this.typed(name, ['int', 'uint', 'uint16', 'bytes']) as number;
  }

  getFloat(name: string): number {
    return this.typed(name, ['float']) as number;
  }

  /** Nanoseconds, like Go's time.Duration and the Engine API's healthcheck fields. */
  getDuration(name: string): number {
    return this.typed(name, ['duration']) as number;
  }

  getMap(name: string): ReadonlyMap<string, string> {
    return this.typed(name, ['map']) as ReadonlyMap<string, string>;
  }

  private spec(name: string): FlagSpec {
    const spec = this.specs.get(name);
    if (spec === undefined) throw new TypeError(`flag --${name} is not defined`);
    return spec;
  }

  private typed(name: string, types: readonly FlagType[]): FlagValue {
    const spec = this.spec(name);
    if (!types.includes(spec.type)) {
      throw new TypeError(`flag --${name} is of type ${spec.type}, not ${types.join('/')}`);
    }
    const value = this.values.get(name);
    if (value === undefined) throw new TypeError(`flag --${name} has no value`);
    return value;
  }
}

function flagDisplayName(spec: FlagSpec): string {
  return spec.short !== undefined && spec.shortDeprecated === undefined
    ? `-${spec.short}, --${spec.name}`
    : `--${spec.name}`;
}

class FlagParser {
  readonly values = new Map<string, FlagValue>();
  readonly changed = new Set<string>();
  readonly warnings: string[] = [];
  readonly args: string[] = [];
  dashIndex = -1;
  private pos = 0;

  constructor(
    private readonly argv: readonly string[],
    readonly byName: ReadonlyMap<string, FlagSpec>,
    private readonly byShort: ReadonlyMap<string, FlagSpec>,
    private readonly interspersed: boolean,
  ) {
    for (const spec of byName.values()) this.values.set(spec.name, initialValue(spec));
  }

  run(): void {
    while (this.pos < this.argv.length) {
      const arg = this.argv[this.pos++] ?? '';
      if (arg.length < 2 || !arg.startsWith('-')) {
        this.args.push(arg);
        if (!this.interspersed) {
          this.args.push(...this.argv.slice(this.pos));
          return;
        }
      } else if (arg === '--') {
        this.dashIndex = this.args.length;
        this.args.push(...this.argv.slice(this.pos));
        return;
      } else if (arg.startsWith('--')) {
        this.parseLong(arg);
      } else {
        let shorthands = arg.slice(1);
        while (shorthands !== '') shorthands = this.parseShort(shorthands);
      }
    }
  }

  private nextArg(): string | undefined {
    return this.pos < this.argv.length ? this.argv[this.pos++] : undefined;
  }

  private parseLong(arg: string): void {
    const body = arg.slice(2);
    if (body.startsWith('-') || body.startsWith('=')) {
      throw new FlagError('bad-syntax', `bad flag syntax: ${arg}`);
    }
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const spec = this.byName.get(name);
    if (spec === undefined) throw new FlagError('unknown-flag', `unknown flag: --${name}`);
    let value: string | undefined;
    if (eq >= 0) value = body.slice(eq + 1);
    else if (spec.type === 'bool') value = 'true';
    else value = this.nextArg();
    if (value === undefined) {
      throw new FlagError('needs-argument', `flag needs an argument: ${arg}`);
    }
    this.set(spec, value);
  }

  /** Consumes the first shorthand in `shorthands`; returns what is left of the cluster. */
  private parseShort(shorthands: string): string {
    const c = String.fromCodePoint(shorthands.codePointAt(0) ?? 0);
    const spec = this.byShort.get(c);
    if (spec === undefined) {
      throw new FlagError(
        'unknown-shorthand',
        `unknown shorthand flag: ${quoteShorthandByte(c)} in -${shorthands}`,
      );
    }
    let rest = shorthands.slice(1);
    let value: string | undefined;
    if (shorthands.length > 2 && shorthands.charAt(1) === '=') {
      value = shorthands.slice(2);
      rest = '';
    } else if (spec.type === 'bool') {
      value = 'true';
    } else if (rest !== '') {
      value = rest;
      rest = '';
    } else {
      value = this.nextArg();
    }
    if (value === undefined) {
      throw new FlagError(
        'needs-argument',
        `flag needs an argument: ${quoteShorthandByte(c)} in -${shorthands}`,
      );
    }
    if (spec.shortDeprecated !== undefined) {
      this.warnings.push(`Flag shorthand -${c} has been deprecated, ${spec.shortDeprecated}`);
    }
    this.set(spec, value);
    return rest;
  }

  private set(spec: FlagSpec, raw: string): void {
    try {
      const text = spec.validate ? spec.validate(raw) : raw;
      this.values.set(spec.name, this.convert(spec, text));
    } catch (e: unknown) {
      const why = e instanceof Error ? e.message : String(e);
      throw new FlagError(
        'invalid-argument',
        `invalid argument ${goQuote(raw)} for ${goQuote(flagDisplayName(spec))} flag: ${why}`,
        { cause: e },
      );
    }
    if (spec.deprecated !== undefined) {
      this.warnings.push(`Flag --${spec.name} has been deprecated, ${spec.deprecated}`);
    }
    this.changed.add(spec.name);
  }

  private convert(spec: FlagSpec, text: string): FlagValue {
    const current = this.values.get(spec.name);
    const fresh = !this.changed.has(spec.name);
    const strings = Array.isArray(current) ? (current as readonly string[]) : [];
    switch (spec.type) {
      case 'bool':
        return parseGoBool(text);
      case 'string':
        return text;
      case 'int':
        return parseGoInteger(text, 64, true);
      case 'uint':
        return parseGoInteger(text, 64, false);
      case 'uint16':
        return parseGoInteger(text, 16, false);
      case 'float':
        return parseGoFloat(text);
      case 'duration':
        return parseGoDuration(text);
      case 'bytes':
        return parseRamBytes(text);
      case 'stringArray':
        // pflag: the first use replaces the default, later uses append.
        return [...(fresh ? [] : strings), text];
      case 'stringSlice':
        return [...(fresh ? [] : strings), ...(text === '' ? [] : readCsvRecord(text))];
      case 'list':
        return [...strings, text];
      case 'map': {
        const next = new Map<string, string>(current instanceof Map ? current : []);
        const eq = text.indexOf('=');
        next.set(eq >= 0 ? text.slice(0, eq) : text, eq >= 0 ? text.slice(eq + 1) : '');
        return next;
      }
    }
  }
}

/** Adds cobra's implicit help flag (`-h` only where the command does not use it). */
function withHelpFlag(specs: readonly FlagSpec[]): FlagSpec[] {
  if (specs.some((s) => s.name === 'help')) return [...specs];
  return [...specs, specs.some((s) => s.short === 'h') ? LONG_HELP_FLAG : HELP_FLAG];
}

/**
 * Parses argv (without the program and command names) the way pflag does for a cobra command.
 * Throws FlagError with pflag's message on the first mistake.
 */
export function parseFlags(
  argv: readonly string[],
  specs: readonly FlagSpec[],
  opts: ParseOptions,
): ParsedFlags {
  const byName = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  for (const spec of withHelpFlag(specs)) {
    if (byName.has(spec.name)) throw new Error(`flag redefined: ${spec.name}`);
    byName.set(spec.name, spec);
    if (spec.short !== undefined) {
      if (spec.short.length !== 1) {
        throw new Error(`flag --${spec.name}: shorthand must be one character`);
      }
      const other = byShort.get(spec.short);
      if (other !== undefined) {
        throw new Error(
          `unable to redefine ${goQuote(spec.short)} shorthand: ` +
            `it's already used for ${goQuote(other.name)} flag`,
        );
      }
      byShort.set(spec.short, spec);
    }
  }
  const parser = new FlagParser(argv, byName, byShort, opts.interspersed);
  parser.run();
  return new ParsedFlags(
    byName,
    parser.values,
    parser.changed,
    parser.args,
    parser.dashIndex,
    parser.warnings,
  );
}
