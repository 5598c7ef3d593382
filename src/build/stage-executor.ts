import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ContentStore } from '../content/content-store.js';
import type { Digest } from '../content/digest.js';
import { invalidArgument, EngineError } from '../engine-error.js';
import type { ImageConfig } from '../images/image-config.js';
import { commitUpperDir, type CommittedLayer } from '../snapshots/layer-commit.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';
import type { MountRequest } from '../containers/mounts.js';
import type { Instruction } from './dockerfile/ast.js';
import { flagValue, flagValues } from './dockerfile/ast.js';
import { parseDockerfile } from './dockerfile/parser.js';
import type { BuildCache } from './build-cache.js';
import { cacheKey } from './build-cache.js';
import { DEFAULT_PATH_ENV, defaultsOf, envMap, stateId, topChainId, withConfig, withLayer, type BuildState } from './build-state.js';
import { Expander } from './expander.js';
import { applyMetadata, isMetadata, shellOf } from './metadata-step.js';
import { parseRunMount, runCommand } from './run-step.js';
import type { Stage } from './stages.js';
import type { BuildImages, BuildParams, BuildProgress, StageLookup } from './step-env.js';
import { mountState } from './mount-state.js';
import { resolveInRoot } from '../rootfs/resolve-in-root.js';
import { hashSources } from './copy-files.js';
import { PLATFORM_ARGS, PREDEFINED_ARGS } from './stages.js';
import type { StepRunner } from './step-runner.js';
import { copyStep, writeLayer } from './copy-step.js';
import { ensureDir } from './copy-files.js';
import { CacheMountSharing } from './cache-mount-sharing.js';

/** One for the daemon: builds running at the same time share their cache mounts by its rules. */
const cacheMountSharing = new CacheMountSharing();
import { resolveUser } from '../rootfs/user-lookup.js';

export interface ExecutorDeps {
  readonly images: BuildImages;
  readonly content: ContentStore;
  readonly snapshots: Snapshotter;
  readonly runner: StepRunner;
  readonly cache: BuildCache;
  /** Host directory of a RUN --mount=type=cache by its id. */
  readonly cacheMountDir: (id: string) => string;
}

/** A failing RUN: Docker's message and the command's exit code. */
export class StepFailedError extends EngineError {
  constructor(message: string, readonly exitCode: number) {
    super('invalid-argument', message);
  }
}

/** Runs the instructions of one stage, step by step, with the cache. */
export class StageExecutor {
  private readonly args = new Map<string, string>();
  private readonly usedBuildArgs = new Set<string>();
  private cmdSet = false;

  constructor(
    private readonly deps: ExecutorDeps,
    private readonly params: BuildParams,
    private readonly progress: BuildProgress,
    private readonly stages: StageLookup,
  ) {}

  /** Build args this stage consumed (for Docker's "not consumed" warning). */
  consumed(): ReadonlySet<string> {
    return this.usedBuildArgs;
  }

  /** The starting state of a stage built FROM an image (or scratch). */
  baseState(stage: Stage): { state: BuildState; imageId: Digest | undefined } {
    if (stage.base === 'scratch') {
      const config: ImageConfig = { architecture: hostArch(), os: 'linux', config: { Env: [DEFAULT_PATH_ENV] }, rootfs: { type: 'layers', diff_ids: [] }, history: [] };
      return { state: { config, layers: [], cacheKey: 'scratch' }, imageId: undefined };
    }
    const image = this.deps.images.find(stage.base);
    if (image === undefined) {
      throw new EngineError('not-found', `pull access denied for ${stage.base.replace(/:.*$/, '')}, repository does not exist or may require 'docker login': No such image: ${withTag(stage.base)}`);
    }
    if (stage.platform !== undefined && stage.platform !== '') {
      const [os = 'linux', arch = ''] = stage.platform.toLowerCase().split('/');
      if (os !== image.config.os || (arch !== '' && arch !== image.config.architecture)) {
        throw new EngineError('not-found', `image with reference ${stage.base} was found but does not match the specified platform: wanted ${stage.platform}, actual: ${image.config.os}/${image.config.architecture}`);
      }
    }
    const config = structuredClone(image.config);
    const defaults = config.config ?? {};
    if (!(defaults.Env ?? []).some((e) => e.startsWith('PATH='))) config.config = { ...defaults, Env: [DEFAULT_PATH_ENV, ...(defaults.Env ?? [])] };
    return { state: { config, layers: [...image.layers], cacheKey: image.id }, imageId: image.id };
  }

  /** Runs `instructions` (numbered from `firstStep`) over `state`; ONBUILD triggers of the base run first. */
  async run(state: BuildState, instructions: readonly Instruction[], firstStep: number, total: number): Promise<BuildState> {
    let s = state;
    const triggers = defaultsOf(s).OnBuild ?? [];
    if (triggers.length > 0) {
      this.progress.info(`# Executing ${triggers.length} build trigger${triggers.length === 1 ? '' : 's'}`);
      s = { ...s, config: { ...s.config, config: { ...defaultsOf(s), OnBuild: null } } };
      for (const t of triggers) {
        const ins = parseDockerfile(t).instructions[0];
        if (ins !== undefined) s = await this.step(s, ins);
      }
    }
    let n = firstStep;
    for (const ins of instructions) {
      this.progress.step(n++, total, ins.original);
      s = await this.step(s, ins);
    }
    return s;
  }

  private expander(state: BuildState, line: number): Expander {
    const env = new Map(this.args);
    for (const [k, v] of envMap(defaultsOf(state).Env ?? [])) env.set(k, v);
    return new Expander(env, this.params.escape, line);
  }

  private async step(state: BuildState, ins: Instruction): Promise<BuildState> {
    if (this.params.signal.aborted) throw new EngineError('unavailable', 'build canceled');
    const x = this.expander(state, ins.line);
    const now = new Date().toISOString();
    if (ins.kind === 'ARG') {
      for (const a of ins.args) {
        const given = this.params.buildArgs.get(a.name);
        if (given !== undefined) this.usedBuildArgs.add(a.name);
        const value = given ?? (a.defaultValue !== undefined ? x.word(a.defaultValue) : this.params.globalArgs.get(a.name) ?? PLATFORM_ARGS.get(a.name));
        if (value !== undefined) this.args.set(a.name, value);
      }
      this.progress.info(` ---> ${short(stateId(state))}`);
      return state;
    }
    if (ins.kind === 'MAINTAINER') {
      return this.cached(state, cacheKey(state.cacheKey, ins.original), async (key) => {
        const next = withConfig(state, key, (c) => c, `MAINTAINER ${ins.value}`, now);
        return { ...next, config: { ...next.config, author: x.word(ins.value) } };
      });
    }
    if (ins.kind === 'WORKDIR') {
      // The directory is made when missing (owned by the USER, as BuildKit does); a layer only then.
      const defaults = applyMetadata(defaultsOf(state), ins, x, this.cmdSet);
      const dir = defaults.WorkingDir ?? '/';
      return this.cached(state, cacheKey(state.cacheKey, ins.kind, JSON.stringify(defaults)), async (key) => {
        const layer = await writeLayer(state, { ...this.deps, ...this.params }, async (rootfs) => {
          const user = defaults.User ?? '';
          const owner = user === '' ? undefined : await resolveUser(rootfs, user).catch(() => undefined);
          await ensureDir(rootfs, dir, owner === undefined ? {} : { chown: { uid: owner.uid, gid: owner.gid } });
        }, true);
        if (layer === undefined) return withConfig(state, key, () => defaults, ins.original, now);
        return this.recordLayer({ ...state, config: { ...state.config, config: defaults } }, key, layer, ins.original);
      });
    }
    if (isMetadata(ins)) {
      const defaults = applyMetadata(defaultsOf(state), ins, x, this.cmdSet);
      if (ins.kind === 'CMD') this.cmdSet = true;
      return this.cached(state, cacheKey(state.cacheKey, ins.kind, JSON.stringify(defaults)), async (key) =>
        withConfig(state, key, () => defaults, ins.original, now));
    }
    if (ins.kind === 'RUN') return this.runStep(state, ins, now);
    if (ins.kind === 'COPY' || ins.kind === 'ADD') {
      return copyStep(state, ins, x, {
        ...this.params, content: this.deps.content, snapshots: this.deps.snapshots, stages: this.stages, images: this.deps.images,
        cached: (s, key, make) => this.cached(s, key, make),
        commit: (s, key, layer, createdBy) => this.recordLayer(s, key, layer, createdBy),
        info: (t) => this.progress.info(t),
      });
    }
    if (ins.kind === 'FROM') throw invalidArgument('FROM inside a stage'); // stages are split at FROM
    return state;
  }

  /** A cache hit, or `make` and a new cache entry. */
  private async cached(state: BuildState, key: string, make: (key: string) => Promise<BuildState>): Promise<BuildState> {
    if (!this.params.noCache) {
      const hit = await this.deps.cache.get(key);
      if (hit !== undefined) {
        this.progress.info(' ---> Using cache');
        this.progress.info(` ---> ${short(stateId(hit))}`);
        return hit;
      }
    }
    void state;
    const next = await make(key);
    await this.deps.cache.put(key, next);
    this.progress.info(` ---> ${short(stateId(next))}`);
    return next;
  }

  private recordLayer(state: BuildState, key: string, layer: CommittedLayer, createdBy: string): BuildState {
    this.params.held.add(layer.chainId);
    this.params.held.add(layer.digest);
    return withLayer(state, key, { digest: layer.digest, size: layer.size, mediaType: layer.mediaType }, layer.diffId, createdBy, new Date().toISOString());
  }

  private async runStep(state: BuildState, ins: Extract<Instruction, { kind: 'RUN' }>, now: string): Promise<BuildState> {
    void now;
    const defaults = defaultsOf(state);
    const cmd = runCommand(ins, shellOf(defaults));
    const envNames = new Set(envMap(defaults.Env ?? []).keys());
    const argEnv = [...this.args].filter(([k]) => !envNames.has(k)).map(([k, v]) => `${k}=${v}`);
    // Proxy settings reach RUN without an ARG, and stay out of the history and the cache key (as in BuildKit).
    const proxyEnv = [...this.params.buildArgs].filter(([k]) => PREDEFINED_ARGS.has(k) && !this.args.has(k) && !envNames.has(k)).map(([k, v]) => `${k}=${v}`);
    const security = flagValue(ins, 'security') ?? 'sandbox';
    if (security !== 'sandbox' && security !== 'insecure') throw invalidArgument(`unsupported security mode ${JSON.stringify(security)}`);
    const network = flagValue(ins, 'network') ?? 'default';
    if (!['default', 'none', 'host'].includes(network)) throw invalidArgument(`unsupported network mode ${JSON.stringify(network)}`);
    const mountSpecs = flagValues(ins, 'mount').map((m) => parseRunMount(this.expander(state, ins.line).word(m)));
    const mounts: MountRequest[] = [];
    const secretEnv: string[] = [];
    const cleanups: Array<() => Promise<void>> = [];
    const keyParts: string[] = [state.cacheKey, 'RUN', JSON.stringify(cmd.argv), JSON.stringify(argEnv), network, security];
    for (const m of mountSpecs) {
      keyParts.push(JSON.stringify(m));
      if (m.type === 'cache') {
        const dir = this.deps.cacheMountDir(m.id);
        const fresh = !(await fs.stat(dir).then(() => true, () => false));
        await fs.mkdir(dir, { recursive: true });
        if (fresh) {
          await fs.chmod(dir, m.mode);
          await fs.chown(dir, m.uid, m.gid);
        }
        const held = await cacheMountSharing.acquire(dir, m.sharing);
        cleanups.push(held.release);
        mounts.push(bind(held.dir, m.target, m.readonly));
      } else if (m.type === 'tmpfs') {
        mounts.push({ type: 'tmpfs', destination: m.target, options: m.size !== undefined ? [`size=${m.size}`] : [] });
      } else if (m.type === 'bind') {
        const source = await this.bindSource(m.from, m.source, cleanups, keyParts);
        mounts.push(bind(source, m.target, m.readonly));
      } else if (m.type === 'secret') {
        keyParts.pop(); // where a secret goes is part of the step; its value is not
        keyParts.push(JSON.stringify({ type: 'secret', id: m.id, target: m.target, env: m.env ?? '' }));
        const file = this.params.secrets.get(m.id);
        if (file === undefined) {
          if (m.required) throw invalidArgument(`secret ${m.id}: not found`);
          continue;
        }
        if (m.env !== undefined) secretEnv.push(`${m.env}=${(await fs.readFile(file)).toString('utf8')}`);
        else mounts.push(bind(file, m.target, true));
      } else if (m.required) {
        throw invalidArgument('no SSH key "default" forwarded from the client');
      }
    }
    let scriptFile: string | undefined;
    if (cmd.script !== undefined) {
      scriptFile = path.join(this.params.workDir, `script-${randomBytes(6).toString('hex')}`);
      await fs.writeFile(scriptFile, cmd.script.content, { mode: 0o755 });
      mounts.push(bind(scriptFile, `/dev/pipes/${cmd.script.name}`, true));
      keyParts.push(cmd.script.content);
    }
    const argPrefix = argEnv.length > 0 ? `|${argEnv.length} ${argEnv.join(' ')} ` : '';
    const createdBy = `RUN ${argPrefix}${cmd.display} # buildkit`;
    try {
      return await this.cached(state, cacheKey(...keyParts), async (key) => {
        const id = stateId(state);
        const layer = await this.deps.runner.run({
          imageId: id, defaults, topChainId: topChainId(state), argv: cmd.argv,
          env: [...argEnv, ...proxyEnv, ...secretEnv], privileged: security === 'insecure', user: defaults.User ?? '', workingDir: defaults.WorkingDir ?? '',
          networkMode: network === 'default' ? (this.params.networkMode === '' || this.params.networkMode === 'default' ? 'bridge' : this.params.networkMode) : network,
          mounts, extraHosts: this.params.extraHosts, ...(this.params.shmSize !== undefined ? { shmSize: this.params.shmSize } : {}),
        }, {
          started: (containerId) => this.progress.info(` ---> Running in ${containerId.slice(0, 12)}`),
          data: (stream, data) => this.progress.output(stream, data),
        }, this.params.signal, async (code, upper, containerId) => {
          if (code !== 0) throw new StepFailedError(`The command '${cmd.display}' returned a non-zero code: ${code}`, code);
          const committed = await commitUpperDir(upper, this.deps.content, this.deps.snapshots, topChainId(state), undefined, (c, b) => {
            this.params.held.add(c);
            this.params.held.add(b);
          });
          this.params.held.add(committed.chainId);
          this.params.held.add(committed.digest);
          this.progress.info(`Removing intermediate container ${containerId.slice(0, 12)}`);
          return committed;
        });
        return this.recordLayer(state, key, layer, createdBy);
      });
    } finally {
      for (const c of cleanups) await c().catch(() => undefined);
      if (scriptFile !== undefined) await fs.rm(scriptFile, { force: true });
    }
  }

  /** Host path for RUN --mount=type=bind: the context, or another stage or image mounted read-only for the step. */
  private async bindSource(from: string | undefined, source: string, cleanups: Array<() => Promise<void>>, keyParts: string[]): Promise<string> {
    if (from === undefined || from === '') {
      const host = await resolveInRoot(this.params.contextDir, path.posix.normalize(`/${source}`));
      keyParts.push(await hashSources([{ hostPath: host, rel: source }]));
      return host;
    }
    const state = (await this.stages(from)) ?? this.baseState({ base: from } as Stage).state;
    keyParts.push(state.cacheKey);
    const root = await mountState(this.deps.snapshots, state, this.params.workDir);
    cleanups.push(root.release);
    return resolveInRoot(root.dir, path.posix.normalize(`/${source}`));
  }
}

function bind(source: string, destination: string, readonly: boolean): MountRequest {
  return { type: 'bind', source, destination, readonly, propagation: 'rprivate', mode: readonly ? 'ro' : '', createSource: false };
}

function short(id: Digest): string {
  return id.slice(7, 19);
}

function withTag(name: string): string {
  return /:[^/]*$/.test(name) || name.includes('@') ? name : `${name}:latest`;
}

function hostArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}
