import type { ContainerService } from '../../containers/container-service.js';
import { invalidArgument } from '../../engine-error.js';
import type { ImageService } from '../../images/image-service.js';
import type { VolumeService } from '../../volumes/volume-service.js';
import { containerListJson } from '../convert/container-json.js';
import { imageListJson } from '../convert/image-json.js';
import type { Router } from '../router.js';
import { volumeJson } from './volumes.js';

export interface DiskUsageBackends {
  readonly images: Pick<ImageService, 'diskUsage'>;
  readonly containers: Pick<ContainerService, 'list'>;
  readonly volumes: Pick<VolumeService, 'list'>;
}

const TYPES = ['container', 'image', 'volume', 'build-cache'] as const;

/**
 * `GET /system/df`: images (with shared sizes and the number of containers
 * using them), containers with their sizes, volumes with their sizes and
 * reference counts; `type` limits it to some of them. There is no build cache yet.
 */
export function systemDfRoutes(router: Router, b: DiskUsageBackends): void {
  router.add('GET', '/system/df', async (ctx) => {
    const asked = ctx.queryAll('type');
    for (const t of asked) if (!(TYPES as readonly string[]).includes(t)) throw invalidArgument(`unknown object type: ${t}`);
    const want = (t: typeof TYPES[number]): boolean => asked.length === 0 || asked.includes(t);
    const images = want('image') ? b.images.diskUsage() : undefined;
    const now = new Date();
    const containers = want('container') ? (await b.containers.list({ all: true, size: true })).map((v) => containerListJson(v, now)) : null;
    const volumes = want('volume') ? (await b.volumes.list({}, true)).map(volumeJson) : null;
    ctx.sendJson(200, {
      LayersSize: images?.layersSize ?? 0,
      Images: images === undefined ? null : images.images.map((i) => imageListJson(i, { apiVersion: (v) => ctx.atLeast(v), withContainers: true })),
      Containers: containers,
      Volumes: volumes,
      BuildCache: want('build-cache') ? [] : null,
    });
  });
}
