import type { VolumeListResponse, VolumeResponse } from '../../client/engine-types.js';
import { humanSize } from '../../units/human-units.js';
import type { Command } from '../command.js';
import { ArgumentTypeError } from '../format/go-template-funcs.js';
import { filterFlag, filtersQuery } from './image-filter-flag.js';
import { formatRows } from './image-row-format.js';
import { naturalLess } from './network-ls.js';
import { FORMAT_HELP } from './system-format-flag.js';

const DEFAULT_TABLE = 'table {{.Driver}}\t{{.Name}}';
const CLUSTER_TABLE = 'table {{.Name}}\t{{.Group}}\t{{.Driver}}\t{{.Availability}}\t{{.Status}}';
const TYPE_NAME = '*formatter.volumeContext';

/**
 * "name=value" filters in the order Go marshals them (its maps sort by key): by name, then
 * value. The daemon reads them the same in any order; sorted, the request is docker's byte
 * for byte.
 */
export function sortedFilters(filters: readonly string[]): string[] {
  const split = (f: string): [string, string] => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)];
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...filters].sort((a, b) => {
    const [an, av] = split(a);
    const [bn, bv] = split(b);
    return cmp(an, bn) || cmp(av, bv);
  });
}

/** docker's formatter.NewVolumeFormat: the final format for --format and -q. */
function volumeFormat(source: string, quiet: boolean): string {
  if (source === 'table') return quiet ? '{{.Name}}' : DEFAULT_TABLE;
  if (source === 'raw') return quiet ? 'name: {{.Name}}' : 'name: {{.Name}}\\ndriver: {{.Driver}}\\n';
  return source;
}

/** docker's volumeContext fields (in JSON order); `.Label "key"` is a method, left out of JSON. */
type VolumeRow = Readonly<Record<string, string>>;

/** One volume to show: its row, and its labels for `.Label`. */
interface VolumeLine {
  readonly row: VolumeRow;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Stands for a failed call in the header line. docker ignores the error but keeps what the
 * template wrote before it, so the header is cut where this marker first appears.
 */
const HEADER_ERROR = '\u0000header error\u0000';

const HEADERS = {
  ID: 'ID',
  Name: 'VOLUME NAME',
  Group: 'GROUP',
  Driver: 'DRIVER',
  Scope: 'SCOPE',
  Availability: 'AVAILABILITY',
  Mountpoint: 'MOUNTPOINT',
  Labels: 'LABELS',
  Links: 'LINKS',
  Size: 'SIZE',
  Status: 'STATUS',
  // The header of `{{.Label "com.example.some-thing"}}` is "some thing".
  Label: (...args: unknown[]): string => (args.length !== 1 ? HEADER_ERROR : String(args[0]).split('.').pop()?.replace(/[-_]/g, ' ') ?? ''),
};

/** volumeContext.Status(): where a cluster volume stands. */
function clusterStatus(v: VolumeResponse): string {
  const c = v.ClusterVolume;
  if (c === undefined || c === null) return 'N/A';
  if (c.Info === undefined || c.Info === null || (c.Info.VolumeID ?? '') === '') return 'pending creation';
  const nodes = (c.PublishStatus ?? []).length;
  if (nodes === 0) return 'created';
  return nodes === 1 ? 'in use (1 node)' : `in use (${nodes} nodes)`;
}

function volumeLine(v: VolumeResponse): VolumeLine {
  const cluster = v.ClusterVolume ?? undefined;
  const usage = v.UsageData ?? undefined;
  const row: VolumeRow = {
    Availability: cluster === undefined ? 'N/A' : (cluster.Spec?.Availability ?? ''),
    Driver: v.Driver,
    Group: cluster === undefined ? 'N/A' : (cluster.Spec?.Group ?? ''),
    // Go's map order is random; sorted, the output is at least stable.
    Labels: Object.entries(v.Labels ?? {}).map(([k, val]) => `${k}=${val}`).sort().join(','),
    Links: usage === undefined ? 'N/A' : String(usage.RefCount),
    Mountpoint: v.Mountpoint,
    Name: v.Name,
    Scope: v.Scope,
    Size: usage === undefined ? 'N/A' : humanSize(usage.Size),
    Status: clusterStatus(v),
  };
  return { row, labels: v.Labels ?? {} };
}




/** volumeContext.Label(name string), called from a template with `args`. */
function label(labels: Readonly<Record<string, string>>, args: readonly unknown[]): string {
  if (args.length !== 1) throw new ArgumentTypeError(`wrong number of args for Label: want 1 got ${args.length}`);
  const key = String(args[0]);
  return Object.hasOwn(labels, key) ? (labels[key] ?? '') : '';
}


export const command: Command = {
  path: 'volume ls',
  aliases: ['volume list'],
  usage: '[OPTIONS]',
  description: 'List volumes',
  flags: [
    // Swarm only: docker hides it unless the daemon is a swarm manager, which berth never is.
    { name: 'cluster', type: 'bool', usage: 'Display only cluster volumes, and use cluster volume list formatting', hidden: true },
    filterFlag('f', 'Provide filter values (e.g. "dangling=true")'),
    { name: 'format', type: 'string', usage: FORMAT_HELP },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Only display volume names' },
  ],
  interspersed: true,
  args: { kind: 'none' },
  async run(ctx, flags) {
    const client = await ctx.client();
    const list = await client.json<VolumeListResponse>('GET', '/volumes', {
      query: { filters: filtersQuery(sortedFilters(flags.getStrings('filter'))) },
    });
    const quiet = flags.getBool('quiet');
    let volumes = list.Volumes ?? [];
    let format = flags.getString('format');
    if (flags.getBool('cluster')) {
      // As docker does, --cluster keeps only cluster volumes and overrides --format.
      volumes = volumes.filter((v) => v.ClusterVolume !== undefined && v.ClusterVolume !== null);
      format = quiet ? 'table' : CLUSTER_TABLE;
    } else if (format === '') {
      format = 'table';
    }
    const sorted = [...volumes].sort((a, b) => (naturalLess(a.Name, b.Name) ? -1 : naturalLess(b.Name, a.Name) ? 1 : 0));
    ctx.out(formatRows(volumeFormat(format, quiet), withLabel(sorted.map(volumeLine)), { headers: HEADERS, typeName: TYPE_NAME }));
    return 0;
  },
};

/** Rows with docker's `.Label "key"` method. */
function withLabel(lines: readonly VolumeLine[]): Array<{ row: VolumeRow; methods: { Label: (...args: unknown[]) => string } }> {
  return lines.map((l) => ({ row: l.row, methods: { Label: (...args: unknown[]): string => label(l.labels, args) } }));
}
