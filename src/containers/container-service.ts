import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import type { Digest } from '../content/digest.js';
import { conflict, EngineError, invalidArgument, isEngineError, notFound, notModified } from '../engine-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { ContainerDefaults } from '../images/image-config.js';
import { readLog, readLogWithHistory, type LogEntry } from '../runtime/container-log.js';
import { logPolicy, rotatedNames } from './log-policy.js';
import type { OciRuntime, StdinPipe } from '../runtime/oci-runtime.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';
import { KeyedMutex } from '../sync/mutex.js';
import { buildContainerConfig } from './container-config.js';
import { resolveMounts, type VolumeBackend } from './mount-resolver.js';
import { matchContainer, validateContainerFilters, type ContainerFilters } from './container-filters.js';
import { containerPaths, type ContainerPaths, type ContainerRunner } from './container-runner.js';
import type { ContainerStore } from './container-store.js';
import { initialState, isRunningStatus, type ContainerRecord, type ContainerState, type HealthState, type RestartPolicy } from './container.js';
import type { CreateOptions } from './create-options.js';
import type { MountPoint } from './mounts.js';
import path from 'node:path';
import type { ToHostPath } from '../rootfs/resolve-in-root.js';
import { isMountPoint, mountAt, unmount } from '../snapshots/mounter.js';
import { changes, lowerDirs, type Change } from '../snapshots/changes.js';
import { isMountStub, MOUNT_STUB_FILES } from '../snapshots/layer-diff.js';
import { isValidName, randomName } from './name-generator.js';
import { parseSignal } from './signals.js';
import { filterPsOutput, psArguments, type TopResult } from './top.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const runPs = (args: string[]): Promise<{ stdout: string }> => execFileAsync('ps', args, { maxBuffer: 64 * 1024 * 1024 });
import { assertTransition } from './state-machine.js';
import { nextRestartDelay, shouldRestart } from './restart-policy.js';
import { initialHealth, isActive } from './health.js';
import { validateSysctls } from './security-options.js';
import { NO_RESOURCES, ociResources, validateResources, validateUlimits, type HostResources, type ResourceOptions } from './resources.js';

/** What the container service needs to know about images. */
export interface ImageLookup {
  resolveForContainer(nameOrId: string): { id: Digest; defaults: ContainerDefaults; topChainId: Digest | undefined };
  /** Whether image `imageId` is `nameOrId` or built on top of it. */
  isAncestor(imageId: Digest, nameOrId: string): boolean;
  /** The image ID a name points to now, if any. */
  currentId(nameOrId: string): Digest | undefined;
}

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

export interface WaitResult {
  readonly statusCode: number;
  readonly error?: string;
}

export interface ListOptions {
  readonly all?: boolean;
  readonly limit?: number;
  readonly size?: boolean;
  readonly filters?: ContainerFilters;
}

export interface ContainerView {
  readonly record: ContainerRecord;
  /** The container's mounts with the host path of each (a volume's content directory). */
  readonly mounts: ReadonlyArray<MountPoint & { readonly hostPath: string }>;
  /** The image as lists show it: the name given at create, or the image ID once that name points elsewhere. */
  readonly imageShown: string;
  readonly paths: ContainerPaths;
  readonly runtime: string;
  readonly sizeRw?: number;
  readonly sizeRootFs?: number;
}

export interface LogOptions {
  readonly follow?: boolean;
  readonly stdout?: boolean;
  readonly stderr?: boolean;
  readonly sinceNano?: bigint;
  readonly untilNano?: bigint;
  readonly tail?: number;
  readonly signal: AbortSignal;
}

export interface ContainerServiceDeps {
  readonly store: ContainerStore;
  readonly runner: Pick<ContainerRunner, 'start' | 'cleanup' | 'restore' | 'runtimeName' | 'connectRunning' | 'disconnectRunning'>;
  readonly runtime: OciRuntime;
  readonly snapshots: Snapshotter;
  readonly images: ImageLookup;
  readonly events: EventBus;
  /** Bytes used by the image's layers (for SizeRootFs). */
  readonly imageSize: (id: Digest) => number;
  /** Volumes for mounts (optional: without it, containers have no mounts). */
  readonly volumes?: VolumeBackend;
  /** The canonical name of the network a container asks for (throws when there is none such). */
  readonly resolveNetwork?: (mode: string, endpoint: { ipv4Address: string; macAddress: string; aliases: readonly string[] }) => string;
  /** What the host offers, for resource checks (tests may leave it out). */
  readonly host?: { resources(): HostResources; hardLimit(name: string): number | undefined };
  /** The daemon's `log-driver` and `log-opts`. */
  readonly logDefaults?: { readonly type?: string; readonly config?: Readonly<Record<string, string>> };
  /** Called after a container is gone (its image's layers may be free now). */
  readonly onRemoved?: () => void;
}

type ExitListener = (rec: ContainerRecord) => void;

export class ContainerService {
  private readonly locks = new KeyedMutex();
  private readonly names = new Map<string, string>();
  private readonly exitListeners = new Map<string, Set<ExitListener>>();
  private readonly removeListeners = new Map<string, Set<() => void>>();
  private readonly startListeners = new Map<string, Set<() => void>>();
  private readonly stoppedHooks: Array<(id: string) => void> = [];
  private readonly startedHooks: Array<(id: string) => void> = [];
  /** Pending policy restarts, their last back-off delay, and containers whose restart a stop cancelled. */
  private readonly restartTimers = new Map<string, NodeJS.Timeout>();
  private readonly restartDelays = new Map<string, number>();
  private readonly restartCanceled = new Set<string>();
  private shuttingDown = false;
  private readonly removedHooks: Array<(id: string) => void> = [];

  constructor(private readonly d: ContainerServiceDeps) {}

  /** Calls `fn` with the ID of each container that starts (by hand or by its restart policy). */
  onStarted(fn: (id: string) => void): void {
    this.startedHooks.push(fn);
  }

  /**
   * Records a health probe's outcome on a running container; publishes
   * `health_status` when the status changes. Returns the new health, or
   * undefined when the container no longer runs.
   */
  async updateHealth(id: string, update: (current: HealthState) => HealthState): Promise<HealthState | undefined> {
    let changed: HealthState | undefined;
    let result: HealthState | undefined;
    await this.locks.run(id, async () => {
      const rec = this.d.store.get(id);
      if (rec === undefined || rec.state.status !== 'running' || rec.state.health === undefined) return;
      result = update(rec.state.health);
      await this.save(rec, { health: result });
      if (result.status !== rec.state.health.status) changed = result;
    });
    if (changed !== undefined) this.publish(`health_status: ${changed.status}`, this.resolve(id));
    return result;
  }

  /** Calls `fn` with the ID of each container that stops. */
  onStopped(fn: (id: string) => void): void {
    this.stoppedHooks.push(fn);
  }

  /** Calls `fn` with the ID of each container that is removed. */
  onRemovedContainer(fn: (id: string) => void): void {
    this.removedHooks.push(fn);
  }

  // ---- lookup ----

  find(idOrName: string): ContainerRecord | undefined {
    const exact = this.d.store.get(idOrName);
    if (exact !== undefined) return exact;
    const byName = this.names.get(idOrName.startsWith('/') ? idOrName.slice(1) : idOrName);
    if (byName !== undefined) return this.d.store.get(byName);
    if (!/^[a-f0-9]+$/.test(idOrName)) return undefined;
    const matches = this.d.store.all().filter((r) => r.config.id.startsWith(idOrName));
    if (matches.length > 1) throw invalidArgument(`multiple IDs found with provided prefix: ${idOrName}`);
    return matches[0];
  }

  resolve(idOrName: string): ContainerRecord {
    const rec = this.find(idOrName);
    if (rec === undefined) throw notFound(`No such container: ${idOrName}`);
    return rec;
  }

  /**
   * Runs `fn` with the container's filesystem reachable from the host: its root
   * (mounted for the time of `fn` if the container is not running) and its
   * volumes and binds, through a path mapper. Used by cp, export and friends.
   */
  async withFilesystem<T>(idOrName: string, fn: (toHost: ToHostPath, rec: ContainerRecord) => Promise<T>, event?: 'archive-path' | 'extract-to-dir' | 'export'): Promise<T> {
    const id = this.resolve(idOrName).config.id;
    return this.locks.run(id, async () => {
      const rec = this.resolve(id);
      const paths = this.paths(id);
      const wasMounted = await isMountPoint(paths.rootfs);
      if (!wasMounted) await mountAt(this.d.snapshots.mounts(id), paths.rootfs);
      try {
        const binds = rec.config.host.mounts
          .map((m) => ({ dest: m.destination, host: m.type === 'volume' ? this.d.volumes?.mountpoint(m.name) : m.type === 'bind' ? m.source : undefined }))
          .filter((m): m is { dest: string; host: string } => m.host !== undefined)
          .sort((a, b) => b.dest.length - a.dest.length);
        const toHost: ToHostPath = (cp) => {
          const m = binds.find((b) => cp === b.dest || cp.startsWith(`${b.dest}/`));
          return m === undefined ? path.join(paths.rootfs, cp) : path.join(m.host, cp.slice(m.dest.length));
        };
        const result = await fn(toHost, rec);
        if (event !== undefined) this.publish(event, rec);
        return result;
      } finally {
        if (!wasMounted) await unmount(paths.rootfs);
      }
    });
  }

  /** Containers whose mounts use a volume (any state), for volume removal. */
  usersOfVolume(name: string): string[] {
    return this.d.store.all()
      .filter((r) => r.config.host.mounts.some((m) => m.type === 'volume' && m.name === name))
      .map((r) => r.config.id);
  }

  /** Anonymous volumes go with their container (`rm -v`, `--rm`), unless another one uses them. */
  private async removeAnonymousVolumes(mounts: readonly MountPoint[]): Promise<void> {
    for (const m of mounts) {
      if (m.type !== 'volume' || !m.anonymous || this.usersOfVolume(m.name).length > 0) continue;
      await this.d.volumes?.remove(m.name).catch(() => undefined);
    }
  }

  /** Containers that use an image, for image removal. */
  usersOfImage(imageId: Digest): Array<{ id: string; running: boolean }> {
    return this.d.store.all()
      .filter((r) => r.config.imageId === imageId)
      .map((r) => ({ id: r.config.id, running: isRunningStatus(r.state.status) }));
  }

  paths(id: string): ContainerPaths {
    return containerPaths(this.d.store.dirOf(id));
  }

  // ---- verbs ----

  async create(opts: CreateOptions): Promise<{ id: string; warnings: string[] }> {
    const image = this.d.images.resolveForContainer(opts.image);
    const mode = opts.host?.networkMode;
    if (this.d.resolveNetwork !== undefined) {
      const endpoint = { ipv4Address: opts.host?.ipv4Address ?? '', macAddress: opts.host?.macAddress ?? '', aliases: opts.host?.aliases ?? [] };
      const networkMode = this.d.resolveNetwork(mode === undefined || mode === '' || mode === 'default' ? 'bridge' : mode, endpoint);
      if (mode !== undefined && mode !== '' && mode !== 'default') opts = { ...opts, host: { ...opts.host, networkMode } };
    }
    const id = randomBytes(32).toString('hex');
    let config = buildContainerConfig(id, new Date().toISOString(), opts, image.id, image.defaults, os.hostname());
    const warnings: string[] = [];
    if (config.host.resources !== undefined) {
      const checked = validateResources(config.host.resources, this.d.host?.resources() ?? { cpus: os.availableParallelism(), swapLimit: false });
      warnings.push(...checked.warnings);
      config = { ...config, host: { ...config.host, resources: checked.resources } };
    }
    validateUlimits(config.host.ulimits ?? [], (n) => this.d.host?.hardLimit(n));
    validateSysctls(config.host.sysctls ?? {}, config.host.networkMode);
    // The log settings are fixed at create, the daemon's defaults filled in (as inspect shows them).
    const daemonLog = this.d.logDefaults ?? {};
    const policy = logPolicy(config.host.logConfig, daemonLog);
    const inherits = config.host.logConfig.type === '' || config.host.logConfig.type === daemonLog.type;
    config = {
      ...config,
      host: { ...config.host, logConfig: { type: policy.driver, config: { ...(inherits ? daemonLog.config ?? {} : {}), ...config.host.logConfig.config } } },
    };
    const mounts = this.d.volumes === undefined ? [] : await resolveMounts(
      opts.mountRequests ?? [], config.host.volumesFrom, Object.keys(config.volumes), this.d.volumes,
      (n) => this.find(n)?.config.host.mounts,
    );
    config = { ...config, host: { ...config.host, mounts } };
    let name: string;
    try {
      name = this.reserveName(opts.name, id);
    } catch (e: unknown) {
      await this.removeAnonymousVolumes(mounts);
      throw e;
    }
    try {
      await fs.mkdir(this.d.store.dirOf(id), { mode: 0o710 });
      await fs.writeFile(this.paths(id).logPath, '', { mode: 0o640 });
      await this.d.snapshots.prepare(id, image.topChainId);
      await this.d.store.save({ name, config, state: initialState() });
    } catch (e: unknown) {
      this.names.delete(name);
      await this.d.snapshots.remove(id).catch(() => undefined);
      await fs.rm(this.d.store.dirOf(id), { recursive: true, force: true });
      await this.removeAnonymousVolumes(mounts);
      throw e;
    }
    this.publish('create', this.resolve(id));
    return { id, warnings };
  }

  async start(idOrName: string): Promise<void> {
    const id = this.resolve(idOrName).config.id;
    let failed: ContainerRecord | undefined;
    try {
      await this.locks.run(id, async () => {
        const rec = this.resolve(id);
        const status = rec.state.status;
        if (status === 'running') throw notModified();
        if (status === 'paused') throw conflict('cannot start a paused container, try unpause instead');
        if (status === 'removing' || status === 'dead') throw conflict(`container is marked for removal and cannot be started`);
        // A start by hand begins the restart policy's count and back-off anew.
        this.cancelRestart(id);
        this.restartDelays.delete(id);
        this.restartCanceled.delete(id);
        assertTransition(id, status, 'running');
        try {
          await this.runLocked(rec, { restartCount: 0 });
        } catch (e: unknown) {
          const message = e instanceof Error ? e.message : String(e);
          failed = await this.save(rec, { status: status === 'restarting' ? 'exited' : status, exitCode: startFailureExitCode(message), error: message });
          throw e;
        }
      });
    } catch (e: unknown) {
      if (failed?.config.host.autoRemove === true) await this.remove(id, { force: true }).catch(() => undefined);
      throw e;
    }
    this.started(id);
  }

  /** Starts the container's process (the caller holds its lock and has checked the transition). */
  private async runLocked(rec: ContainerRecord, change: Partial<ContainerState>): Promise<void> {
    const id = rec.config.id;
    if (!this.d.snapshots.hasActive(id)) {
      await this.d.snapshots.prepare(id, this.d.images.resolveForContainer(rec.config.imageId).topChainId);
    }
    const { pid, network } = await this.d.runner.start(rec.config, rec.name, this.paths(id), rec.state.extraNetworks ?? []);
    await this.save(rec, {
      status: 'running', pid, exitCode: 0, error: '', startedAt: new Date().toISOString(),
      finishedAt: rec.state.finishedAt, stoppedByUser: false, oomKilled: false, network,
      health: isActive(rec.config.healthcheck) ? initialHealth(rec.state.health) : undefined, ...change,
    });
  }

  private started(id: string): void {
    const rec = this.resolve(id);
    this.publishVolumeEvents('mount', rec);
    this.publish('start', rec);
    for (const h of this.startedHooks) h(id);
    for (const l of [...(this.startListeners.get(id) ?? [])]) l();
  }

  // ---- restart policies ----

  /**
   * Applies the restart policy to a container that just stopped: `restarting`
   * for the back-off delay, then a new run. A stop by hand cancels it.
   */
  private async maybeRestartLocked(rec: ContainerRecord, manuallyStopped: boolean): Promise<boolean> {
    const id = rec.config.id;
    if (this.restartCanceled.has(id) || this.shuttingDown) return false;
    const policy = rec.config.host.restartPolicy;
    if (!shouldRestart(policy, { exitCode: rec.state.exitCode, manuallyStopped, restartCount: rec.state.restartCount })) return false;
    const ranFor = rec.state.startedAt !== undefined && rec.state.finishedAt !== undefined
      ? Date.parse(rec.state.finishedAt) - Date.parse(rec.state.startedAt) : 0;
    const delay = nextRestartDelay(this.restartDelays.get(id), ranFor);
    this.restartDelays.set(id, delay);
    await this.save(rec, { status: 'restarting' });
    const timer = setTimeout(() => {
      this.restartTimers.delete(id);
      void this.restartNow(id).catch(() => undefined);
    }, delay);
    timer.unref();
    this.restartTimers.set(id, timer);
    return true;
  }

  private async restartNow(id: string): Promise<void> {
    let ok = false;
    await this.locks.run(id, async () => {
      const rec = this.d.store.get(id);
      if (rec === undefined || rec.state.status !== 'restarting') return;
      try {
        await this.runLocked(rec, { restartCount: rec.state.restartCount + 1 });
        ok = true;
      } catch (e: unknown) {
        const message = e instanceof Error ? e.message : String(e);
        const failed = await this.save(rec, {
          status: 'exited', exitCode: startFailureExitCode(message), error: message,
          restartCount: rec.state.restartCount + 1, finishedAt: new Date().toISOString(),
        });
        await this.maybeRestartLocked(failed, false);
      }
    });
    if (ok) this.started(id);
  }

  /**
   * A stop by hand: no policy restart after this run. When the container is
   * waiting to restart, it is simply stopped (true).
   */
  private async settleRestart(id: string): Promise<boolean> {
    this.restartCanceled.add(id);
    this.cancelRestart(id);
    let settled: ContainerRecord | undefined;
    await this.locks.run(id, async () => {
      const rec = this.d.store.get(id);
      if (rec?.state.status === 'restarting') settled = await this.save(rec, { status: 'exited' });
    });
    if (settled !== undefined) for (const l of [...(this.exitListeners.get(id) ?? [])]) l(settled);
    return settled !== undefined;
  }

  /** Stops a pending policy restart (a stop, kill or removal by hand). */
  private cancelRestart(id: string): void {
    const t = this.restartTimers.get(id);
    if (t !== undefined) clearTimeout(t);
    this.restartTimers.delete(id);
  }

  /**
   * After the daemon starts: containers whose policy says so run again
   * (`always` even when stopped by hand, `unless-stopped` only when not).
   */
  async restartAfterBoot(): Promise<void> {
    for (const rec of this.d.store.all()) {
      if (rec.state.status !== 'exited' && rec.state.status !== 'restarting') continue;
      const policy = rec.config.host.restartPolicy;
      if (!shouldRestart(policy, { exitCode: rec.state.exitCode, manuallyStopped: rec.state.stoppedByUser, restartCount: rec.state.restartCount })) continue;
      await this.locks.run(rec.config.id, async () => {
        const cur = this.d.store.get(rec.config.id);
        if (cur === undefined) return;
        await this.save(cur, { status: 'restarting' });
      });
      await this.restartNow(rec.config.id).catch(() => undefined);
    }
  }

  /** The daemon is stopping: no policy restarts from now on. */
  shutdown(): void {
    this.shuttingDown = true;
    for (const id of [...this.restartTimers.keys()]) this.cancelRestart(id);
  }

  /** Resolves once the container runs (at once if it does); rejects when `signal` aborts or it is removed. */
  whenRunning(idOrName: string, signal: AbortSignal): Promise<void> {
    const rec = this.resolve(idOrName);
    const id = rec.config.id;
    if (rec.state.status === 'running') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (ok: boolean): void => {
        this.startListeners.get(id)?.delete(onStart);
        this.removeListeners.get(id)?.delete(onRemove);
        signal.removeEventListener('abort', onAbort);
        if (ok) resolve();
        else reject(new EngineError('unavailable', 'container did not start'));
      };
      const onStart = (): void => done(true);
      const onRemove = (): void => done(false);
      const onAbort = (): void => done(false);
      addTo(this.startListeners, id, onStart);
      addTo(this.removeListeners, id, onRemove);
      signal.addEventListener('abort', onAbort);
    });
  }

  /** The container's stdin, for an attached client (the container must run and keep stdin open). */
  async openStdin(idOrName: string): Promise<StdinPipe> {
    const rec = this.resolve(idOrName);
    if (!rec.config.openStdin) throw conflict(`container ${rec.config.id} was not created with stdin open`);
    if (!isRunningStatus(rec.state.status)) throw conflict(`container ${rec.config.id} is not running`);
    return this.d.runtime.openStdin(rec.config.id);
  }

  /** The container's processes as `ps` shows them (`docker top`). */
  async top(idOrName: string, psArgs: string | undefined): Promise<TopResult> {
    const rec = this.resolve(idOrName);
    if (!isRunningStatus(rec.state.status)) throw conflict(`container ${rec.config.id} is not running`);
    const pids = await this.d.runtime.processes(rec.config.id);
    let output: string;
    try {
      output = (await runPs(psArguments(psArgs))).stdout;
    } catch (e: unknown) {
      const stderr = (e as { stderr?: unknown }).stderr;
      throw new EngineError('internal', `Error running ps: ${typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim() : String(e)}`);
    }
    const result = filterPsOutput(output, pids);
    this.publish('top', rec);
    return result;
  }

  /**
   * `docker update`: new limits (fields left at 0 keep their value) and restart
   * policy; a running container gets the limits at once.
   */
  async update(idOrName: string, change: { resources: ResourceOptions; restartPolicy?: RestartPolicy }): Promise<string[]> {
    const id = this.resolve(idOrName).config.id;
    let warnings: string[] = [];
    await this.locks.run(id, async () => {
      const rec = this.resolve(id);
      const host = rec.config.host;
      if (change.restartPolicy !== undefined && change.restartPolicy.name !== 'no' && host.autoRemove) {
        throw invalidArgument('Restart policy cannot be updated because AutoRemove is enabled for the container');
      }
      const cur = host.resources ?? NO_RESOURCES;
      const given = change.resources;
      if (given.memory > 0 && given.memorySwap === 0 && cur.memorySwap > 0 && given.memory > cur.memorySwap) {
        throw conflict('Cannot update container ' + id + ': Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
      }
      const pick = <K extends keyof ResourceOptions>(k: K, unset: ResourceOptions[K]): ResourceOptions[K] => (given[k] !== unset ? given[k] : cur[k]);
      const merged: ResourceOptions = {
        memory: pick('memory', 0), memorySwap: pick('memorySwap', 0), memoryReservation: pick('memoryReservation', 0),
        memorySwappiness: pick('memorySwappiness', -1), nanoCpus: pick('nanoCpus', 0), cpuShares: pick('cpuShares', 0),
        cpuPeriod: pick('cpuPeriod', 0), cpuQuota: pick('cpuQuota', 0), cpusetCpus: pick('cpusetCpus', ''),
        cpusetMems: pick('cpusetMems', ''), pidsLimit: pick('pidsLimit', 0), oomKillDisable: cur.oomKillDisable,
      };
      // --cpus replaces a period/quota setting and the other way round.
      const cpuFix = given.nanoCpus > 0 ? { cpuPeriod: 0, cpuQuota: 0 } : given.cpuPeriod > 0 || given.cpuQuota > 0 ? { nanoCpus: 0 } : {};
      const checked = validateResources({ ...merged, ...cpuFix }, this.d.host?.resources() ?? { cpus: os.availableParallelism(), swapLimit: false });
      warnings = checked.warnings;
      if (rec.state.status === 'running' || rec.state.status === 'paused') {
        try {
          await this.d.runtime.update(id, ociResources(checked.resources));
        } catch (e: unknown) {
          throw new EngineError('internal', `Cannot update container ${id}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      const next: ContainerRecord = {
        ...rec,
        config: { ...rec.config, host: { ...host, resources: checked.resources, ...(change.restartPolicy !== undefined ? { restartPolicy: change.restartPolicy } : {}) } },
      };
      await this.d.store.save(next);
    });
    this.publish('update', this.resolve(id));
    return warnings;
  }

  /** Sets the terminal size of a running TTY container (`/containers/{id}/resize`). */
  async resize(idOrName: string, height: number, width: number): Promise<void> {
    const rec = this.resolve(idOrName);
    if (!isRunningStatus(rec.state.status)) throw conflict(`Container ${rec.config.id} is not running`);
    if (!rec.config.tty || height <= 0 || width <= 0) return;
    await this.d.runtime.resize(rec.config.id, this.paths(rec.config.id).dir, height, width);
    this.publish('resize', rec, { height: String(height), width: String(width) });
  }

  async stop(idOrName: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    const rec = this.resolve(idOrName);
    const id = rec.config.id;
    if (!isRunningStatus(rec.state.status)) throw notModified();
    const signal = opts.signal ?? rec.config.stopSignal ?? 'SIGTERM';
    const sig = parseSignal(signal);
    const timeout = opts.timeout ?? rec.config.stopTimeout ?? 10;
    await this.markStoppedByUser(id);
    if (await this.settleRestart(id)) {
      this.publish('stop', this.resolve(id));
      return;
    }
    const exited = this.nextExit(id);
    if (sig !== 9) {
      await this.signal(id, sig).catch(ignoreNotRunning);
      if (timeout < 0) {
        await exited;
        this.publish('stop', this.resolve(id));
        return;
      }
      if (await withTimeout(exited, timeout * 1000)) {
        this.publish('stop', this.resolve(id));
        return;
      }
    }
    await this.signal(id, 9).catch(ignoreNotRunning);
    await exited;
    this.publish('stop', this.resolve(id));
  }

  async kill(idOrName: string, signal = 'SIGKILL'): Promise<void> {
    const rec = this.resolve(idOrName);
    const sig = parseSignal(signal);
    if (!isRunningStatus(rec.state.status)) {
      throw conflict(`cannot kill container: ${idOrName}: container ${rec.config.id} is not running`);
    }
    if (sig === 9 || sig === 15 || sig === 2) await this.markStoppedByUser(rec.config.id);
    // The stop signal ends the restart policy too, as with Docker; others (SIGKILL) let `always` bring it back.
    const stopSignal = parseSignal(rec.config.stopSignal ?? 'SIGTERM');
    if (rec.state.status === 'restarting') {
      if (sig === stopSignal) await this.settleRestart(rec.config.id);
      return;
    }
    if (sig === stopSignal) this.restartCanceled.add(rec.config.id);
    await this.signal(rec.config.id, sig);
  }

  /** Freezes the container's processes (`docker pause`). */
  async pause(idOrName: string): Promise<void> {
    const id = this.resolve(idOrName).config.id;
    await this.locks.run(id, async () => {
      const rec = this.resolve(id);
      const status = rec.state.status;
      if (status === 'paused') throw conflict(`Container ${id} is already paused`);
      if (status === 'restarting') throw conflict(`Container ${id} is restarting, wait until the container is running`);
      if (status !== 'running') throw conflict(`Container ${id} is not running`);
      try {
        await this.d.runtime.pause(id);
      } catch (e: unknown) {
        throw new EngineError('internal', `Cannot pause container ${id}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      this.publish('pause', await this.save(rec, { status: 'paused' }));
    });
  }

  /** Thaws a paused container (`docker unpause`). */
  async unpause(idOrName: string): Promise<void> {
    const id = this.resolve(idOrName).config.id;
    await this.locks.run(id, async () => {
      const rec = this.resolve(id);
      if (rec.state.status !== 'paused') throw conflict(`Container ${id} is not paused`);
      try {
        await this.d.runtime.resume(id);
      } catch (e: unknown) {
        throw new EngineError('internal', `Cannot unpause container ${id}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      this.publish('unpause', await this.save(rec, { status: 'running' }));
    });
  }

  async restart(idOrName: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    const id = this.resolve(idOrName).config.id;
    try {
      await this.stop(id, opts);
    } catch (e: unknown) {
      if (!isEngineError(e, 'not-modified')) throw e;
    }
    await this.start(id);
    this.publish('restart', this.resolve(id));
  }

  async remove(idOrName: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const rec = this.resolve(idOrName);
    const id = rec.config.id;
    if (isRunningStatus(rec.state.status)) {
      if (opts.force !== true) {
        const what = rec.state.status === 'paused' ? 'container is paused and must be unpaused first' : 'container is running: stop the container before removing or force remove';
        throw conflict(`cannot remove container "/${rec.name}": ${what}`);
      }
      await this.markStoppedByUser(id);
      if (!(await this.settleRestart(id))) {
        const exited = this.nextExit(id);
        await this.signal(id, 9).catch(ignoreNotRunning);
        await exited;
      }
    }
    await this.locks.run(id, async () => {
      const current = this.d.store.get(id);
      if (current === undefined) return;
      if (current.state.status === 'removing') throw conflict(`removal of container ${idOrName} is already in progress`);
      if (isRunningStatus(current.state.status)) throw conflict(`cannot remove container "/${current.name}": container is running: stop the container before removing or force remove`);
      await this.destroyLocked(current, current.state.status === 'exited' || current.state.status === 'created');
      if (opts.volumes === true) await this.removeAnonymousVolumes(current.config.host.mounts);
    });
  }

  /**
   * `network connect`: joins another network now (running) or at the next start.
   * `network` is the network's canonical name, `networkId` its ID.
   */
  async connectNetwork(idOrName: string, network: { id: string; name: string }, aliases: readonly string[], ipv4Address = ''): Promise<void> {
    const id = this.resolve(idOrName).config.id;
    await this.locks.run(id, async () => {
      const rec = this.resolve(id);
      const mode = rec.config.host.networkMode;
      if (mode === 'host' || mode === 'none') {
        throw new EngineError('forbidden', `container sharing network namespace with another container or host cannot be connected to any other network`);
      }
      const extras = rec.state.extraNetworks ?? [];
      this.d.resolveNetwork?.(network.name, { ipv4Address, macAddress: '', aliases });
      if (mode === network.name || extras.some((e) => e.name === network.name)) {
        throw new EngineError('forbidden', `endpoint with name ${rec.name} already exists in network ${network.name}`);
      }
      let attachment = rec.state.network;
      if (attachment !== undefined && isRunningStatus(rec.state.status)) {
        attachment = await this.d.runner.connectRunning(rec.config, this.paths(id), attachment, network.name, aliases, ipv4Address);
      }
      const extra = { name: network.name, aliases: [...aliases], ...(ipv4Address !== '' ? { ipv4Address } : {}) };
      await this.save(rec, { extraNetworks: [...extras, extra], network: attachment });
    });
  }

  /** `network disconnect`: leaves a network joined with `network connect`. */
  async disconnectNetwork(idOrName: string, network: { id: string; name: string }): Promise<void> {
    const id = this.resolve(idOrName).config.id;
    await this.locks.run(id, async () => {
      const rec = this.resolve(id);
      const extras = rec.state.extraNetworks ?? [];
      if (rec.config.host.networkMode === network.name) {
        throw new EngineError('not-implemented', `disconnecting a container from the network it was created on is not supported yet`);
      }
      if (!extras.some((e) => e.name === network.name)) {
        throw new EngineError('forbidden', `container ${id} is not connected to network ${network.name}`);
      }
      let attachment = rec.state.network;
      if (attachment !== undefined) attachment = await this.d.runner.disconnectRunning(id, attachment, network.id);
      await this.save(rec, { extraNetworks: extras.filter((e) => e.name !== network.name), network: attachment });
    });
  }

  async rename(idOrName: string, newName: string): Promise<void> {
    const id = this.resolve(idOrName).config.id;
    const name = newName.startsWith('/') ? newName.slice(1) : newName;
    if (name === '') throw invalidArgument('Neither old nor new names may be empty');
    if (!isValidName(name)) throw invalidArgument(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    await this.locks.run(id, async () => {
      const rec = this.resolve(id);
      if (rec.name === name) throw invalidArgument('Renaming a container with the same name as its current name');
      const holder = this.names.get(name);
      if (holder !== undefined) throw nameConflict(name, holder);
      this.names.set(name, id);
      try {
        await this.d.store.save({ ...rec, name });
      } catch (e: unknown) {
        this.names.delete(name);
        throw e;
      }
      this.names.delete(rec.name);
      this.publish('rename', this.resolve(id), { oldName: `/${rec.name}` });
    });
  }

  /**
   * Registers a waiter now and resolves when the condition holds. Docker's
   * conditions: not-running (at once if it is not running), next-exit, removed.
   */
  wait(idOrName: string, condition: WaitCondition, signal?: AbortSignal): Promise<WaitResult> {
    const rec = this.resolve(idOrName);
    const id = rec.config.id;
    if (condition === 'not-running' && !isRunningStatus(rec.state.status)) {
      return Promise.resolve(waitResult(rec));
    }
    return new Promise<WaitResult>((resolve, reject) => {
      const done = (r: ContainerRecord): void => {
        cleanup();
        resolve(waitResult(r));
      };
      const onExit: ExitListener = (r) => {
        if (condition !== 'removed') done(r);
      };
      let last = rec;
      const trackLast: ExitListener = (r) => { last = r; };
      const onRemove = (): void => done(last);
      const onAbort = (): void => {
        cleanup();
        reject(new EngineError('unavailable', 'wait cancelled'));
      };
      const cleanup = (): void => {
        this.exitListeners.get(id)?.delete(onExit);
        this.exitListeners.get(id)?.delete(trackLast);
        this.removeListeners.get(id)?.delete(onRemove);
        signal?.removeEventListener('abort', onAbort);
      };
      addTo(this.exitListeners, id, onExit);
      addTo(this.exitListeners, id, trackLast);
      addTo(this.removeListeners, id, onRemove);
      signal?.addEventListener('abort', onAbort);
    });
  }

  async list(opts: ListOptions = {}): Promise<ContainerView[]> {
    const filters = opts.filters ?? {};
    validateContainerFilters(filters);
    let recs = this.d.store.all().sort((a, b) => Date.parse(b.config.created) - Date.parse(a.config.created));
    const limit = opts.limit ?? -1;
    const all = opts.all === true || limit > 0 || (filters['status']?.length ?? 0) > 0 || (filters['exited']?.length ?? 0) > 0;
    if (!all) recs = recs.filter((r) => isRunningStatus(r.state.status));
    recs = recs.filter((r) => matchContainer(r, filters, {
      hasAncestor: (c, name) => this.d.images.isAncestor(c.config.imageId, name),
      createdOf: (n) => this.find(n)?.config.created,
    }));
    if (limit > 0) recs = recs.slice(0, limit);
    return Promise.all(recs.map((r) => this.view(r, opts.size === true)));
  }

  async inspect(idOrName: string, opts: { size?: boolean } = {}): Promise<ContainerView> {
    return this.view(this.resolve(idOrName), opts.size === true);
  }

  /** The container's log entries, following new ones while it runs when asked. */
  logs(idOrName: string, opts: LogOptions): { tty: boolean; entries: AsyncGenerator<LogEntry> } {
    const rec = this.resolve(idOrName);
    const follow = opts.follow === true && isRunningStatus(rec.state.status)
      ? { stopped: this.nextExitOrRemoval(rec.config.id, opts.signal), signal: opts.signal }
      : undefined;
    const policy = logPolicy(rec.config.host.logConfig);
    if (policy.driver === 'none') throw new EngineError('not-implemented', 'configured logging driver does not support reading');
    const logPath = this.paths(rec.config.id).logPath;
    const source = readLogWithHistory(logPath, rotatedNames(logPath, policy).reverse(), {
      ...(opts.sinceNano !== undefined ? { sinceNano: opts.sinceNano } : {}),
      ...(opts.untilNano !== undefined ? { untilNano: opts.untilNano } : {}),
      ...(opts.tail !== undefined ? { tail: opts.tail } : {}),
      ...(follow !== undefined ? { follow } : {}),
    });
    const wantOut = opts.stdout !== false;
    const wantErr = opts.stderr !== false;
    async function* filtered(): AsyncGenerator<LogEntry> {
      for await (const e of source) {
        if ((e.stream === 'stdout' && wantOut) || (e.stream === 'stderr' && wantErr)) yield e;
      }
    }
    return { tty: rec.config.tty, entries: filtered() };
  }

  /**
   * Output of the container from now on, until it stops: its current run, or the
   * next one when it is not running yet (`run` attaches before it starts).
   */
  async attach(idOrName: string, signal: AbortSignal): Promise<{ tty: boolean; entries: AsyncGenerator<LogEntry> }> {
    const rec = this.resolve(idOrName);
    const logPath = this.paths(rec.config.id).logPath;
    const size = await fs.stat(logPath).then((s) => s.size, () => 0);
    const stopped = this.nextExitOrRemoval(rec.config.id, signal);
    this.publish('attach', rec);
    return { tty: rec.config.tty, entries: readLog(logPath, { fromOffset: size, follow: { stopped, signal } }) };
  }

  /** What the container changed in its filesystem (`docker diff`), without the runtime's mount stubs. */
  async changes(idOrName: string): Promise<Change[]> {
    const id = this.resolve(idOrName).config.id;
    const upper = this.d.snapshots.upperDir(id);
    const all = await changes(upper, lowerDirs(this.d.snapshots.mounts(id)));
    const stubs = new Set<string>();
    for (const f of MOUNT_STUB_FILES) {
      const st = await fs.lstat(path.join(upper, f)).catch(() => undefined);
      if (st !== undefined && isMountStub(f, st)) stubs.add(`/${f}`);
    }
    const kept = all.filter((c) => !stubs.has(c.path));
    // a directory listed only because of the stubs inside it goes too
    return kept.filter((c) => c.kind !== 0 || stubs.size === 0 || !all.some((o) => stubs.has(o.path) && o.path.startsWith(`${c.path}/`))
      || kept.some((o) => o !== c && o.path.startsWith(`${c.path}/`)));
  }

  async prune(filters: ContainerFilters = {}): Promise<{ deleted: string[]; spaceReclaimed: number }> {
    for (const k of Object.keys(filters)) {
      if (k !== 'until' && k !== 'label' && k !== 'label!') throw invalidArgument(`invalid filter '${k}'`);
    }
    const deleted: string[] = [];
    let spaceReclaimed = 0;
    for (const rec of this.d.store.all()) {
      if (isRunningStatus(rec.state.status) || rec.state.status === 'removing') continue;
      if (!matchContainer(rec, { label: filters['label'] ?? [], until: filters['until'] ?? [] }, { hasAncestor: () => false, createdOf: () => undefined })) continue;
      if ((filters['label!'] ?? []).some((l) => matchContainer(rec, { label: [l] }, { hasAncestor: () => false, createdOf: () => undefined }))) continue;
      const size = await this.d.snapshots.usage(rec.config.id);
      try {
        await this.remove(rec.config.id);
        deleted.push(rec.config.id);
        spaceReclaimed += size;
      } catch (e: unknown) {
        if (!isEngineError(e)) throw e;
      }
    }
    this.d.events.publish('container', 'prune', '', { reclaimed: String(spaceReclaimed) });
    return { deleted, spaceReclaimed };
  }

  // ---- exits and recovery ----

  /** Called when the runtime reports that container `id` exited. */
  async handleExit(id: string): Promise<void> {
    let exitedRec: ContainerRecord | undefined;
    await this.locks.run(id, async () => {
      const rec = this.d.store.get(id);
      if (rec === undefined || !isRunningStatus(rec.state.status)) return;
      const exit = await this.d.runtime.exitStatus(id);
      if (exit === undefined) return;
      // Followers of the log must see all of it when they hear of the exit.
      await this.d.runtime.waitMonitorExit(id);
      exitedRec = await this.finishExitLocked(rec, exit.exitCode, exit.finishedAt);
      for (const l of [...(this.exitListeners.get(id) ?? [])]) l(exitedRec);
      if (!exitedRec.config.host.autoRemove) await this.maybeRestartLocked(exitedRec, exitedRec.state.stoppedByUser);
      // --rm: the container goes right away, in the same critical section.
      if (exitedRec.config.host.autoRemove) {
        await this.destroyLocked(exitedRec, true);
        await this.removeAnonymousVolumes(exitedRec.config.host.mounts);
      }
    });
  }

  /** Reconciles records with what survived a daemon restart or crash. */
  async recover(): Promise<void> {
    for (const rec of this.d.store.all()) this.names.set(rec.name, rec.config.id);
    for (const key of this.d.snapshots.activeKeys()) {
      if (this.d.store.get(key) === undefined) await this.d.snapshots.remove(key);
    }
    const toRemove: string[] = [];
    for (const rec of this.d.store.all()) {
      const id = rec.config.id;
      const status = rec.state.status;
      if (status === 'removing' || status === 'dead') {
        await this.locks.run(id, () => this.destroyLocked(rec));
        continue;
      }
      if (!isRunningStatus(status)) {
        await this.d.runner.cleanup(id, this.paths(id), rec.state.network, []).catch(() => undefined);
        if (rec.state.network !== undefined) await this.save(rec, { network: undefined });
        continue;
      }
      const exit = await this.d.runtime.exitStatus(id);
      if (exit !== undefined) {
        const r = await this.locks.run(id, () => this.finishExitLocked(rec, exit.exitCode, exit.finishedAt));
        if (r.config.host.autoRemove) toRemove.push(id);
        continue;
      }
      const monitored = await this.d.runtime.monitorAlive(id);
      const st = monitored ? undefined : await this.d.runtime.state(id);
      if (monitored || st?.status === 'running' || st?.status === 'paused') {
        this.d.runner.restore(id, rec.state.network, rec.config.host.mounts);
        continue;
      }
      // Neither the monitor nor the container is left, and nobody recorded how it ended.
      const r = await this.locks.run(id, () => this.finishExitLocked(rec, 255, new Date()));
      if (r.config.host.autoRemove) toRemove.push(id);
    }
    for (const id of toRemove) await this.remove(id, { force: true }).catch(() => undefined);
  }

  // ---- internals ----

  private async finishExitLocked(rec: ContainerRecord, exitCode: number, finishedAt: Date): Promise<ContainerRecord> {
    const paths = this.paths(rec.config.id);
    const oomKilled = await this.d.runtime.oomKilled(rec.config.id, paths.dir).catch(() => false);
    if (oomKilled) this.publish('oom', rec);
    const startedAt = Date.parse(rec.state.startedAt ?? '');
    const execDuration = Number.isNaN(startedAt) ? 0 : Math.max(0, Math.floor((finishedAt.getTime() - startedAt) / 1000));
    // `die` goes out as soon as the record says so (no one sees `exited` before it), and before the
    // network's `disconnect`, as in Docker.
    const [updated] = await Promise.all([
      (rec.config.host.autoRemove
        ? Promise.resolve<ContainerRecord>({ ...rec, state: { ...rec.state, status: 'exited', pid: 0, exitCode, oomKilled, finishedAt: finishedAt.toISOString() } })
        : this.save(rec, { status: 'exited', pid: 0, exitCode, oomKilled, finishedAt: finishedAt.toISOString(), network: undefined })
      ).then((u) => {
        this.publish('die', u, { exitCode: String(exitCode), execDuration: String(execDuration) });
        return u;
      }),
      this.d.runner.cleanup(rec.config.id, paths, rec.state.network, rec.config.host.mounts).catch(() => undefined),
    ]);
    this.publishVolumeEvents('unmount', updated);
    for (const h of this.stoppedHooks) h(rec.config.id);
    return updated;
  }

  /**
   * Removes the container: renaming its directory away is the commit point (a
   * crash after it leaves only garbage that startup sweeps); its writable layer
   * and runtime files go after the waiters have been told.
   */
  private async destroyLocked(rec: ContainerRecord, cleanedUp = false): Promise<void> {
    const id = rec.config.id;
    if (!cleanedUp) await this.d.runner.cleanup(id, this.paths(id), rec.state.network, []);
    const { purged } = await this.d.store.delete(id);
    if (this.names.get(rec.name) === id) this.names.delete(rec.name);
    this.publish('destroy', rec);
    for (const h of this.removedHooks) h(id);
    for (const l of [...(this.removeListeners.get(id) ?? [])]) l();
    this.removeListeners.delete(id);
    this.exitListeners.delete(id);
    this.cancelRestart(id);
    this.restartDelays.delete(id);
    this.restartCanceled.delete(id);
    await Promise.all([purged, this.d.snapshots.remove(id), this.d.runtime.forget(id)]);
    this.d.onRemoved?.();
  }

  private async markStoppedByUser(id: string): Promise<void> {
    await this.locks.run(id, async () => {
      const rec = this.d.store.get(id);
      if (rec !== undefined && !rec.state.stoppedByUser) await this.save(rec, { stoppedByUser: true });
    });
  }

  private async signal(id: string, sig: number): Promise<void> {
    await this.d.runtime.kill(id, String(sig));
    const rec = this.resolve(id);
    this.publish('kill', rec, { signal: String(sig) });
    // Docker: a paused container is thawed after a signal meant to end it, so that it can.
    const stopSignal = rec.config.stopSignal;
    if (rec.state.status === 'paused' && (sig === 9 || stopSignal === undefined || stopSignal === '' || parseSignal(stopSignal) === sig)) {
      await this.locks.run(id, async () => {
        const current = this.d.store.get(id);
        if (current?.state.status !== 'paused') return;
        // It may have ended meanwhile; the exit is recorded either way.
        await this.d.runtime.resume(id).catch(() => undefined);
        await this.save(current, { status: 'running' });
      });
    }
  }

  /**
   * Resolves when the container, running now, has stopped (or is gone). Polls as
   * well, in case a notification was lost or came before this was called.
   */
  private nextExit(id: string): Promise<ContainerRecord | undefined> {
    return new Promise((resolve) => {
      const finish = (r: ContainerRecord | undefined): void => {
        clearInterval(timer);
        this.exitListeners.get(id)?.delete(finish);
        resolve(r);
      };
      const timer = setInterval(() => {
        const rec = this.d.store.get(id);
        if (rec === undefined || !isRunningStatus(rec.state.status)) finish(rec);
        else void this.handleExit(id);
      }, 500);
      addTo(this.exitListeners, id, finish);
    });
  }

  private nextExitOrRemoval(id: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearInterval(timer);
        this.exitListeners.get(id)?.delete(finish);
        this.removeListeners.get(id)?.delete(finish);
        signal.removeEventListener('abort', finish);
        resolve();
      };
      // As nextExit: poll as well, so that a lost notification cannot leave a follower waiting for ever.
      const timer = setInterval(() => {
        const rec = this.d.store.get(id);
        if (rec === undefined) finish();
        else if (isRunningStatus(rec.state.status)) void this.handleExit(id).catch(() => undefined);
      }, 500);
      addTo(this.exitListeners, id, finish);
      addTo(this.removeListeners, id, finish);
      signal.addEventListener('abort', finish);
    });
  }

  private async save(rec: ContainerRecord, change: Partial<ContainerState>): Promise<ContainerRecord> {
    const next: ContainerRecord = { ...rec, state: { ...rec.state, ...change } };
    await this.d.store.save(next);
    return next;
  }

  private reserveName(requested: string | undefined, id: string): string {
    if (requested !== undefined && requested !== '') {
      const name = requested.startsWith('/') ? requested.slice(1) : requested;
      if (!isValidName(name)) throw invalidArgument(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
      const holder = this.names.get(name);
      if (holder !== undefined) throw nameConflict(name, holder);
      this.names.set(name, id);
      return name;
    }
    for (let i = 0; ; i++) {
      const name = randomName(i);
      if (!this.names.has(name)) {
        this.names.set(name, id);
        return name;
      }
    }
  }

  private async view(rec: ContainerRecord, size: boolean): Promise<ContainerView> {
    const imageShown = this.d.images.currentId(rec.config.image) === rec.config.imageId ? rec.config.image : rec.config.imageId;
    const mounts = rec.config.host.mounts.map((m) => ({
      ...m, hostPath: m.type === 'volume' ? this.d.volumes?.mountpoint(m.name) ?? '' : m.type === 'bind' ? m.source : '',
    }));
    const base = { record: rec, imageShown, mounts, paths: this.paths(rec.config.id), runtime: this.d.runner.runtimeName };
    if (!size) return base;
    const sizeRw = await this.d.snapshots.usage(rec.config.id);
    return { ...base, sizeRw, sizeRootFs: sizeRw + this.d.imageSize(rec.config.imageId) };
  }

  /** Docker's volume `mount` (at start) and `unmount` (at exit) events, one per named or anonymous volume. */
  private publishVolumeEvents(action: 'mount' | 'unmount', rec: ContainerRecord): void {
    for (const m of rec.config.host.mounts) {
      if (m.type !== 'volume') continue;
      const attributes: Record<string, string> = { container: rec.config.id, driver: 'local' };
      if (action === 'mount') Object.assign(attributes, { destination: m.destination, propagation: '', 'read/write': String(!m.readonly) });
      this.d.events.publish('volume', action, m.name, attributes);
    }
  }

  private publish(action: string, rec: ContainerRecord, extra: Record<string, string> = {}): void {
    this.d.events.publish('container', action, rec.config.id, { ...rec.config.labels, image: rec.config.image, name: rec.name, ...extra });
  }
}

function addTo<T>(map: Map<string, Set<T>>, key: string, value: T): void {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function waitResult(rec: ContainerRecord): WaitResult {
  return rec.state.error !== '' && rec.state.status !== 'exited'
    ? { statusCode: rec.state.exitCode, error: rec.state.error }
    : { statusCode: rec.state.exitCode };
}

function nameConflict(name: string, holder: string): EngineError {
  return conflict(`Conflict. The container name "/${name}" is already in use by container "${holder}". You have to remove (or rename) that container to be able to reuse that name.`);
}

/** Docker records 127 for a missing executable, 126 for one that cannot run, 128 otherwise. */
export function startFailureExitCode(message: string): number {
  if (/executable file not found|no such file or directory/.test(message)) return 127;
  if (/permission denied|is a directory/.test(message)) return 126;
  return 128;
}

function ignoreNotRunning(e: unknown): void {
  const msg = e instanceof Error ? e.message : String(e);
  if (!/not running|does not exist|process already finished|no such process/i.test(msg)) throw e;
}

function withTimeout(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

