import type { ContainerListEntry } from '../../client/engine-types.js';
import { ExitError, type Command } from '../command.js';
import type { FlagSpec } from '../flags/index.js';
import { parseTemplate, TemplateError, type Template } from '../format/go-template.js';
import { formatTable } from '../format/tabwriter.js';
import { CONTAINER_HEADERS, containerRow, type ContainerRow } from './container-list-row.js';
import { filterFlag, filtersQuery } from './image-filter-flag.js';
import { FORMAT_HELP } from './system-format-flag.js';

const DEFAULT_TABLE = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
const RAW_FORMAT = `container_id: {{.ID}}
image: {{.Image}}
command: {{.Command}}
created_at: {{.CreatedAt}}
state: {{- pad .State 1 0}}
status: {{- pad .Status 1 0}}
names: {{.Names}}
labels: {{- pad .Labels 1 0}}
ports: {{- pad .Ports 1 0}}
`;

/** docker's NewContainerFormat: which template a `--format`, `-q` and `-s` combination means. */
function containerFormat(source: string, quiet: boolean, size: boolean): string {
  if (source === 'table' || source === '') return quiet ? '{{.ID}}' : DEFAULT_TABLE + (size ? '\t{{.Size}}' : '');
  if (source === 'raw') return quiet ? 'container_id: {{.ID}}' : RAW_FORMAT + (size ? 'size: {{.Size}}\\n' : '');
  return quiet ? '{{.ID}}' : source;
}

const LIST_FLAGS: readonly FlagSpec[] = [
  { name: 'all', short: 'a', type: 'bool', usage: 'Show all containers (default shows just running)' },
  filterFlag('f', 'Filter output based on conditions provided'),
  { name: 'format', type: 'string', usage: FORMAT_HELP },
  { name: 'last', short: 'n', type: 'int', default: -1, usage: 'Show n last created containers (includes all states)' },
  { name: 'latest', short: 'l', type: 'bool', usage: 'Show the latest created container (includes all states)' },
  { name: 'no-trunc', type: 'bool', usage: "Don't truncate output" },
  { name: 'quiet', short: 'q', type: 'bool', usage: 'Only display container IDs' },
  { name: 'size', short: 's', type: 'bool', usage: 'Display total file sizes' },
];

export const command: Command = {
  path: 'container ls',
  aliases: ['container list', 'container ps', 'ps'],
  usage: '[OPTIONS]',
  description: 'List containers',
  flags: LIST_FLAGS,
  interspersed: true,
  args: { kind: 'none' },
  async run(ctx, flags) {
    const format = flags.getString('format');
    const quiet = flags.getBool('quiet');
    if (format !== '' && quiet) ctx.err('WARNING: Ignoring custom format, because both --format and --quiet are set.\n');
    let size = flags.getBool('size');
    if (format !== '') {
      // Like docker, check the template on an empty row first, and ask for sizes if it reads .Size.
      const usesSize = checkTemplate(format);
      if (!quiet && !size && !flags.has('size') && usesSize) size = true;
    }
    const last = flags.getInt('last');
    const limit = flags.getBool('latest') && last === -1 ? 1 : last;
    const client = await ctx.client();
    const list = await client.json<ContainerListEntry[]>('GET', '/containers/json', {
      query: {
        all: flags.getBool('all') || undefined,
        limit: limit > 0 ? limit : undefined,
        size: size || undefined,
        filters: filtersQuery(flags.getStrings('filter')),
      },
    });
    const trunc = !flags.getBool('no-trunc');
    const now = new Date();
    ctx.out(writeRows(containerFormat(format, quiet, size), list.map((c) => containerRow(c, trunc, now))));
    return 0;
  },
};

/** Parses and runs the user's template on an empty row; returns whether it reads .Size. */
function checkTemplate(format: string): boolean {
  let usesSize = false;
  const probe = containerRow(
    { Id: '', Names: [], Image: '', ImageID: '', Command: '', Created: 0, Ports: [], Labels: null, State: '', Status: '', Mounts: [] },
    true,
    new Date(0),
    () => { usesSize = true; },
  );
  let tmpl: Template;
  try {
    tmpl = parseTemplate(format, undefined, { missingKey: 'error' });
  } catch (e: unknown) {
    if (e instanceof TemplateError) throw new ExitError(1, `failed to parse template: ${e.message}`);
    throw e;
  }
  try {
    tmpl.execute(probe);
  } catch (e: unknown) {
    if (!(e instanceof TemplateError)) throw e;
    // A Go struct has no missing map keys, only fields it cannot evaluate.
    const message = e.message.replace(/map has no entry for key "([^"]*)"$/, "can't evaluate field $1 in type *formatter.ContainerContext");
    throw new ExitError(1, `failed to execute template: ${message}`);
  }
  return usesSize;
}

/** In a table header, these functions leave the column title as it is (docker's HeaderFunctions). */
const HEADER_FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = Object.fromEntries(
  ['json', 'split', 'join', 'title', 'lower', 'upper', 'truncate'].map((name) => [name, (v: unknown) => v]),
);

/**
 * docker's formatter.Context.Write: a format starting with "table" gets a header line and
 * aligned columns, "json" is one JSON object a line, anything else the template once a row.
 */
function writeRows(format: string, rows: readonly ContainerRow[]): string {
  const table = format.startsWith('table');
  let source = table ? format.slice('table'.length) : format === 'json' ? '{{json .}}' : format;
  source = source.replace(/^ +| +$/g, '').replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  let text = '';
  try {
    const tmpl = parseTemplate(source);
    for (const row of rows) text += `${tmpl.execute(row)}\n`;
  } catch (e: unknown) {
    if (e instanceof TemplateError) throw new ExitError(1, `template parsing error: ${e.message}`);
    throw e;
  }
  if (!table) return text;
  let header = '';
  try {
    header = parseTemplate(source, HEADER_FUNCTIONS).execute(CONTAINER_HEADERS);
  } catch (e: unknown) {
    if (!(e instanceof TemplateError)) throw e;
    // docker ignores a header that fails to render.
  }
  return formatTable(`${header}\n${text}`);
}
