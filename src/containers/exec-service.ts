import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { conflict, EngineError, invalidArgument, notFound } from '../engine-error.js';
import type { EventBus } from '../events/event-bus.js';
import { resolveUser } from '../rootfs/user-lookup.js';
import { readLog, type LogEntry } from '../runtime/container-log.js';
import { DEFAULT_PATH, effectiveCapabilities } from '../runtime/oci-spec.js';
import type { OciRuntime, RuntimeExec, StdinPipe } from '../runtime/oci-runtime.js';
import { mergeEnv } from './container-config.js';
import type { ContainerPaths } from './container-runner.js';
import type { ContainerService } from './container-service.js';
import type { ContainerRecord } from './container.js';

/** What `POST /containers/{id}/exec` asks for. */
export interface ExecCreateOptions {
  readonly cmd: readonly string[];
  readonly env?: readonly string[];
  readonly user?: string;
  readonly workingDir?: string;
  readonly privileged?: boolean;
  readonly tty?: boolean;
  readonly attachStdin?: boolean;
  readonly attachStdout?: boolean;
  readonly attachStderr?: boolean;
  readonly detachKeys?: string;
  /** [height, width] of the terminal at start. */
  readonly consoleSize?: readonly [number, number];
}

export interface ExecRecord {
  readonly id: string;
  readonly containerId: string;
  readonly opts: ExecCreateOptions;
  running: boolean;
  started: boolean;
  pid: number;
  exitCode: number | undefined;
  /** Set once the process has been started. */
  handle: RuntimeExec | undefined;
  readonly dir: string;
}

/** A started exec process, for the API to stream. */
export interface ExecSession {
  readonly tty: boolean;
  /** The process's output from its start until it ends (or `signal` aborts). */
  readonly output: AsyncGenerator<LogEntry>;
  /** Resolves with the exit code. */
  readonly exited: Promise<number>;
}

type ContainerLookup = Pick<ContainerService, 'resolve' | 'paths' | 'onStopped' | 'onRemovedContainer'>;

export interface ExecServiceDeps {
  readonly containers: ContainerLookup;
  readonly runtime: OciRuntime;
  readonly events: EventBus;
  /** Where exec sessions keep their process spec, log and control fifo. */
  readonly sessionsDir: string;
}

/** Finished sessions kept per container for `exec inspect` (the oldest go first). */
const KEEP_FINISHED = 64;

/**
 * `docker exec`: sessions live in memory (as in Docker, they do not survive a
 * daemon restart); each started one runs under its own conmon.
 */
export class ExecService {
  private readonly execs = new Map<string, ExecRecord>();

  constructor(private readonly d: ExecServiceDeps) {
    d.containers.onStopped((id) => this.containerStopped(id));
    d.containers.onRemovedContainer((id) => void this.dropAll(id));
  }

  /** Removes session directories a previous daemon left behind. */
  async sweep(): Promise<void> {
    await fs.rm(this.d.sessionsDir, { recursive: true, force: true });
    await fs.mkdir(this.d.sessionsDir, { recursive: true, mode: 0o700 });
  }

  async create(containerIdOrName: string, opts: ExecCreateOptions): Promise<string> {
    const rec = this.d.containers.resolve(containerIdOrName);
    assertCanExec(rec);
    if (opts.cmd.length === 0) throw invalidArgument('No exec command specified');
    const id = randomBytes(32).toString('hex');
    this.execs.set(id, {
      id, containerId: rec.config.id, opts, running: false, started: false, pid: 0, exitCode: undefined, handle: undefined,
      dir: path.join(this.d.sessionsDir, id),
    });
    this.publish(rec, `exec_create: ${opts.cmd.join(' ')}`, id);
    return id;
  }

  get(execId: string): ExecRecord {
    const ex = this.execs.get(execId);
    if (ex === undefined) throw notFound(`No such exec instance: ${execId}`);
    return ex;
  }

  /** IDs of the container's sessions that have not ended (container inspect's ExecIDs). */
  idsOf(containerId: string): string[] {
    return [...this.execs.values()].filter((e) => e.containerId === containerId && e.exitCode === undefined).map((e) => e.id);
  }

  /**
   * Starts the process. A process that cannot start (no such executable, ...)
   * records Docker's 126/127 exit code and rejects with the runtime's message.
   */
  async start(execId: string, opts: { tty?: boolean; consoleSize?: readonly [number, number]; signal: AbortSignal }): Promise<ExecSession> {
    const ex = this.get(execId);
    if (ex.exitCode !== undefined) throw conflict(`Error: Exec command ${ex.id} has already run`);
    if (ex.started) throw conflict(`Error: Exec command ${ex.id} is already running`);
    const rec = this.d.containers.resolve(ex.containerId);
    assertCanExec(rec);
    ex.started = true;
    ex.running = true;
    const tty = opts.tty ?? ex.opts.tty === true;
    const size = opts.consoleSize ?? ex.opts.consoleSize;
    let handle: RuntimeExec;
    try {
      const process = await this.processSpec(rec, this.d.containers.paths(rec.config.id), ex.opts, tty, size);
      handle = await this.d.runtime.exec({
        containerId: rec.config.id, execId, dir: ex.dir, process, terminal: tty, stdin: ex.opts.attachStdin === true,
      });
    } catch (e: unknown) {
      ex.running = false;
      const message = e instanceof Error ? e.message : String(e);
      ex.exitCode = /executable file not found|no such file or directory/i.test(message) ? 127 : 126;
      this.publish(rec, 'exec_die', execId, { exitCode: String(ex.exitCode) });
      this.trim(rec.config.id);
      throw e instanceof EngineError ? e : new EngineError('internal', message);
    }
    ex.handle = handle;
    ex.pid = handle.pid;
    this.publish(rec, `exec_start: ${ex.opts.cmd.join(' ')}`, execId);
    const exited = handle.exited.then((code) => {
      ex.running = false;
      ex.exitCode = code;
      this.publish(rec, 'exec_die', execId, { exitCode: String(code) });
      this.trim(rec.config.id);
      return code;
    });
    const output = readLog(handle.logPath, { follow: { stopped: exited.then(() => undefined), signal: opts.signal } });
    return { tty, output, exited };
  }

  /**
   * Runs a command to its end and returns its exit code and (combined, at most
   * `maxOutput` bytes of) output, killing it after `timeoutMs` (health probes).
   * Errors starting it come back as exit code -1 with the message as output.
   */
  async run(containerId: string, cmd: readonly string[], opts: { timeoutMs: number; maxOutput: number }): Promise<{ exitCode: number; output: string; timedOut: boolean }> {
    const id = await this.create(containerId, { cmd, attachStdout: true, attachStderr: true });
    const ex = this.get(id);
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      const session = await this.start(id, { signal: ac.signal });
      const chunks: Buffer[] = [];
      let size = 0;
      const reading = (async () => {
        for await (const e of session.output) {
          if (size < opts.maxOutput) chunks.push(e.data.subarray(0, opts.maxOutput - size));
          size += e.data.length;
        }
      })();
      const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), opts.timeoutMs); });
      const r = await Promise.race([session.exited, timedOut]);
      if (r === 'timeout') {
        if (ex.pid > 0) {
          try {
            process.kill(ex.pid, 'SIGKILL');
          } catch {
            // it ended meanwhile
          }
        }
        ac.abort();
        return { exitCode: -1, output: '', timedOut: true };
      }
      await reading;
      return { exitCode: r, output: Buffer.concat(chunks).toString(), timedOut: false };
    } catch (e: unknown) {
      return { exitCode: -1, output: e instanceof Error ? e.message : String(e), timedOut: false };
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      void this.drop(ex);
    }
  }

  async openStdin(execId: string): Promise<StdinPipe> {
    const ex = this.get(execId);
    if (ex.opts.attachStdin !== true || ex.handle === undefined) throw conflict(`exec ${execId} has no stdin`);
    return this.d.runtime.openStdin(execId);
  }

  async resize(execId: string, height: number, width: number): Promise<void> {
    const ex = this.get(execId);
    if (!ex.running || ex.handle === undefined) throw conflict(`Exec ${execId} is not running`);
    if (height <= 0 || width <= 0) return;
    await this.d.runtime.resize(execId, ex.dir, height, width);
  }

  private async processSpec(
    rec: ContainerRecord, paths: ContainerPaths, opts: ExecCreateOptions, tty: boolean, size: readonly [number, number] | undefined,
  ): Promise<Record<string, unknown>> {
    // The container's own process settings (rlimits, no-new-privileges, ...) are the base.
    const spec = JSON.parse(await fs.readFile(path.join(paths.dir, 'config.json'), 'utf8')) as { process?: Record<string, unknown> };
    const base = spec.process ?? {};
    const cfg = rec.config;
    const user = await resolveUser(paths.rootfs, opts.user !== undefined && opts.user !== '' ? opts.user : cfg.user);
    const env = mergeEnv(
      mergeEnv(
        [...(cfg.env.some((e) => e.startsWith('PATH=')) ? [] : [`PATH=${DEFAULT_PATH}`]), `HOSTNAME=${cfg.hostname}`, ...(tty ? ['TERM=xterm'] : [])],
        cfg.env,
      ),
      opts.env ?? [],
    );
    const workingDir = opts.workingDir !== undefined && opts.workingDir !== '' ? opts.workingDir : cfg.workingDir;
    const caps = opts.privileged === true ? effectiveCapabilities(true, [], []) : undefined;
    return {
      ...base,
      terminal: tty,
      ...(tty && size !== undefined && size[0] > 0 && size[1] > 0 ? { consoleSize: { height: size[0], width: size[1] } } : {}),
      user: { uid: user.uid, gid: user.gid, ...(user.additionalGids.length > 0 ? { additionalGids: user.additionalGids } : {}) },
      args: [...opts.cmd],
      env,
      cwd: workingDir === '' ? '/' : path.posix.resolve('/', workingDir),
      ...(caps !== undefined ? { capabilities: { bounding: caps, effective: caps, permitted: caps } } : {}),
    };
  }

  /** The container stopped: its exec processes died with it; sessions not started can never run. */
  private containerStopped(containerId: string): void {
    for (const ex of this.execs.values()) {
      if (ex.containerId === containerId && !ex.started) void this.drop(ex);
    }
  }

  /** Keeps the number of finished sessions of a container bounded. */
  private trim(containerId: string): void {
    const finished = [...this.execs.values()].filter((e) => e.containerId === containerId && e.exitCode !== undefined);
    for (const ex of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) void this.drop(ex);
  }

  private async dropAll(containerId: string): Promise<void> {
    await Promise.all([...this.execs.values()].filter((e) => e.containerId === containerId).map((e) => this.drop(e)));
  }

  private async drop(ex: ExecRecord): Promise<void> {
    this.execs.delete(ex.id);
    if (ex.handle !== undefined) await ex.handle.exited.catch(() => undefined);
    await fs.rm(ex.dir, { recursive: true, force: true });
  }

  private publish(rec: ContainerRecord, action: string, execId: string, extra: Record<string, string> = {}): void {
    this.d.events.publish('container', action, rec.config.id, { ...rec.config.labels, image: rec.config.image, name: rec.name, execID: execId, ...extra });
  }
}

function assertCanExec(rec: ContainerRecord): void {
  const status = rec.state.status;
  if (status === 'paused') throw conflict(`container ${rec.config.id} is paused, unpause the container before exec`);
  if (status === 'restarting') throw conflict(`Container ${rec.config.id} is restarting, wait until the container is running`);
  if (status !== 'running') throw conflict(`container ${rec.config.id} is not running`);
}
