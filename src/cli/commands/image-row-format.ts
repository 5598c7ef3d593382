/**
 * Writes list rows (`images`, `history`) the way the docker CLI's formatter.Context does:
 * "table …" formats get a header line and aligned columns, "json" one JSON object per row
 * (keys sorted, HTML characters escaped, as Go's encoding/json writes them), anything else
 * the template once per row. Template errors read "template parsing error: …", and a field
 * the row type lacks is an error, as on docker's row structs.
 */
import { ExitError } from '../command.js';
import { parseTemplate, TemplateError } from '../format/go-template.js';
import { ArgumentTypeError } from '../format/go-template-funcs.js';
import { formatTable } from '../format/tabwriter.js';
import { goStruct, templateErrorText } from './image-go-struct.js';

export interface RowType {
  /** Header text of each field, for table formats (a function for a method such as `.Label`). */
  readonly headers: Readonly<Record<string, unknown>>;
  /** The Go type docker names in "can't evaluate field X in type T". */
  readonly typeName: string;
}

/** A row and the methods its template may call (`{{.Label "k"}}`). */
export interface Row {
  readonly row: Readonly<Record<string, string>>;
  readonly methods?: Readonly<Record<string, (...args: unknown[]) => unknown>>;
}

/** Header functions return this for a call docker's header would fail on: the header ends there, as docker's does. */
export const HEADER_ERROR = '\u0000header error\u0000';

/** Go's json.Marshal of a string: like JSON.stringify, plus HTML and line-separator escapes. */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One row as docker's formatter.MarshalJSON writes it: all fields, sorted by name. */
function rowJson(row: Readonly<Record<string, string>>): string {
  const keys = Object.keys(row).sort();
  return `{${keys.map((k) => `${goJsonString(k)}:${goJsonString(row[k] ?? '')}`).join(',')}}`;
}

function fail(e: unknown, source: string): never {
  if (e instanceof TemplateError) throw new ExitError(1, `template parsing error: ${templateErrorText(e, source)}`);
  throw e;
}

/**
 * Renders rows with a final format (the command has already replaced "table" by its default
 * table, or by "{{.ID}}" for --quiet).
 */
export function formatRows(format: string, input: ReadonlyArray<Readonly<Record<string, string>> | Row>, type: RowType): string {
  const rows: Row[] = input.map((r) => ('row' in r && typeof r.row === 'object' ? (r as Row) : { row: r as Readonly<Record<string, string>> }));
  if (format === 'json') return rows.map((r) => `${rowJson(r.row)}\n`).join('');
  const table = format.startsWith('table');
  let source = table ? format.slice('table'.length) : format;
  source = source.replace(/^ +| +$/g, '').replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  // `json` of a row is its MarshalJSON (HTML-escaped); of anything else, the usual `json`.
  const rowOf = new WeakMap<object, Readonly<Record<string, string>>>();
  const plainJson = parseTemplate('{{json .}}');
  const json = (...args: unknown[]): string => {
    if (args.length !== 1) throw new ArgumentTypeError(`wrong number of args for json: want 1 got ${args.length}`);
    const v = args[0];
    const row = typeof v === 'object' && v !== null ? rowOf.get(v) : undefined;
    return row !== undefined ? rowJson(row) : plainJson.execute(v);
  };
  let tmpl;
  try {
    tmpl = parseTemplate(source, { json });
  } catch (e: unknown) {
    fail(e, source);
  }
  let body = '';
  for (const { row, methods } of rows) {
    const view = goStruct(type.typeName, { ...row, ...(methods ?? {}) });
    rowOf.set(view, row);
    try {
      body += `${tmpl.execute(view)}\n`;
    } catch (e: unknown) {
      fail(e, source);
    }
  }
  if (!table) return body;
  let header = '';
  try {
    header = parseTemplate(source, headerFunctions()).execute(type.headers);
  } catch {
    // docker ignores errors in the header line
  }
  if (header.includes(HEADER_ERROR)) header = header.slice(0, header.indexOf(HEADER_ERROR));
  return formatTable(`${header}\n${body}`);
}

/** In a table header, docker's functions leave the header text (a string) as it is. */
function headerFunctions(): Record<string, (...args: unknown[]) => unknown> {
  const first = (...args: unknown[]): unknown => (typeof args[0] === 'string' ? args[0] : HEADER_ERROR);
  return { json: first, split: first, join: first, title: first, lower: first, upper: first, truncate: first, pad: first };
}
