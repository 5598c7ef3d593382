/**
 * Go structs for `--format` templates. The template engine treats objects as Go maps, where
 * an unknown key prints `<no value>`; the docker CLI runs its templates on structs, where an
 * unknown field is an error:
 *
 *   template: :1:2: executing "" at <.Foo>: can't evaluate field Foo in type *formatter.imageContext
 *
 * goStruct() wraps an object so that looking up a field it lacks throws MissingFieldError, and
 * templateErrorText() turns the engine's error into the docker CLI's text. A field that Go
 * omits from JSON (`omitempty` and empty) but that templates can still read is given as a
 * function returning the zero value: field access calls it, `json` skips it.
 */
import type { TemplateError } from '../format/go-template.js';

export class MissingFieldError extends Error {
  constructor(
    readonly field: string,
    readonly typeName: string,
  ) {
    super(`can't evaluate field ${field} in type ${typeName}`);
    this.name = 'MissingFieldError';
  }
}

/** A field read through a nil struct pointer: "nil pointer evaluating *types.Version.Version". */
export class NilPointerError extends MissingFieldError {
  constructor(field: string, typeName: string) {
    super(field, typeName);
    this.message = `nil pointer evaluating ${typeName}.${field}`;
    this.name = 'NilPointerError';
  }
}

/**
 * A nil pointer to a struct of type `typeName` ("*types.Version"): false in `if`, and an
 * error when a field is read through it, as in Go.
 */
export function nilStruct(typeName: string): object {
  return new Proxy({}, {
    getOwnPropertyDescriptor(_target, key) {
      if (typeof key === 'string') throw new NilPointerError(key, typeName);
      return undefined;
    },
  });
}

/** Wraps `fields` as a Go struct of type `typeName` ("*formatter.imageContext"). */
export function goStruct<T extends object>(typeName: string, fields: T): T {
  return new Proxy(fields, {
    getOwnPropertyDescriptor(target, key) {
      const d = Reflect.getOwnPropertyDescriptor(target, key);
      if (d === undefined && typeof key === 'string') throw new MissingFieldError(key, typeName);
      return d;
    },
  });
}

/** The zero value read through a field that JSON leaves out (see the module comment). */
export function omitted(zero: unknown): () => unknown {
  return () => zero;
}

/**
 * Where Go reports a field chain: text/template gives a chain `.A.B.C` the position of its
 * second element, and shows the whole chain.
 */
function locateField(source: string, field: string): { line: number; col: number; node: string } | undefined {
  const chain = /(?<![\w$)\]])(?:\.[A-Za-z_][A-Za-z0-9_]*)+/g;
  for (const m of source.matchAll(chain)) {
    const text = m[0];
    const parts = text.split('.').slice(1);
    if (!parts.includes(field)) continue;
    const start = (m.index ?? 0) + (parts.length > 1 ? (parts[0] ?? '').length + 1 : 0);
    const before = source.slice(0, start);
    const lineStart = before.lastIndexOf('\n') + 1;
    return { line: before.split('\n').length, col: Buffer.byteLength(source.slice(lineStart, start)), node: text };
  }
  return undefined;
}

/**
 * The docker CLI's text for a template error: `name` is the template's name ("" for most
 * commands, "version" for `version`), `source` the template as parsed.
 */
export function templateErrorText(e: TemplateError, source: string, name = ''): string {
  const cause = e.cause;
  if (cause instanceof MissingFieldError) {
    const at = locateField(source, cause.field);
    if (at !== undefined) {
      return `template: ${name}:${at.line}:${at.col}: executing "${name}" at <${at.node}>: ${cause.message}`;
    }
    return `template: ${name}: executing "${name}": ${cause.message}`;
  }
  if (name === '') return e.message;
  return e.message.replace(/^template: :/, `template: ${name}:`).replace(/executing ""/, `executing "${name}"`);
}


/** How a Go struct field behaves in JSON and templates. */
export type GoKind = 'string' | 'number' | 'bool' | 'slice' | 'map' | 'pointer' | 'time' | 'struct';

export interface GoField {
  /** The field's name in JSON and in templates. */
  readonly name: string;
  readonly kind: GoKind;
  readonly omitempty?: boolean;
  /** For struct fields (and pointers to structs): the struct's fields and Go type. */
  readonly fields?: readonly GoField[];
  readonly typeName?: string;
  /** The Go field name templates use, when it differs from the JSON name ("HTTPProxy"). */
  readonly goName?: string;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/** The zero value as a template reads it (a nil slice prints "[]", a nil map "map[]"). */
function readZero(f: GoField): unknown {
  switch (f.kind) {
    case 'string':
      return '';
    case 'number':
      return 0;
    case 'bool':
      return false;
    case 'slice':
      return [];
    case 'map':
      return {};
    case 'time':
      return '0001-01-01T00:00:00Z';
    case 'struct':
      return typedStruct(f.typeName ?? 'struct', f.fields ?? [], {});
    case 'pointer':
      return null;
  }
}

/** Go's RFC3339Nano of a parsed time: the fraction without trailing zeros. */
function rfc3339Nano(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(v);
  if (m === null) return v;
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  return `${m[1] ?? ''}${fraction === '' ? '' : `.${fraction}`}${m[3] ?? ''}`;
}

/** A JSON object with its keys sorted, as Go marshals maps. */
function sortedMap(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Decodes raw JSON into the struct `fields` describe, the way json.Unmarshal into a Go struct
 * and reading it back behaves: fields in declaration order, unknown JSON keys dropped, absent
 * fields at their zero value, `omitempty` ones hidden from `json`, maps in key order.
 */
export function typedStruct(typeName: string, fields: readonly GoField[], raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = raw[f.name];
    if (f.omitempty === true && isEmpty(v)) out[f.name] = omitted(readZero(f));
    else if (v === undefined) out[f.name] = f.kind === 'slice' || f.kind === 'map' ? null : readZero(f);
    else if (f.kind === 'time') out[f.name] = rfc3339Nano(v);
    else if (f.kind === 'map') out[f.name] = sortedMap(v);
    else if (f.fields !== undefined && isObject(v)) out[f.name] = typedStruct(f.typeName ?? 'struct', f.fields, v);
    else out[f.name] = v;
    if (f.goName !== undefined) {
      const value = out[f.name];
      out[f.goName] = typeof value === 'function' ? value : omitted(value);
    }
  }
  return goStruct(typeName, out);
}
