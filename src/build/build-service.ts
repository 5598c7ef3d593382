import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ContentStore } from '../content/content-store.js';
import type { Digest } from '../content/digest.js';
import { EngineError, errnoCode, invalidArgument } from '../engine-error.js';
import type { ImageConfig } from '../images/image-config.js';
import type { LayerRef } from '../images/image-store.js';
import { decompressed } from '../images/decompress.js';
import { resolveInRoot } from '../rootfs/resolve-in-root.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';
import { unmount } from '../snapshots/mounter.js';
import { sha256Digest } from '../content/digest.js';
import type { BuildCache } from './build-cache.js';
import { stateId, type BuildState } from './build-state.js';
import { extractContext } from './context/context-extract.js';
import { parseDockerignore, removeIgnored } from './context/dockerignore.js';
import { parseDockerfile } from './dockerfile/parser.js';
import { planBuild, PREDEFINED_ARGS } from './stages.js';
import { StageExecutor } from './stage-executor.js';
import { gitCheckout, isGitUrl } from './git-checkout.js';
import { OrderedProgress } from './ordered-progress.js';
import type { BuildImages, BuildProgress } from './step-env.js';
import type { StepRunner } from './step-runner.js';

export interface BuildOptions {
  /** References to tag the result with (`name:tag`). */
  readonly tags: readonly string[];
  /** Path of the Dockerfile inside the context (default `Dockerfile`). */
  readonly dockerfile: string;
  readonly buildArgs: ReadonlyMap<string, string>;
  readonly target?: string;
  readonly noCache: boolean;
  /** Stages (by name or index) built without the cache (BuildKit's --no-cache-filter). */
  readonly noCacheFilter?: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly networkMode: string;
  readonly extraHosts: readonly string[];
  readonly shmSize?: number;
  /** A git repository or tar/Dockerfile URL to use as the context instead of the request body. */
  readonly remote?: string;
  /** Build secrets by id (`RUN --mount=type=secret`). */
  readonly secrets?: ReadonlyMap<string, Buffer>;
}

export interface BuildReport {
  readonly id: Digest;
  readonly tags: readonly string[];
  readonly warnings: readonly string[];
}

/** What the build service needs of the image service. */
export interface BuildImageStore extends BuildImages {
  /** Checks a tag before the build starts (throws Docker's "invalid reference format"). */
  validateTag(tag: string): void;
  createImage(config: ImageConfig, layers: readonly LayerRef[], tags: readonly string[]): Promise<Digest>;
  tag(id: Digest, tags: readonly string[]): Promise<void>;
  /** Blobs that images use (builder prune keeps them). */
  imageBlobs(): Set<Digest>;
  collectGarbage(): Promise<void>;
}

export interface BuildServiceDeps {
  readonly images: BuildImageStore;
  readonly content: ContentStore;
  readonly snapshots: Snapshotter;
  readonly runner: StepRunner;
  readonly cache: BuildCache;
  /** `<data root>/build`: scratch space of running builds and the cache mounts. */
  readonly root: string;
  /** Where secrets are written while a build runs (under the exec root: memory, gone at reboot). */
  readonly secretsRoot: string;
}

/**
 * Builds images from a Dockerfile and a build context: the stages the target
 * needs, independent ones at the same time, each step cached.
 */
export class BuildService {
  constructor(private readonly d: BuildServiceDeps) {}

  /** Sweeps what builds interrupted by a crash left behind. */
  async recover(): Promise<void> {
    await fs.rm(this.d.secretsRoot, { recursive: true, force: true });
    const tmp = path.join(this.d.root, 'tmp');
    await fs.mkdir(tmp, { recursive: true, mode: 0o700 });
    for (const name of await fs.readdir(tmp)) {
      const dir = path.join(tmp, name);
      for (const entry of await fs.readdir(dir).catch(() => [] as string[])) {
        if (entry.startsWith('build-')) await unmount(path.join(dir, entry)).catch(() => undefined);
      }
      await fs.rm(dir, { recursive: true, force: true });
    }
    // writable layers of COPY steps and --from mounts that a crash left behind
    for (const key of this.d.snapshots.activeKeys()) {
      if (key.startsWith('build-')) await this.d.snapshots.remove(key);
    }
  }

  async build(context: Readable, opts: BuildOptions, progress: BuildProgress, signal: AbortSignal): Promise<BuildReport> {
    for (const t of opts.tags) this.d.images.validateTag(t);
    const workDir = path.join(this.d.root, 'tmp', randomBytes(8).toString('hex'));
    const contextDir = path.join(workDir, 'context');
    await fs.mkdir(contextDir, { recursive: true, mode: 0o700 });
    const ac = new AbortController();
    const held = new Set<Digest>();
    const release = this.d.cache.hold(held);
    const onAbort = (): void => ac.abort();
    signal.addEventListener('abort', onAbort);
    const secretsDir = path.join(this.d.secretsRoot, path.basename(workDir));
    try {
      const secrets = await writeSecrets(secretsDir, opts.secrets ?? new Map());
      const dockerfileName = opts.dockerfile === '' ? 'Dockerfile' : opts.dockerfile;
      const text = opts.remote !== undefined && opts.remote !== ''
        ? await this.remoteContext(opts.remote, workDir, contextDir, dockerfileName, ac.signal)
        : await this.receiveContext(context, workDir, contextDir, dockerfileName);
      const df = parseDockerfile(text);
      const ignore = await readIgnoreFile(contextDir, dockerfileName);
      if (ignore !== undefined) await removeIgnored(contextDir, parseDockerignore(ignore), new Set([dockerfileName.replace(/^\.\//, '')]));
      const plan = planBuild(df, opts.buildArgs, opts.target);
      const needed = plan.order.map((i) => plan.stages[i]).filter((s) => s !== undefined);
      const total = needed.reduce((n, s) => n + 1 + s.instructions.length, 0);
      const offsets = new Map<number, number>();
      let n = 1;
      for (const s of needed) {
        offsets.set(s.index, n);
        n += 1 + s.instructions.length;
      }
      const results = new Map<number, Promise<BuildState>>();
      const consumed = new Set<string>();
      const params = {
        buildArgs: opts.buildArgs, globalArgs: plan.globalArgs, noCache: opts.noCache, networkMode: opts.networkMode,
        extraHosts: opts.extraHosts, escape: df.directives.escape, contextDir, workDir, signal: ac.signal, held, secrets,
        ...(opts.shmSize !== undefined ? { shmSize: opts.shmSize } : {}),
      };
      const lookup = async (ref: string): Promise<BuildState | undefined> => {
        const name = ref.toLowerCase();
        const stage = plan.stages.find((s) => s.name === name) ?? (/^\d+$/.test(name) ? plan.stages[Number(name)] : undefined);
        if (stage === undefined) return undefined;
        const r = results.get(stage.index);
        if (r === undefined) throw invalidArgument(`stage ${ref} is not part of this build`);
        return r;
      };
      const baseIds = new Map<number, Digest | undefined>();
      const ordered = new OrderedProgress(progress, needed.map((s) => s.index));
      for (const stage of needed) {
        const progress = ordered.for(stage.index);
        const run = (async () => {
          for (const dep of stage.deps) await results.get(dep);
          const uncached = (opts.noCacheFilter ?? []).some((f) => f.toLowerCase() === stage.name || f === String(stage.index));
          const executor = new StageExecutor({ ...this.d, images: this.d.images, cacheMountDir: (id) => this.cacheMountDir(id) },
            uncached ? { ...params, noCache: true } : params, progress, lookup);
          const first = offsets.get(stage.index) ?? 1;
          progress.step(first, total, stage.from.original);
          let base: BuildState;
          if (stage.baseStage !== undefined) {
            base = await (results.get(stage.baseStage) ?? Promise.reject(new Error('missing stage')));
            progress.info(` ---> ${stateId(base).slice(7, 19)}`);
          } else {
            const b = executor.baseState(stage);
            base = b.state;
            baseIds.set(stage.index, b.imageId);
            progress.info(` ---> ${(b.imageId ?? stateId(b.state)).slice(7, 19)}`);
          }
          const out = await executor.run(base, stage.instructions, first + 1, total);
          for (const a of executor.consumed()) consumed.add(a);
          return out;
        })();
        results.set(stage.index, run);
        void run.finally(() => ordered.finished(stage.index)).catch(() => undefined);
      }
      for (const p of results.values()) p.catch(() => ac.abort());
      const all = await Promise.allSettled(results.values());
      const failed = all.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      const target = plan.stages[plan.target];
      let final = await (results.get(plan.target) ?? Promise.reject(new Error('no target')));
      const labels = Object.entries(opts.labels);
      if (labels.length > 0) {
        const c = final.config.config ?? {};
        final = { ...final, config: { ...final.config, config: { ...c, Labels: { ...(c.Labels ?? {}), ...opts.labels } } } };
      }
      const unchangedBase = target !== undefined && labels.length === 0 && target.instructions.length === 0 && target.baseStage === undefined ? baseIds.get(target.index) : undefined;
      let id: Digest;
      if (unchangedBase !== undefined) {
        id = unchangedBase;
        await this.d.images.tag(id, opts.tags);
      } else {
        id = await this.d.images.createImage(final.config, final.layers, opts.tags);
      }
      const warnings: string[] = [];
      const unused = [...opts.buildArgs.keys()].filter((k) => !consumed.has(k) && !plan.globalArgs.has(k) && !PREDEFINED_ARGS.has(k)).sort();
      if (unused.length > 0) warnings.push(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed`);
      return { id, tags: opts.tags, warnings };
    } finally {
      signal.removeEventListener('abort', onAbort);
      release();
      await fs.rm(secretsDir, { recursive: true, force: true }).catch(() => undefined);
      await fs.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Drops the build cache and what only it kept: layers and blobs. */
  async prune(): Promise<{ deleted: string[]; spaceReclaimed: number }> {
    const before = this.d.cache.retained();
    const { keys } = await this.d.cache.prune();
    const inUse = this.d.images.imageBlobs();
    let spaceReclaimed = 0;
    for (const b of before.blobs) {
      if (inUse.has(b)) continue;
      const info = await this.d.content.info(b);
      if (info === undefined) continue;
      await this.d.content.delete(b);
      spaceReclaimed += info.size;
    }
    await this.d.images.collectGarbage();
    const mounts = path.join(this.d.root, 'cache-mounts');
    for (const name of await fs.readdir(mounts).catch(() => [] as string[])) {
      await fs.rm(path.join(mounts, name), { recursive: true, force: true });
      keys.push(name);
    }
    return { deleted: keys, spaceReclaimed };
  }

  private cacheMountDir(id: string): string {
    return path.join(this.d.root, 'cache-mounts', sha256Digest(id).slice(7, 31));
  }

  /** A remote context: `git clone` of a repository URL (`#ref:subdir`), or a downloaded tar or Dockerfile. */
  private async remoteContext(remote: string, workDir: string, contextDir: string, dockerfile: string, signal: AbortSignal): Promise<string> {
    if (isGitUrl(remote)) {
      await gitCheckout(remote, path.join(workDir, 'git'), contextDir, signal);
      return this.readDockerfile(contextDir, dockerfile);
    }
    if (!/^https?:\/\//.test(remote)) throw invalidArgument(`unable to prepare context: unsupported remote context ${JSON.stringify(remote)}`);
    let res: Response;
    try {
      res = await fetch(remote, { signal });
    } catch (e: unknown) {
      throw invalidArgument(`unable to prepare context: unable to download remote context ${remote}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`);
    }
    if (!res.ok || res.body === null) throw invalidArgument(`unable to prepare context: unable to download remote context ${remote}: ${res.status} ${res.statusText}`);
    return this.receiveContext(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>), workDir, contextDir, dockerfile);
  }

  /**
   * Unpacks the context into `contextDir` and returns the Dockerfile's text. A
   * body that is not a tar is the Dockerfile itself (`docker build - < Dockerfile`).
   */
  private async receiveContext(context: Readable, _workDir: string, contextDir: string, dockerfile: string): Promise<string> {
    // The first 512 bytes tell a tar from a Dockerfile; the rest streams on.
    const input = (await decompressed(context))[Symbol.asyncIterator]();
    const first: Buffer[] = [];
    let have = 0;
    let ended = false;
    while (have < 512) {
      const r = (await input.next()) as IteratorResult<Buffer>;
      if (r.done === true) {
        ended = true;
        break;
      }
      first.push(r.value);
      have += r.value.length;
    }
    const head = Buffer.concat(first);
    const isTar = head.length === 0 || (head.length >= 512 && (head.subarray(257, 262).toString('latin1') === 'ustar' || head.subarray(0, 512).every((b) => b === 0)));
    async function* rest(): AsyncGenerator<Buffer> {
      yield head;
      if (ended) return;
      for (;;) {
        const r = (await input.next()) as IteratorResult<Buffer>;
        if (r.done === true) return;
        yield r.value;
      }
    }
    if (!isTar) {
      const chunks: Buffer[] = [];
      for await (const c of rest()) chunks.push(c);
      return Buffer.concat(chunks).toString('utf8');
    }
    await extractContext(Readable.from(rest(), { objectMode: false }), contextDir);
    return this.readDockerfile(contextDir, dockerfile);
  }

  private async readDockerfile(contextDir: string, dockerfile: string): Promise<string> {
    const file = await resolveInRoot(contextDir, path.posix.normalize(`/${dockerfile}`));
    try {
      return await fs.readFile(file, 'utf8');
    } catch (e: unknown) {
      if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'EISDIR') throw new EngineError('invalid-argument', `Cannot locate specified Dockerfile: ${dockerfile}`);
      throw e;
    }
  }
}

async function writeSecrets(dir: string, secrets: ReadonlyMap<string, Buffer>): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  if (secrets.size === 0) return files;
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  let n = 0;
  for (const [id, value] of secrets) {
    const file = path.join(dir, `secret-${n++}`);
    await fs.writeFile(file, value, { mode: 0o400 });
    files.set(id, file);
  }
  return files;
}

async function readIgnoreFile(contextDir: string, dockerfile: string): Promise<string | undefined> {
  for (const name of [`${dockerfile}.dockerignore`, '.dockerignore']) {
    try {
      return await fs.readFile(await resolveInRoot(contextDir, path.posix.normalize(`/${name}`)), 'utf8');
    } catch {
      // try the next one
    }
  }
  return undefined;
}
