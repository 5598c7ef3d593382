import type { ContentStore } from '../content/content-store.js';
import type { Digest } from '../content/digest.js';
import { notFound } from '../engine-error.js';
import type { ContainerRecord } from '../containers/container.js';
import type { ContainerDefaults, ImageConfig } from '../images/image-config.js';
import type { LayerRef } from '../images/image-store.js';
import { applyChanges } from '../images/import-changes.js';
import { chainIds } from '../snapshots/chain-id.js';
import { commitUpperDir } from '../snapshots/layer-commit.js';
import { isMountStub } from '../snapshots/layer-diff.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';

export interface CommitOptions {
  readonly container: string;
  /** `repo[:tag]` references for the new image. */
  readonly tags: readonly string[];
  readonly comment?: string;
  readonly author?: string;
  /** Dockerfile instructions applied to the config (`--change`). */
  readonly changes: readonly string[];
}

export interface CommitDeps {
  readonly containers: { resolve(idOrName: string): ContainerRecord };
  readonly images: {
    find(nameOrId: string): { id: Digest; config: ImageConfig; layers: readonly LayerRef[] } | undefined;
    validateTag(tag: string): void;
    createImage(config: ImageConfig, layers: readonly LayerRef[], tags: readonly string[]): Promise<Digest>;
  };
  readonly content: ContentStore;
  readonly snapshots: Snapshotter;
  /** Keeps garbage collection off the new layer until the image holds it. */
  readonly hold: (held: Set<Digest>) => () => void;
}

/**
 * `docker commit`: a container's changes become a layer (the same diff as a
 * build step) on top of its image, with the container's config.
 */
export class CommitService {
  constructor(private readonly d: CommitDeps) {}

  async commit(opts: CommitOptions): Promise<Digest> {
    for (const t of opts.tags) this.d.images.validateTag(t);
    const rec = this.d.containers.resolve(opts.container);
    const image = this.d.images.find(rec.config.imageId);
    if (image === undefined) throw notFound(`No such image: ${rec.config.imageId}`);
    const parent = chainIds(image.config.rootfs.diff_ids).at(-1);
    const held = new Set<Digest>();
    const release = this.d.hold(held);
    try {
      return await this.commitHeld(rec, image, parent, held, opts);
    } finally {
      release();
    }
  }

  private async commitHeld(rec: ContainerRecord, image: { config: ImageConfig; layers: readonly LayerRef[] }, parent: Digest | undefined, held: Set<Digest>, opts: CommitOptions): Promise<Digest> {
    const layer = await commitUpperDir(this.d.snapshots.upperDir(rec.config.id), this.d.content, this.d.snapshots, parent, isMountStub, (c, b) => {
      held.add(c);
      held.add(b);
    });
    const c = rec.config;
    const defaults: ContainerDefaults = applyChanges({
      ...(image.config.config ?? {}),
      User: c.user, Env: [...c.env], Cmd: c.cmd === null ? null : [...c.cmd], Entrypoint: c.entrypoint === null ? null : [...c.entrypoint],
      WorkingDir: c.workingDir, Labels: { ...c.labels }, ExposedPorts: { ...c.exposedPorts }, Volumes: Object.keys(c.volumes).length > 0 ? { ...c.volumes } : null,
      OnBuild: c.onBuild === null ? null : [...c.onBuild],
      ...(c.stopSignal !== undefined ? { StopSignal: c.stopSignal } : {}),
    }, opts.changes);
    const now = new Date().toISOString();
    const config: ImageConfig = {
      ...image.config,
      created: now,
      config: defaults,
      rootfs: { type: 'layers', diff_ids: [...image.config.rootfs.diff_ids, layer.diffId] },
      history: [...(image.config.history ?? []), {
        created: now, created_by: [c.path, ...c.args].join(' '),
        ...(opts.author !== undefined && opts.author !== '' ? { author: opts.author } : {}),
        ...(opts.comment !== undefined && opts.comment !== '' ? { comment: opts.comment } : {}),
      }],
    };
    if (opts.author !== undefined && opts.author !== '') config.author = opts.author;
    else delete config.author;
    if (opts.comment !== undefined && opts.comment !== '') config.comment = opts.comment;
    else delete config.comment;
    return this.d.images.createImage(config, [...image.layers, { digest: layer.digest, size: layer.size, mediaType: layer.mediaType }], opts.tags);
  }
}
