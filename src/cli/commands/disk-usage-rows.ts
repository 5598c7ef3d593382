import type { ContainerListEntry, ImageListEntry, VolumeResponse } from '../../client/engine-types.js';
import { humanSize } from '../../units/human-units.js';

/** GET /system/df as `system df` reads it. */
export interface DiskUsageResponse {
  readonly LayersSize?: number;
  readonly Images?: ImageListEntry[] | null;
  readonly Containers?: ContainerListEntry[] | null;
  readonly Volumes?: VolumeResponse[] | null;
  readonly BuildCache?: Array<{ Size?: number; InUse?: boolean; Shared?: boolean }> | null;
}

/** One line of docker's `system df` summary: the fields its templates read, in `json`'s key order. */
export interface DiskUsageRow {
  readonly Active: string;
  readonly Reclaimable: string;
  readonly Size: string;
  readonly TotalCount: string;
  readonly Type: string;
}

function reclaimable(reclaimable: number, total: number): string {
  return total > 0 ? `${humanSize(reclaimable)} (${Math.trunc((reclaimable * 100) / total)}%)` : humanSize(reclaimable);
}

const isActive = (state: string): boolean => /running|paused|restarting/.test(state);

/** docker's diskUsage*Context figures: counts, what is in use, sizes and what a prune would give back. */
export function diskUsageRows(df: DiskUsageResponse): DiskUsageRow[] {
  const images = df.Images ?? [];
  const layers = df.LayersSize ?? 0;
  let usedByContainers = 0;
  for (const i of images) {
    if (i.Containers !== 0 && i.Size !== -1 && (i.SharedSize ?? 0) !== -1) usedByContainers += i.Size - (i.SharedSize ?? 0);
  }
  const containers = df.Containers ?? [];
  const containerSize = containers.reduce((n, c) => n + (c.SizeRw ?? 0), 0);
  const idleContainers = containers.filter((c) => !isActive(c.State)).reduce((n, c) => n + (c.SizeRw ?? 0), 0);
  const volumes = (df.Volumes ?? []).filter((v) => (v.UsageData?.Size ?? -1) !== -1);
  const volumeSize = volumes.reduce((n, v) => n + (v.UsageData?.Size ?? 0), 0);
  const unusedVolumes = volumes.filter((v) => (v.UsageData?.RefCount ?? 0) === 0).reduce((n, v) => n + (v.UsageData?.Size ?? 0), 0);
  const cache = df.BuildCache ?? [];
  const cacheSize = cache.reduce((n, c) => n + (c.Size ?? 0), 0);
  const cacheIdle = cache.filter((c) => c.InUse !== true && c.Shared !== true).reduce((n, c) => n + (c.Size ?? 0), 0);
  return [
    {
      Active: String(images.filter((i) => i.Containers > 0).length), Reclaimable: reclaimable(layers - usedByContainers, layers),
      Size: humanSize(layers), TotalCount: String(images.length), Type: 'Images',
    },
    {
      Active: String(containers.filter((c) => isActive(c.State)).length), Reclaimable: reclaimable(idleContainers, containerSize),
      Size: humanSize(containerSize), TotalCount: String(containers.length), Type: 'Containers',
    },
    {
      Active: String((df.Volumes ?? []).filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length), Reclaimable: reclaimable(unusedVolumes, volumeSize),
      Size: humanSize(volumeSize), TotalCount: String((df.Volumes ?? []).length), Type: 'Local Volumes',
    },
    {
      Active: String(cache.filter((c) => c.InUse === true).length), Reclaimable: humanSize(cacheIdle),
      Size: humanSize(cacheSize), TotalCount: String(cache.length), Type: 'Build Cache',
    },
  ];
}
