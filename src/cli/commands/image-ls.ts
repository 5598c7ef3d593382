import type { ImageListEntry } from '../../client/engine-types.js';
import { humanSize, humanSizeWithPrecision, timeAgo } from '../../units/human-units.js';
import { ExitError, type Command } from '../command.js';
import { filterFlag, filtersQuery } from './image-filter-flag.js';
import { familiarName, parseNormalizedNamed, truncateId } from './image-reference.js';
import { formatRows, type RowType } from './image-row-format.js';
import { fromUnix, goTimeString } from './image-time-format.js';
import { FORMAT_HELP } from './system-format-flag.js';

const DEFAULT_TABLE = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}';
const DEFAULT_TABLE_WITH_DIGEST = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}';
const RAW = 'repository: {{ .Repository }}\ntag: {{.Tag}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n';
const RAW_WITH_DIGEST = 'repository: {{ .Repository }}\ntag: {{.Tag}}\ndigest: {{.Digest}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n';

const USAGE = '[OPTIONS] [REPOSITORY[:TAG]]';

export const IMAGE_ROW: RowType = {
  typeName: '*formatter.imageContext',
  headers: {
    ID: 'IMAGE ID',
    Repository: 'REPOSITORY',
    Tag: 'TAG',
    Digest: 'DIGEST',
    CreatedSince: 'CREATED',
    CreatedAt: 'CREATED AT',
    Size: 'SIZE',
    Containers: 'CONTAINERS',
    VirtualSize: 'SIZE',
    SharedSize: 'SHARED SIZE',
    UniqueSize: 'UNIQUE SIZE',
  },
};

/** docker's NewImageFormat: the final format for the options. */
function imageFormat(source: string, quiet: boolean, digest: boolean): string {
  if (source === 'table') return quiet ? '{{.ID}}' : digest ? DEFAULT_TABLE_WITH_DIGEST : DEFAULT_TABLE;
  if (source === 'raw') return quiet ? 'image_id: {{.ID}}' : digest ? RAW_WITH_DIGEST : RAW;
  if (source.startsWith('table') && digest && !source.includes('{{.Digest}}')) return `${source}\t{{.Digest}}`;
  return source;
}

export interface RowOptions {
  readonly trunc: boolean;
  /** --digests: digest-only references get a row per digest. */
  readonly digests: boolean;
  /** The format shows digests (--digests, or {{.Digest}} in the format). */
  readonly needDigest: boolean;
  readonly now: Date;
}

function isDangling(img: ImageListEntry): boolean {
  const tags = img.RepoTags ?? [];
  const digests = img.RepoDigests ?? [];
  if (tags.length === 0 && digests.length === 0) return true;
  return tags.length === 1 && tags[0] === '<none>:<none>' && digests.length === 1 && digests[0] === '<none>@<none>';
}

export function imageRow(img: ImageListEntry, repo: string, tag: string, digest: string, opts: RowOptions): Record<string, string> {
  const created = fromUnix(img.Created);
  const shared = img.SharedSize ?? 0;
  return {
    Containers: img.Containers === -1 ? 'N/A' : String(img.Containers),
    CreatedAt: goTimeString(created),
    CreatedSince: timeAgo(created, opts.now),
    Digest: digest,
    ID: opts.trunc ? truncateId(img.Id) : img.Id,
    Repository: repo,
    SharedSize: shared === -1 ? 'N/A' : humanSize(shared),
    Size: humanSizeWithPrecision(img.Size, 3),
    Tag: tag,
    UniqueSize: img.Size === -1 || shared === -1 ? 'N/A' : humanSize(img.Size - shared),
    VirtualSize: humanSize(img.Size),
  };
}

/** docker's imageFormatTaggedAndDigest: a row per tag (per digest, when shown), by repository. */
function imageRows(img: ImageListEntry, opts: RowOptions): Array<Record<string, string>> {
  if (isDangling(img)) return [imageRow(img, '<none>', '<none>', '<none>', opts)];
  const repoTags = new Map<string, string[]>();
  const repoDigests = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, v: string): void => {
    m.set(k, [...(m.get(k) ?? []), v]);
  };
  for (const s of img.RepoTags ?? []) {
    try {
      const ref = parseNormalizedNamed(s);
      if (ref.tag !== undefined) add(repoTags, familiarName(ref), ref.tag);
    } catch {
      // docker skips references it cannot parse
    }
  }
  for (const s of img.RepoDigests ?? []) {
    try {
      const ref = parseNormalizedNamed(s);
      if (ref.digest !== undefined) add(repoDigests, familiarName(ref), ref.digest);
    } catch {
      // as above
    }
  }
  const rows: Array<Record<string, string>> = [];
  for (const [repo, tags] of repoTags) {
    const digests = opts.needDigest ? (repoDigests.get(repo) ?? []) : [];
    repoDigests.delete(repo);
    for (const tag of tags) {
      if (digests.length === 0) rows.push(imageRow(img, repo, tag, '<none>', opts));
      for (const d of digests) rows.push(imageRow(img, repo, tag, d, opts));
    }
  }
  for (const [repo, digests] of repoDigests) {
    if (opts.digests) for (const d of digests) rows.push(imageRow(img, repo, '<none>', d, opts));
    else rows.push(imageRow(img, repo, '<none>', '', opts));
  }
  return rows;
}

export const command: Command = {
  path: 'image ls',
  aliases: ['image list', 'images'],
  usage: USAGE,
  description: 'List images',
  flags: [
    { name: 'all', short: 'a', type: 'bool', usage: 'Show all images (default hides intermediate images)' },
    { name: 'digests', type: 'bool', usage: 'Show digests' },
    filterFlag('f', 'Filter output based on conditions provided'),
    { name: 'format', type: 'string', usage: FORMAT_HELP },
    { name: 'no-trunc', type: 'bool', usage: "Don't truncate output" },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Only show image IDs' },
    { name: 'tree', type: 'bool', usage: 'List multi-platform images as a tree (EXPERIMENTAL)' },
  ],
  interspersed: true,
  args: { kind: 'max', n: 1 },
  async run(ctx, flags, args) {
    const filters = [...flags.getStrings('filter')];
    if (args[0] !== undefined && args[0] !== '') filters.push(`reference=${args[0]}`);
    const format = flags.getString('format');
    if (flags.getBool('tree')) {
      if (format !== '') throw new ExitError(1, '--format is not yet supported with --tree');
      throw new ExitError(1, `${ctx.prog}: the --tree view is not supported yet`);
    }
    const client = await ctx.client();
    const images = await client.json<ImageListEntry[]>('GET', '/images/json', {
      query: { filters: filtersQuery(filters), all: flags.getBool('all') ? '1' : undefined },
    });
    const digests = flags.getBool('digests');
    const final = imageFormat(format === '' ? 'table' : format, flags.getBool('quiet'), digests);
    const opts: RowOptions = { trunc: !flags.getBool('no-trunc'), digests, needDigest: digests || final.includes('{{.Digest}}'), now: new Date() };
    ctx.out(formatRows(final, images.flatMap((img) => imageRows(img, opts)), IMAGE_ROW));
    return 0;
  },
};
