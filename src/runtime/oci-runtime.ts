/** How containers are run, behind a small interface (the conmon driver, or a fake in tests). */

export interface RuntimeCreateRequest {
  readonly id: string;
  readonly name: string;
  /** Directory holding config.json. */
  readonly bundle: string;
  readonly logPath: string;
  readonly terminal: boolean;
  readonly stdin: boolean;
  /** The monitor's hard cap on the log file (it truncates beyond). */
  readonly logSizeMax?: number;
  /** Keep the container's stdin open when an attached client goes away (not `run -i`'s StdinOnce). */
  readonly leaveStdinOpen?: boolean;
}

/** The write side of a container's stdin, through its monitor. */
export interface StdinPipe {
  write(data: Buffer): void;
  /** Closes the container's stdin (EOF), unless the container keeps it open for other clients. */
  end(): void;
  /** Drops the connection without ending stdin. */
  close(): void;
}

/** A process to run in a running container (`docker exec`). */
export interface RuntimeExecRequest {
  readonly containerId: string;
  readonly execId: string;
  /** A directory of the exec session's own (process spec, log, control fifo). */
  readonly dir: string;
  /** The OCI `process` object. */
  readonly process: Record<string, unknown>;
  readonly terminal: boolean;
  readonly stdin: boolean;
}

export interface RuntimeExec {
  readonly pid: number;
  /** The k8s-file log the monitor writes the process's output to. */
  readonly logPath: string;
  /** Resolves with the exit code once the process has ended and its output is all in the log. */
  readonly exited: Promise<number>;
}

export interface ExitStatus {
  readonly exitCode: number;
  readonly finishedAt: Date;
}

export type RuntimeStatus = 'created' | 'running' | 'paused' | 'stopped';

export interface OciRuntime {
  readonly name: string;
  /** Creates the container under its monitor (its process exists but has not run its program yet). */
  create(req: RuntimeCreateRequest): Promise<{ pid: number; monitorPid: number | undefined }>;
  /** Lets a created container's process run its program. */
  startCreated(id: string): Promise<void>;
  kill(id: string, signal: string): Promise<void>;
  /** Freezes every process of a running container (`docker pause`). */
  pause(id: string): Promise<void>;
  /** Thaws a paused container. */
  resume(id: string): Promise<void>;
  /** Removes the runtime's state of a stopped container (idempotent). */
  delete(id: string): Promise<void>;
  state(id: string): Promise<{ status: RuntimeStatus; pid: number } | undefined>;
  /** The recorded exit of a container that stopped, if any. */
  exitStatus(id: string): Promise<ExitStatus | undefined>;
  /** Whether the monitor of the container is alive. */
  monitorAlive(id: string): Promise<boolean>;
  /** Waits (bounded) until the monitor has written everything and exited. */
  waitMonitorExit(id: string): Promise<void>;
  /** Deletes what the monitor left in the exec root (exit file, pid files, sockets) of a removed container. */
  forget(id: string): Promise<void>;
  /** Connects to the stdin of a running container, or of an exec process, by its ID (created with `stdin`). */
  openStdin(id: string): Promise<StdinPipe>;
  /** Sets the size of a running container's terminal. */
  resize(id: string, bundle: string, height: number, width: number): Promise<void>;
  /** Makes the monitor reopen the container's log (after it was rotated away). */
  reopenLog(id: string, bundle: string): Promise<void>;
  /** Changes a running container's cgroup limits (OCI linux.resources). */
  update(id: string, resources: Readonly<Record<string, unknown>>): Promise<void>;
  /** Whether the kernel's OOM killer hit the container during its last run. */
  oomKilled(id: string, bundle: string): Promise<boolean>;
  /** Host PIDs of all processes in a running container. */
  processes(id: string): Promise<number[]>;
  /** Starts a process in a running container under its own monitor; rejects when it cannot start. */
  exec(req: RuntimeExecRequest): Promise<RuntimeExec>;
  /** Calls `listener` with the container ID each time a container exits. */
  onExit(listener: (id: string) => void): void;
  close(): void;
}
