import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerListEntry, ImageListEntry, VolumeResponse } from '../../client/engine-types.js';
import { diskUsageRows } from './disk-usage-rows.js';

const image = (size: number, shared: number, containers: number): ImageListEntry => ({ Size: size, SharedSize: shared, Containers: containers } as unknown as ImageListEntry);
const container = (state: string, sizeRw: number): ContainerListEntry => ({ State: state, SizeRw: sizeRw } as unknown as ContainerListEntry);
const volume = (size: number, refs: number): VolumeResponse => ({ UsageData: { Size: size, RefCount: refs } } as unknown as VolumeResponse);

describe('diskUsageRows()', () => {
  it('adds up sizes and what a prune would reclaim, as docker system df does', () => {
    const rows = diskUsageRows({
      LayersSize: 10_000_000,
      Images: [image(6_000_000, 1_000_000, 1), image(5_000_000, 1_000_000, 0)],
      Containers: [container('running', 1000), container('exited', 3000), container('paused', 0)],
      Volumes: [volume(100_000, 1), volume(50_000, 0), volume(-1, 0)],
      BuildCache: [],
    });
    assert.deepEqual(rows, [
      { Active: '1', Reclaimable: '5MB (50%)', Size: '10MB', TotalCount: '2', Type: 'Images' },
      { Active: '2', Reclaimable: '3kB (75%)', Size: '4kB', TotalCount: '3', Type: 'Containers' },
      { Active: '1', Reclaimable: '50kB (33%)', Size: '150kB', TotalCount: '3', Type: 'Local Volumes' },
      { Active: '0', Reclaimable: '0B', Size: '0B', TotalCount: '0', Type: 'Build Cache' },
    ]);
  });
  it('leaves the percentage out when there is nothing at all', () => {
    assert.deepEqual(diskUsageRows({}).map((r) => r.Reclaimable), ['0B', '0B', '0B', '0B']);
  });
});
