import { invalidArgument } from '../../engine-error.js';

/** Reading fields of untrusted JSON bodies into typed values, with Go-like decode errors. */

export type JsonObject = Readonly<Record<string, unknown>>;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

function bad(field: string, v: unknown, want: string): never {
  throw invalidArgument(`json: cannot unmarshal ${typeName(v)} into Go struct field ${field} of type ${want}`);
}

export function asObject(v: unknown, field: string): JsonObject | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) bad(field, v, 'object');
  return v as JsonObject;
}

export function optString(o: JsonObject, key: string, field = key): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') bad(field, v, 'string');
  return v;
}

export function optBool(o: JsonObject, key: string, field = key): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') bad(field, v, 'bool');
  return v;
}

export function optNumber(o: JsonObject, key: string, field = key): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) bad(field, v, 'int64');
  return v;
}

export function optStrings(o: JsonObject, key: string, field = key): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) bad(field, v, '[]string');
  return v as string[];
}

/** Docker's StrSlice: a string or a list of strings; null stays null. */
export function optStrSlice(o: JsonObject, key: string, field = key): string[] | null | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) bad(field, v, 'strslice.StrSlice');
  return v as string[];
}

export function optStringMap(o: JsonObject, key: string, field = key): Record<string, string> | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || !Object.values(v).every((x) => typeof x === 'string')) bad(field, v, 'map[string]string');
  return { ...(v as Record<string, string>) };
}

export function optObjectMap(o: JsonObject, key: string, field = key): Record<string, object> | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) bad(field, v, 'map[string]struct {}');
  return Object.fromEntries(Object.keys(v).map((k) => [k, {}]));
}
