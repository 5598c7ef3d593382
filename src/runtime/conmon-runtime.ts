import { execFile, spawn } from 'node:child_process';
import { constants as fsConstants, promises as fs, watch, type FSWatcher } from 'node:fs';
import { SeqpacketSocket } from 'node-unix-socket';
import path from 'node:path';
import { promisify } from 'node:util';
import { errnoCode, internal } from '../engine-error.js';
import type { ExitStatus, OciRuntime, RuntimeCreateRequest, RuntimeExec, RuntimeExecRequest, RuntimeStatus, StdinPipe } from './oci-runtime.js';
import { cleanRuntimeMessage, RuntimeError, runtimeErrorMessage } from './runtime-error.js';

const run = promisify(execFile);

export interface ConmonRuntimeOptions {
  /** "runc" or "crun": the name shown in `docker info` and inspect. */
  readonly runtimeName: string;
  readonly runtimePath: string;
  readonly conmonPath: string;
  /** The runtime's own state directory (`--root`). */
  readonly stateDir: string;
  readonly exitsDir: string;
  readonly conmonPidDir: string;
  readonly containerPidDir: string;
  readonly socketsDir: string;
  readonly logSizeMax?: number;
}

/**
 * Runs each container under its own conmon, which holds its stdio, writes its
 * log, and records its exit code in `<exitsDir>/<id>`; the container outlives
 * the daemon. The runtime (runc or crun) is called by conmon for `create` and
 * directly for `start`, `kill`, `delete` and `state`.
 */
export class ConmonRuntime implements OciRuntime {
  readonly name: string;
  private watcher: FSWatcher | undefined;
  private readonly listeners: Array<(id: string) => void> = [];

  constructor(private readonly opts: ConmonRuntimeOptions) {
    this.name = opts.runtimeName;
  }

  async create(req: RuntimeCreateRequest): Promise<{ pid: number; monitorPid: number | undefined }> {
    await fs.rm(path.join(this.opts.exitsDir, req.id), { force: true });
    // A previous run of this container may have left the runtime's state behind.
    if (await exists(path.join(this.opts.stateDir, req.id))) await this.delete(req.id);
    const conmonPidFile = path.join(this.opts.conmonPidDir, `${req.id}.pid`);
    // conmon marks an OOM kill with an "oom" file in its working directory, the bundle.
    await fs.rm(path.join(req.bundle, 'oom'), { force: true });
    const args = [
      '--api-version', '1',
      '-c', req.id, '-u', attachId(req.id), '-n', req.name,
      '-r', this.opts.runtimePath,
      '-b', req.bundle,
      '-p', path.join(this.opts.containerPidDir, `${req.id}.pid`),
      '-P', conmonPidFile,
      '-l', `k8s-file:${req.logPath}`,
      '--exit-dir', this.opts.exitsDir,
      '--socket-dir-path', this.opts.socketsDir,
      '--runtime-arg', '--root', '--runtime-arg', this.opts.stateDir,
      '--log-level', 'error',
    ];
    const logSizeMax = req.logSizeMax ?? this.opts.logSizeMax;
    if (logSizeMax !== undefined) args.push('--log-size-max', String(logSizeMax));
    if (req.terminal) args.push('-t');
    if (req.stdin) args.push('-i');
    if (req.stdin && req.leaveStdinOpen === true) args.push('--leave-stdin-open');
    const sync = this.startMonitor(args, req.bundle);
    const message = await sync.next();
    sync.close();
    if (message.pid <= 0) {
      await this.delete(req.id).catch(() => undefined);
      throw new RuntimeError(`failed to create task for container: OCI runtime create failed: ${message.error}: unknown`);
    }
    return { pid: message.pid, monitorPid: await readPid(conmonPidFile) };
  }

  /**
   * Runs `runc exec` under a conmon of its own: the process's output goes to a
   * log in the session directory, its stdin and terminal size through the
   * monitor's attach socket and control fifo, its exit code back on the sync pipe.
   */
  async exec(req: RuntimeExecRequest): Promise<RuntimeExec> {
    await fs.mkdir(req.dir, { recursive: true, mode: 0o700 });
    const specPath = path.join(req.dir, 'process.json');
    const logPath = path.join(req.dir, 'exec.log');
    await fs.writeFile(specPath, JSON.stringify(req.process));
    const args = [
      '--api-version', '1',
      '-c', req.containerId, '-u', attachId(req.execId),
      '-r', this.opts.runtimePath,
      '-b', req.dir,
      '-p', path.join(req.dir, 'pid'),
      '-l', `k8s-file:${logPath}`,
      '--exec', '--exec-process-spec', specPath,
      '--socket-dir-path', this.opts.socketsDir,
      '--runtime-arg', '--root', '--runtime-arg', this.opts.stateDir,
      '--log-level', 'error',
    ];
    if (req.terminal) args.push('-t');
    if (req.stdin) args.push('-i');
    const sync = this.startMonitor(args, req.dir);
    const started = await sync.next();
    if (started.pid <= 0) {
      sync.close();
      throw new RuntimeError(`OCI runtime exec failed: ${started.error}: unknown`);
    }
    const exited = sync.next().then(
      (m) => (m.pid < 0 ? 255 : m.pid),
      () => 255,
    ).finally(() => sync.close());
    return { pid: started.pid, logPath, exited };
  }

  async update(id: string, resources: Readonly<Record<string, unknown>>): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const child = execFile(this.opts.runtimePath, ['--root', this.opts.stateDir, 'update', '--resources', '-', id], (e) => {
        if (e === null) resolve();
        else reject(new RuntimeError(runtimeErrorMessage(e)));
      });
      child.stdin?.end(JSON.stringify(resources));
    });
  }

  async oomKilled(_id: string, bundle: string): Promise<boolean> {
    return exists(path.join(bundle, 'oom'));
  }

  async processes(id: string): Promise<number[]> {
    try {
      const { stdout } = await run(this.opts.runtimePath, ['--root', this.opts.stateDir, 'ps', '--format', 'json', id]);
      const pids = JSON.parse(stdout) as unknown;
      return Array.isArray(pids) ? pids.filter((p): p is number => Number.isInteger(p)) : [];
    } catch (e: unknown) {
      throw new RuntimeError(runtimeErrorMessage(e));
    }
  }

  /**
   * Starts a conmon (it double-forks and outlives the daemon) in `cwd`, where it
   * leaves its "oom" mark; its reports come on the sync pipe (fd 3).
   */
  private startMonitor(args: string[], cwd: string): SyncPipe {
    const child = spawn(this.opts.conmonPath, args, {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', TZ: 'UTC', _OCI_SYNCPIPE: '3' },
      detached: true,
      cwd,
    });
    child.unref();
    return new SyncPipe(child);
  }

  async startCreated(id: string): Promise<void> {
    try {
      await run(this.opts.runtimePath, ['--root', this.opts.stateDir, 'start', id]);
    } catch (e: unknown) {
      await this.kill(id, 'KILL').catch(() => undefined);
      throw new RuntimeError(`failed to start container: OCI runtime start failed: ${runtimeErrorMessage(e)}: unknown`);
    }
  }

  async kill(id: string, signal: string): Promise<void> {
    try {
      await run(this.opts.runtimePath, ['--root', this.opts.stateDir, 'kill', id, signal]);
    } catch (e: unknown) {
      throw new RuntimeError(runtimeErrorMessage(e));
    }
  }

  async pause(id: string): Promise<void> {
    await this.runtimeCommand('pause', id);
  }

  async resume(id: string): Promise<void> {
    await this.runtimeCommand('resume', id);
  }

  private async runtimeCommand(verb: string, id: string): Promise<void> {
    try {
      await run(this.opts.runtimePath, ['--root', this.opts.stateDir, verb, id]);
    } catch (e: unknown) {
      throw new RuntimeError(runtimeErrorMessage(e));
    }
  }

  async delete(id: string): Promise<void> {
    try {
      await run(this.opts.runtimePath, ['--root', this.opts.stateDir, 'delete', '--force', id]);
    } catch (e: unknown) {
      const msg = runtimeErrorMessage(e);
      if (/does not exist|not exist|no such file/i.test(msg)) return;
      throw new RuntimeError(msg);
    }
  }

  async state(id: string): Promise<{ status: RuntimeStatus; pid: number } | undefined> {
    try {
      const { stdout } = await run(this.opts.runtimePath, ['--root', this.opts.stateDir, 'state', id]);
      const st = JSON.parse(stdout) as { status?: unknown; pid?: unknown };
      const status = st.status;
      if (status !== 'created' && status !== 'running' && status !== 'paused' && status !== 'stopped') return undefined;
      return { status, pid: typeof st.pid === 'number' ? st.pid : 0 };
    } catch {
      return undefined;
    }
  }

  async exitStatus(id: string): Promise<ExitStatus | undefined> {
    const file = path.join(this.opts.exitsDir, id);
    try {
      const [text, st] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
      const code = Number.parseInt(text.trim(), 10);
      if (!Number.isFinite(code)) return undefined;
      return { exitCode: code, finishedAt: st.mtime };
    } catch (e: unknown) {
      if (errnoCode(e) === 'ENOENT') return undefined;
      throw e;
    }
  }

  async monitorAlive(id: string): Promise<boolean> {
    const pid = await readPid(path.join(this.opts.conmonPidDir, `${id}.pid`));
    if (pid === undefined) return false;
    try {
      // "(conmon) S ..." — a zombie (Z) has finished its work.
      const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) (\S)/.exec(stat);
      return m?.[1] === 'conmon' && m[2] !== 'Z';
    } catch {
      return false;
    }
  }

  /**
   * conmon writes the exit file and may still be copying the container's last
   * output to the log; it exits when all is written. Waits for that (bounded).
   */
  async waitMonitorExit(id: string, timeoutMs = 2000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until && (await this.monitorAlive(id))) {
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  onExit(listener: (id: string) => void): void {
    this.listeners.push(listener);
    if (this.watcher !== undefined) return;
    this.watcher = watch(this.opts.exitsDir, (_event, filename) => {
      if (filename === null || filename.startsWith('.')) return;
      for (const l of this.listeners) l(filename);
    });
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  async openStdin(id: string): Promise<StdinPipe> {
    const socket = new SeqpacketSocket();
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      try {
        socket.connect(path.join(this.opts.socketsDir, attachId(id), 'attach'), () => {
          socket.off('error', reject);
          resolve();
        });
      } catch (e: unknown) {
        reject(e);
      }
    });
    socket.on('error', () => undefined);
    // Output also arrives here; berth reads output from the log, so it is dropped.
    socket.on('data', () => undefined);
    // The monitor closes the socket when the container exits: calls after that are no-ops.
    const safely = (fn: () => void): void => {
      try {
        fn();
      } catch {
        // already closed
      }
    };
    return {
      write: (data) => safely(() => socket.write(data)),
      end: () => safely(() => socket.end()),
      close: () => safely(() => socket.destroy()),
    };
  }

  async resize(_id: string, bundle: string, height: number, width: number): Promise<void> {
    // conmon's control fifo: "1 <height> <width>" resizes the terminal.
    await this.control(bundle, `1 ${height} ${width}\n`, 'cannot resize the terminal');
  }

  async reopenLog(_id: string, bundle: string): Promise<void> {
    // "2 0 0": reopen the log files.
    await this.control(bundle, '2 0 0\n', 'cannot reopen the log');
  }

  /** Writes a message to conmon's control fifo. Non-blocking: no reader, no wait. */
  private async control(bundle: string, message: string, what: string): Promise<void> {
    let fh;
    try {
      fh = await fs.open(path.join(bundle, 'ctl'), fsConstants.O_WRONLY | fsConstants.O_NONBLOCK);
      await fh.write(message);
    } catch (e: unknown) {
      throw internal(`${what}: ${e instanceof Error ? e.message : String(e)}`, e);
    } finally {
      await fh?.close();
    }
  }

  async forget(id: string): Promise<void> {
    await Promise.all([
      fs.rm(path.join(this.opts.exitsDir, id), { force: true }),
      fs.rm(path.join(this.opts.conmonPidDir, `${id}.pid`), { force: true }),
      fs.rm(path.join(this.opts.containerPidDir, `${id}.pid`), { force: true }),
      fs.rm(path.join(this.opts.socketsDir, attachId(id)), { force: true, recursive: true }),
    ]);
  }
}

/** conmon's name for the container's socket directory: short, so the attach socket's path fits a unix address. */
function attachId(id: string): string {
  return id.slice(0, 32);
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

async function readPid(file: string): Promise<number | undefined> {
  try {
    const n = Number.parseInt((await fs.readFile(file, 'utf8')).trim(), 10);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * conmon's sync pipe: one JSON message per line, `{"data": n}` (a pid, then for
 * exec sessions the exit code) or `{"data": -1, "message": "..."}` on failure.
 */
class SyncPipe {
  private buf = '';
  private readonly messages: Array<{ pid: number; error: string }> = [];
  private readonly waiting: Array<{ resolve: (m: { pid: number; error: string }) => void; reject: (e: Error) => void }> = [];
  private failure: Error | undefined;
  private readonly pipe: NodeJS.ReadableStream & { destroy(): void };

  constructor(child: ReturnType<typeof spawn>) {
    const pipe = child.stdio[3];
    if (pipe === null || pipe === undefined || !('on' in pipe)) throw internal('conmon: no sync pipe');
    this.pipe = pipe as unknown as NodeJS.ReadableStream & { destroy(): void };
    pipe.on('data', (d: Buffer) => this.onData(d));
    pipe.on('error', () => undefined);
    pipe.on('close', () => this.fail(internal('conmon exited without reporting the process')));
    child.on('error', (e) => this.fail(internal(`cannot run conmon: ${e.message}`, e)));
  }

  next(): Promise<{ pid: number; error: string }> {
    const m = this.messages.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  close(): void {
    this.pipe.destroy();
  }

  private onData(d: Buffer): void {
    this.buf += d.toString('utf8');
    for (let nl = this.buf.indexOf('\n'); nl >= 0; nl = this.buf.indexOf('\n')) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      let msg: { pid: number; error: string };
      try {
        const raw = JSON.parse(line) as { data?: unknown; message?: unknown };
        msg = {
          pid: typeof raw.data === 'number' ? raw.data : -1,
          error: typeof raw.message === 'string' ? cleanRuntimeMessage(raw.message) : 'unknown error',
        };
      } catch (e: unknown) {
        this.fail(internal(`conmon: bad sync message ${JSON.stringify(line)}`, e));
        return;
      }
      const w = this.waiting.shift();
      if (w !== undefined) w.resolve(msg);
      else this.messages.push(msg);
    }
  }

  private fail(e: Error): void {
    if (this.failure !== undefined) return;
    this.failure = e;
    for (const w of this.waiting.splice(0)) w.reject(e);
  }
}
