import { ExitError } from '../command.js';
import { parseTemplate, TemplateError } from './go-template.js';
import { formatTable } from './tabwriter.js';

/** How a list command shows its rows by default, and the header text of each field. */
export interface TableSpec {
  /** "table {{.ID}}\t{{.Image}}..." */
  readonly defaultFormat: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Renders rows as the docker CLI does for `--format`: "table" (or empty) gives the
 * default table, "table TEMPLATE" a table with headers, "json" one JSON object per
 * line, anything else the template once per row.
 */
export function renderRows(format: string, rows: readonly object[], spec: TableSpec): string {
  let source = format.trim() === '' || format.trim() === 'table' ? spec.defaultFormat : format;
  if (source === 'json') source = '{{json .}}';
  const table = source.startsWith('table ');
  if (table) source = source.slice('table '.length);
  source = source.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  let text = '';
  try {
    const tmpl = parseTemplate(source);
    if (table) text += `${parseTemplate(source, headerFunctions()).execute(spec.headers)}\n`;
    for (const row of rows) text += `${tmpl.execute(row)}\n`;
  } catch (e: unknown) {
    if (e instanceof TemplateError) throw new ExitError(1, e.message);
    throw e;
  }
  return table ? formatTable(text) : text;
}

/** In a table header, functions applied to fields leave the header text as it is. */
function headerFunctions(): Record<string, (...args: unknown[]) => unknown> {
  const same = (...args: unknown[]): unknown => args[args.length - 1];
  return { json: same, lower: same, upper: same, title: same, truncate: (s: unknown) => s, pad: (s: unknown) => s };
}

/** Formats one object with a user's `--format` (inspect and friends): no table, no headers. */
export function renderTemplate(format: string, data: unknown): string {
  try {
    return parseTemplate(format.replace(/\\t/g, '\t').replace(/\\n/g, '\n')).execute(data);
  } catch (e: unknown) {
    if (e instanceof TemplateError) throw new ExitError(1, e.message);
    throw e;
  }
}
