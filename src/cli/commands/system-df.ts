import { humanSize, humanSizeWithPrecision } from '../../units/human-units.js';
import type { Command } from '../command.js';
import { containerRow, CONTAINER_HEADERS } from './container-list-row.js';
import { diskUsageRows, type DiskUsageResponse } from './disk-usage-rows.js';
import { IMAGE_ROW, imageRow } from './image-ls.js';
import { familiarName, parseNormalizedNamed } from './image-reference.js';
import { formatRows } from './image-row-format.js';
import { FORMAT_HELP } from './system-format-flag.js';

const SUMMARY_TABLE = 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}';
const SUMMARY_ROW = {
  typeName: '*formatter.diskUsageImagesContext',
  headers: { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' },
};
const IMAGES_TABLE = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}';
const CONTAINERS_TABLE = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}';
const VOLUMES_TABLE = 'table {{.Name}}\t{{.Links}}\t{{.Size}}';
const BUILD_CACHE_TABLE = 'table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}';

/** docker's verbose `system df`: a table per kind of object (images by their first tag only). */
function verbose(df: DiskUsageResponse, now: Date): string {
  const images = (df.Images ?? []).map((img) => {
    let repo = '<none>';
    let tag = '<none>';
    const first = img.RepoTags?.[0];
    if (first !== undefined && first !== '<none>:<none>') {
      try {
        const ref = parseNormalizedNamed(first);
        if (ref.tag !== undefined) {
          repo = familiarName(ref);
          tag = ref.tag;
        }
      } catch {
        // docker leaves such images out
      }
    }
    return imageRow(img, repo, tag, '', { trunc: true, digests: false, needDigest: false, now });
  });
  // Here docker shows only the writable layer's size, without the "(virtual …)" of `ps -s`.
  const containers = (df.Containers ?? []).map((c) => ({ ...containerRow(c, true, now), Size: humanSizeWithPrecision(c.SizeRw ?? 0, 3) }));
  const volumes = (df.Volumes ?? []).map((v) => ({
    Name: v.Name, Links: String(v.UsageData?.RefCount ?? 0), Size: humanSize(v.UsageData?.Size ?? 0),
  }));
  const cacheSize = (df.BuildCache ?? []).reduce((n, c) => n + (c.Size ?? 0), 0);
  return `Images space usage:\n\n${formatRows(IMAGES_TABLE, images, IMAGE_ROW)}`
    + `\nContainers space usage:\n\n${formatRows(CONTAINERS_TABLE, containers as unknown as Array<Record<string, string>>, { typeName: '*formatter.ContainerContext', headers: CONTAINER_HEADERS })}`
    + `\nLocal Volumes space usage:\n\n${formatRows(VOLUMES_TABLE, volumes, { typeName: '*formatter.volumeContext', headers: { Name: 'VOLUME NAME', Links: 'LINKS', Size: 'SIZE' } })}`
    + `\nBuild cache usage: ${humanSize(cacheSize)}\n\n${formatRows(BUILD_CACHE_TABLE, [], {
      typeName: '*formatter.buildCacheContext',
      headers: { ID: 'CACHE ID', CacheType: 'CACHE TYPE', Size: 'SIZE', CreatedSince: 'CREATED', LastUsedSince: 'LAST USED', UsageCount: 'USAGE', Shared: 'SHARED' },
    })}`;
}

export const command: Command = {
  path: 'system df',
  usage: '[OPTIONS]',
  description: 'Show docker disk usage',
  flags: [
    { name: 'format', type: 'string', usage: FORMAT_HELP },
    { name: 'verbose', short: 'v', type: 'bool', usage: 'Show detailed information on space usage' },
  ],
  interspersed: true,
  args: { kind: 'none' },
  async run(ctx, flags) {
    const client = await ctx.client();
    const df = await client.json<DiskUsageResponse>('GET', '/system/df');
    const now = new Date();
    if (flags.getBool('verbose')) {
      ctx.out(verbose(df, now));
      return 0;
    }
    const format = flags.getString('format');
    const final = format === '' || format === 'table' ? SUMMARY_TABLE : format;
    ctx.out(formatRows(final, diskUsageRows(df).map((r) => ({ ...r })), SUMMARY_ROW));
    return 0;
  },
};
