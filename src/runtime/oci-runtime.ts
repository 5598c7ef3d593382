/** How containers are run, behind a small interface (the conmon driver, or a fake in tests). */

export interface RuntimeCreateRequest {
  readonly id: string;
  readonly name: string;
  /** Directory holding config.json. */
  readonly bundle: string;
  readonly logPath: string;
  readonly terminal: boolean;
  readonly stdin: boolean;
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
  /** Connects to a running container's stdin (it must have been created with `stdin`). */
  openStdin(id: string): Promise<StdinPipe>;
  /** Sets the size of a running container's terminal. */
  resize(id: string, bundle: string, height: number, width: number): Promise<void>;
  /** Calls `listener` with the container ID each time a container exits. */
  onExit(listener: (id: string) => void): void;
  close(): void;
}
