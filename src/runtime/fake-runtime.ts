import type { ExitStatus, OciRuntime, RuntimeCreateRequest, RuntimeExec, RuntimeExecRequest, RuntimeStatus, StdinPipe } from './oci-runtime.js';
import { RuntimeError } from './runtime-error.js';

/**
 * An OCI runtime in memory, for tests of the engine above it: records the calls,
 * and lets a test make containers exit (or monitors die) when it wants.
 */
export class FakeRuntime implements OciRuntime {
  readonly name = 'fake';
  readonly calls: string[] = [];
  /** Make the next start fail with this message (e.g. an exec error). */
  failNextStart: string | undefined;
  private readonly running = new Map<string, number>();
  private readonly exits = new Map<string, ExitStatus>();
  private readonly monitors = new Set<string>();
  private readonly paused = new Set<string>();
  private readonly pendingSignals = new Map<string, number>();
  private readonly listeners: Array<(id: string) => void> = [];
  private nextPid = 1000;
  private readonly execExits = new Map<string, (code: number) => void>();

  async create(req: RuntimeCreateRequest): Promise<{ pid: number; monitorPid: number | undefined }> {
    this.calls.push(`create ${req.id}`);
    if (this.failNextStart !== undefined) {
      const msg = this.failNextStart;
      this.failNextStart = undefined;
      throw new RuntimeError(msg);
    }
    this.exits.delete(req.id);
    const pid = this.nextPid++;
    this.running.set(req.id, pid);
    this.monitors.add(req.id);
    return { pid, monitorPid: pid + 10_000 };
  }

  async startCreated(id: string): Promise<void> {
    this.calls.push(`start ${id}`);
  }

  async kill(id: string, signal: string): Promise<void> {
    this.calls.push(`kill ${id} ${signal}`);
    if (!this.running.has(id)) throw new RuntimeError('container not running');
    if (signal !== '9' && signal !== '15') return;
    // A frozen process takes the signal when it is thawed.
    if (this.paused.has(id)) this.pendingSignals.set(id, Number(signal));
    else this.exit(id, 128 + Number(signal));
  }

  async pause(id: string): Promise<void> {
    this.calls.push(`pause ${id}`);
    if (!this.running.has(id)) throw new RuntimeError('container not running');
    if (this.paused.has(id)) throw new RuntimeError('container not running');
    this.paused.add(id);
  }

  async resume(id: string): Promise<void> {
    this.calls.push(`resume ${id}`);
    if (!this.paused.has(id)) throw new RuntimeError('container not paused');
    this.paused.delete(id);
    const pending = this.pendingSignals.get(id);
    this.pendingSignals.delete(id);
    if (pending !== undefined) this.exit(id, 128 + pending);
  }

  async delete(id: string): Promise<void> {
    this.calls.push(`delete ${id}`);
  }

  async state(id: string): Promise<{ status: RuntimeStatus; pid: number } | undefined> {
    const pid = this.running.get(id);
    return pid === undefined ? undefined : { status: this.paused.has(id) ? 'paused' : 'running', pid };
  }

  async exitStatus(id: string): Promise<ExitStatus | undefined> {
    return this.exits.get(id);
  }

  async monitorAlive(id: string): Promise<boolean> {
    return this.monitors.has(id);
  }

  async waitMonitorExit(): Promise<void> {
    // the fake's monitor has nothing left to write
  }

  async openStdin(id: string): Promise<StdinPipe> {
    this.calls.push(`stdin ${id}`);
    return { write: () => undefined, end: () => undefined, close: () => undefined };
  }

  async exec(req: RuntimeExecRequest): Promise<RuntimeExec> {
    this.calls.push(`exec ${req.containerId} ${JSON.stringify(req.process['args'])}`);
    if (!this.running.has(req.containerId)) throw new RuntimeError('container not running');
    const exited = new Promise<number>((resolve) => this.execExits.set(req.execId, resolve));
    return { pid: this.nextPid++, logPath: `${req.dir}/exec.log`, exited };
  }

  async reopenLog(id: string): Promise<void> {
    this.calls.push(`reopen-log ${id}`);
  }

  async update(id: string, resources: Readonly<Record<string, unknown>>): Promise<void> {
    this.calls.push(`update ${id} ${JSON.stringify(resources)}`);
  }

  async oomKilled(): Promise<boolean> {
    return false;
  }

  async processes(id: string): Promise<number[]> {
    const pid = this.running.get(id);
    return pid === undefined ? [] : [pid];
  }

  /** The exec process ends with `code`. */
  exitExec(execId: string, code: number): void {
    this.execExits.get(execId)?.(code);
    this.execExits.delete(execId);
  }

  async resize(id: string, _bundle: string, height: number, width: number): Promise<void> {
    this.calls.push(`resize ${id} ${height}x${width}`);
  }

  async forget(id: string): Promise<void> {
    this.calls.push(`forget ${id}`);
    this.exits.delete(id);
  }

  onExit(listener: (id: string) => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    this.listeners.length = 0;
  }

  /** The container's process ends with `code`, as conmon would report it. */
  exit(id: string, code: number, notify = true): void {
    this.running.delete(id);
    this.paused.delete(id);
    this.monitors.delete(id);
    this.exits.set(id, { exitCode: code, finishedAt: new Date() });
    if (notify) for (const l of this.listeners) l(id);
  }

  /** The monitor and the container vanish without a trace (e.g. a reboot). */
  vanish(id: string): void {
    this.running.delete(id);
    this.monitors.delete(id);
    this.exits.delete(id);
  }
}
