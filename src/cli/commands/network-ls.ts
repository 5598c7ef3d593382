import type { NetworkSummary } from '../../client/engine-types.js';
import type { Command } from '../command.js';
import { ArgumentTypeError } from '../format/go-template-funcs.js';
import { filterFlag, filtersQuery } from './image-filter-flag.js';
import { truncateId } from './image-reference.js';
import { formatRows } from './image-row-format.js';
import { FORMAT_HELP } from './system-format-flag.js';

const DEFAULT_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}';
const RAW = 'network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n';
const TYPE_NAME = '*network.networkContext';

/** docker's network.NewFormat: the final format for --format and -q. */
function networkFormat(source: string, quiet: boolean): string {
  if (source === 'table') return quiet ? '{{.ID}}' : DEFAULT_TABLE;
  if (source === 'raw') return quiet ? 'network_id: {{.ID}}' : RAW;
  return source;
}

/** docker's networkContext fields (in JSON order); `.Label "key"` is a method, left out of JSON. */
type NetworkRow = Readonly<Record<string, string>>;

/** One network to show: its row, and its labels for `.Label`. */
interface NetworkLine {
  readonly row: NetworkRow;
  readonly labels: Readonly<Record<string, string>>;
}

const HEADERS = {
  CreatedAt: 'CREATED AT',
  Driver: 'DRIVER',
  ID: 'NETWORK ID',
  IPv4: 'IPV4',
  IPv6: 'IPV6',
  Internal: 'INTERNAL',
  Labels: 'LABELS',
  Name: 'NAME',
  Scope: 'SCOPE',
  // The header of `{{.Label "com.example.some-thing"}}` is "some thing".
  Label: (name: unknown): string => String(name).split('.').pop()?.replace(/[-_]/g, ' ') ?? '',
};

/** Go's time.Time.String() of an RFC 3339 time as json.Unmarshal reads it. */
function goTime(rfc3339: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|([+-]\d\d):(\d\d))$/.exec(rfc3339);
  if (m === null) return '0001-01-01 00:00:00 +0000 UTC';
  const fraction = (m[3] ?? '').slice(0, 9).replace(/0+$/, '');
  const zone = m[4] === 'Z' ? '+0000 UTC' : `${m[5] ?? ''}${m[6] ?? ''} ${m[5] ?? ''}${m[6] ?? ''}`;
  return `${m[1] ?? ''} ${m[2] ?? ''}${fraction === '' ? '' : `.${fraction}`} ${zone}`;
}

function networkLine(n: NetworkSummary, trunc: boolean): NetworkLine {
  const row: NetworkRow = {
    CreatedAt: goTime(n.Created),
    Driver: n.Driver,
    ID: trunc ? truncateId(n.Id) : n.Id,
    IPv4: String(n.EnableIPv4 ?? false),
    IPv6: String(n.EnableIPv6),
    Internal: String(n.Internal),
    // Go's map order is random; sorted, the output is at least stable.
    Labels: Object.entries(n.Labels ?? {}).map(([k, v]) => `${k}=${v}`).sort().join(','),
    Name: n.Name,
    Scope: n.Scope,
  };
  return { row, labels: n.Labels ?? {} };
}

/** fvbommel/sortorder's NaturalLess, which `network ls` sorts names by: "n9" before "n10". */
export function naturalLess(a: string, b: string): boolean {
  const digit = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const d1 = digit(a, i);
    const d2 = digit(b, j);
    if (d1 !== d2) return d1;
    if (!d1) {
      if (a[i] !== b[j]) return (a[i] ?? '') < (b[j] ?? '');
      i++;
      j++;
      continue;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    const nz1 = i;
    const nz2 = j;
    while (digit(a, i)) i++;
    while (digit(b, j)) j++;
    if (i - nz1 !== j - nz2) return i - nz1 < j - nz2;
    const n1 = a.slice(nz1, i);
    const n2 = b.slice(nz2, j);
    if (n1 !== n2) return n1 < n2;
    if (nz1 !== nz2) return nz1 < nz2;
  }
  return a.length < b.length;
}




/** networkContext.Label(name string), called from a template with `args`. */
function label(labels: Readonly<Record<string, string>>, args: readonly unknown[]): string {
  if (args.length !== 1) throw new ArgumentTypeError(`wrong number of args for Label: want 1 got ${args.length}`);
  const key = String(args[0]);
  return Object.hasOwn(labels, key) ? (labels[key] ?? '') : '';
}


export const command: Command = {
  path: 'network ls',
  aliases: ['network list'],
  usage: '[OPTIONS]',
  description: 'List networks',
  flags: [
    filterFlag('f', 'Provide filter values (e.g. "driver=bridge")'),
    { name: 'format', type: 'string', usage: FORMAT_HELP },
    { name: 'no-trunc', type: 'bool', usage: 'Do not truncate the output' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Only display network IDs' },
  ],
  interspersed: true,
  args: { kind: 'none' },
  async run(ctx, flags) {
    const client = await ctx.client();
    const list = await client.json<NetworkSummary[]>('GET', '/networks', {
      query: { filters: filtersQuery(flags.getStrings('filter')) },
    });
    const sorted = [...list].sort((a, b) => (naturalLess(a.Name, b.Name) ? -1 : naturalLess(b.Name, a.Name) ? 1 : 0));
    const format = flags.getString('format');
    const trunc = !flags.getBool('no-trunc');
    const lines = sorted.map((n) => networkLine(n, trunc));
    ctx.out(formatRows(networkFormat(format === '' ? 'table' : format, flags.getBool('quiet')), withLabel(lines), { headers: HEADERS, typeName: TYPE_NAME }));
    return 0;
  },
};

/** Rows with docker's `.Label "key"` method. */
function withLabel(lines: readonly NetworkLine[]): Array<{ row: NetworkRow; methods: { Label: (...args: unknown[]) => string } }> {
  return lines.map((l) => ({ row: l.row, methods: { Label: (...args: unknown[]): string => label(l.labels, args) } }));
}
