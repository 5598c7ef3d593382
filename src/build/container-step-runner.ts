import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ContainerService } from '../containers/container-service.js';
import type { Digest } from '../content/digest.js';
import type { ContainerDefaults } from '../images/image-config.js';
import { MOUNT_STUB_FILES } from '../snapshots/layer-diff.js';
import type { RunOutput, RunSpec, StepRunner } from './step-runner.js';

type Containers = Pick<ContainerService, 'create' | 'start' | 'attach' | 'wait' | 'remove' | 'kill'>;

/** The starting states of running steps, offered to the container service as images. */
export class TransientImages {
  private readonly images = new Map<string, { defaults: ContainerDefaults; topChainId: Digest | undefined; users: number }>();

  get(id: string): { id: Digest; defaults: ContainerDefaults; topChainId: Digest | undefined } | undefined {
    const image = this.images.get(id);
    return image === undefined ? undefined : { id: id as Digest, defaults: image.defaults, topChainId: image.topChainId };
  }

  /** Offers a state; steps of concurrent builds may share one, so each add is matched by a delete. */
  add(id: Digest, defaults: ContainerDefaults, topChainId: Digest | undefined): void {
    const image = this.images.get(id);
    this.images.set(id, { defaults, topChainId, users: (image?.users ?? 0) + 1 });
  }

  delete(id: Digest): void {
    const image = this.images.get(id);
    if (image === undefined) return;
    if (image.users <= 1) this.images.delete(id);
    else this.images.set(id, { ...image, users: image.users - 1 });
  }
}

/**
 * Removes from a step's upper dir the empty files and directories the runtime
 * created only to mount something on (they are not the step's changes).
 */
async function removeMountStubs(upper: string, targets: readonly string[]): Promise<void> {
  for (const t of [...targets].sort((a, b) => b.length - a.length)) {
    const p = path.join(upper, path.posix.normalize(`/${t}`));
    const st = await fs.lstat(p).catch(() => undefined);
    if (st === undefined) continue;
    if (st.isFile() && st.size === 0) await fs.rm(p, { force: true });
    else if (st.isDirectory() && (await fs.readdir(p)).length === 0) await fs.rmdir(p).catch(() => undefined);
    else continue;
    // and the directories made only to hold it (/run/secrets)
    for (let dir = path.dirname(p); dir.startsWith(`${upper}/`); dir = path.dirname(dir)) {
      if ((await fs.readdir(dir).catch(() => ['?'])).length > 0) break;
      await fs.rmdir(dir).catch(() => undefined);
    }
  }
}

/**
 * Runs RUN steps as ordinary containers of the container service (the same
 * runtime, network and mounts as `docker run`), removed after each step.
 */
export class ContainerStepRunner implements StepRunner {
  constructor(private readonly containers: Containers, private readonly transient: TransientImages, private readonly upperDir: (containerId: string) => string) {}

  async run<T>(spec: RunSpec, output: RunOutput, signal: AbortSignal, afterExit: (exitCode: number, upperDir: string, containerId: string) => Promise<T>): Promise<T> {
    // The image's own VOLUMEs, healthcheck and entrypoint do not apply to a build step.
    const defaults: ContainerDefaults = { ...spec.defaults, Volumes: null, Healthcheck: undefined, Entrypoint: null, OnBuild: null };
    this.transient.add(spec.imageId, defaults, spec.topChainId);
    let id: string | undefined;
    try {
      ({ id } = await this.containers.create({
        image: spec.imageId,
        entrypoint: [],
        cmd: spec.argv,
        env: spec.env,
        user: spec.user,
        workingDir: spec.workingDir,
        host: { networkMode: spec.networkMode, extraHosts: spec.extraHosts, privileged: spec.privileged, ...(spec.shmSize !== undefined && spec.shmSize > 0 ? { shmSize: spec.shmSize } : {}) },
        mountRequests: spec.mounts,
      }));
      const cid = id;
      const ac = new AbortController();
      const onAbort = (): void => { void this.containers.kill(cid).catch(() => undefined); };
      signal.addEventListener('abort', onAbort);
      try {
        const attached = await this.containers.attach(cid, ac.signal);
        const pump = (async () => {
          for await (const e of attached.entries) output.data(e.stream, e.data);
        })();
        output.started(cid);
        await this.containers.start(cid);
        await pump;
        const result = await this.containers.wait(cid, 'not-running');
        if (signal.aborted) throw new Error('build canceled');
        const upper = this.upperDir(cid);
        await removeMountStubs(upper, [...MOUNT_STUB_FILES.map((f) => `/${f}`), ...spec.mounts.map((m) => m.destination)]);
        return await afterExit(result.statusCode, upper, cid);
      } finally {
        signal.removeEventListener('abort', onAbort);
        ac.abort();
      }
    } finally {
      if (id !== undefined) await this.containers.remove(id, { force: true }).catch(() => undefined);
      this.transient.delete(spec.imageId);
    }
  }
}
