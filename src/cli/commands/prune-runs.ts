import type { EngineClient } from '../../client/engine-client.js';
import type { ContainerPruneResponse, ImagePruneResponse, NetworkPruneResponse, VolumePruneResponse } from '../../client/engine-types.js';
import { ApiError } from '../../client/api-error.js';
import { filtersQuery } from './image-filter-flag.js';

/** What one kind of prune gave back: bytes reclaimed and docker's report text ("" when nothing went). */
export interface PruneRun {
  readonly spaceReclaimed: number;
  readonly output: string;
}

const list = (title: string, items: readonly string[]): string => `${title}:\n${items.map((i) => `${i}\n`).join('')}`;

/** docker's container.RunPrune. */
export async function pruneContainers(client: EngineClient, filters: readonly string[]): Promise<PruneRun> {
  const r = await client.json<ContainerPruneResponse>('POST', '/containers/prune', { query: { filters: filtersQuery(filters) } });
  const deleted = r.ContainersDeleted ?? [];
  return deleted.length === 0 ? { spaceReclaimed: 0, output: '' } : { spaceReclaimed: r.SpaceReclaimed, output: list('Deleted Containers', deleted) };
}

/** docker's network.RunPrune. */
export async function pruneNetworks(client: EngineClient, filters: readonly string[]): Promise<PruneRun> {
  const r = await client.json<NetworkPruneResponse>('POST', '/networks/prune', { query: { filters: filtersQuery(filters) } });
  const deleted = r.NetworksDeleted ?? [];
  return { spaceReclaimed: 0, output: deleted.length === 0 ? '' : list('Deleted Networks', deleted) };
}

/** docker's volume.RunPrune (anonymous volumes, or all unused ones with the `all` filter). */
export async function pruneVolumes(client: EngineClient, filters: readonly string[]): Promise<PruneRun> {
  const r = await client.json<VolumePruneResponse>('POST', '/volumes/prune', { query: { filters: filtersQuery(filters) } });
  const deleted = r.VolumesDeleted ?? [];
  return deleted.length === 0 ? { spaceReclaimed: 0, output: '' } : { spaceReclaimed: r.SpaceReclaimed, output: list('Deleted Volumes', deleted) };
}

/** docker's image.RunPrune: dangling images, or all unused ones with `all`. */
export async function pruneImages(client: EngineClient, all: boolean, filters: readonly string[]): Promise<PruneRun> {
  const query = { filters: filtersQuery([...filters, `dangling=${all ? 'false' : 'true'}`]) };
  const r = await client.json<ImagePruneResponse>('POST', '/images/prune', { query });
  const deleted = r.ImagesDeleted ?? [];
  if (deleted.length === 0) return { spaceReclaimed: 0, output: '' };
  const lines = deleted.map((d) => (d.Untagged !== undefined && d.Untagged !== '' ? `untagged: ${d.Untagged}` : `deleted: ${d.Deleted ?? ''}`));
  return { spaceReclaimed: r.SpaceReclaimed, output: list('Deleted Images', lines) };
}

/** docker's builder.CachePrune; a daemon without a build cache (404) has nothing to give back. */
export async function pruneBuildCache(client: EngineClient, all: boolean, filters: readonly string[]): Promise<PruneRun> {
  try {
    const r = await client.json<{ CachesDeleted?: string[] | null; SpaceReclaimed?: number }>('POST', '/build/prune', {
      query: { all: all || undefined, filters: filtersQuery(filters) },
    });
    const deleted = r.CachesDeleted ?? [];
    return { spaceReclaimed: r.SpaceReclaimed ?? 0, output: deleted.length === 0 ? '' : list('Deleted build cache objects', deleted) };
  } catch (e: unknown) {
    if (e instanceof ApiError && e.status === 404) return { spaceReclaimed: 0, output: '' };
    throw e;
  }
}
