import type { Digest } from '../content/digest.js';
import type { NetworkAttachment, PortBinding } from '../networks/network.js';
import type { MountPoint } from './mounts.js';
import type { ResourceOptions, Ulimit } from './resources.js';

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export type RestartPolicyName = 'no' | 'always' | 'unless-stopped' | 'on-failure';

export interface RestartPolicy {
  readonly name: RestartPolicyName;
  readonly maximumRetryCount: number;
}

/** A health check (Docker's HealthConfig); durations in nanoseconds, 0 for "the default". */
export interface HealthConfig {
  /** `["CMD", ...]`, `["CMD-SHELL", "cmd"]`, `["NONE"]`, or empty to inherit the image's. */
  readonly test: readonly string[];
  readonly interval: number;
  readonly timeout: number;
  readonly startPeriod: number;
  readonly startInterval: number;
  readonly retries: number;
}

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

export interface HealthProbeResult {
  readonly start: string;
  readonly end: string;
  readonly exitCode: number;
  readonly output: string;
}

export interface HealthState {
  readonly status: HealthStatus;
  readonly failingStreak: number;
  /** The last few probes, oldest first. */
  readonly log: readonly HealthProbeResult[];
}

/** Options that shape how the container runs on the host (Docker's HostConfig). */
export interface HostOptions {
  /** "bridge", "none", "host" (or a network name, later). */
  readonly networkMode: string;
  readonly autoRemove: boolean;
  readonly restartPolicy: RestartPolicy;
  readonly privileged: boolean;
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly readonlyRootfs: boolean;
  /** Size of /dev/shm in bytes. */
  readonly shmSize: number;
  readonly dns: readonly string[];
  readonly dnsSearch: readonly string[];
  readonly dnsOptions: readonly string[];
  /** `host:ip` entries added to /etc/hosts. */
  readonly extraHosts: readonly string[];
  readonly init: boolean;
  /** Published ports asked for (`-p`). */
  readonly portBindings: readonly PortBinding[];
  /** `-P`: publish every exposed port on an ephemeral host port. */
  readonly publishAllPorts: boolean;
  /** `--network-alias` (user-defined networks). */
  readonly aliases: readonly string[];
  /** Volumes, binds and tmpfs mounts, resolved at create. */
  readonly mounts: readonly MountPoint[];
  /** What the request said, echoed by inspect (HostConfig.Binds, Tmpfs, VolumesFrom). */
  readonly binds: readonly string[];
  readonly tmpfs: Readonly<Record<string, string>>;
  readonly volumesFrom: readonly string[];
  /** `--ip` and `--mac-address` on the primary network ("" when not asked for). */
  readonly ipv4Address: string;
  readonly macAddress: string;
  readonly logConfig: { readonly type: string; readonly config: Readonly<Record<string, string>> };
  /** Limits (absent in records from before they existed: none). */
  readonly resources?: ResourceOptions;
  readonly ulimits?: readonly Ulimit[];
  readonly oomScoreAdj?: number;
  /** `--security-opt` as given (seccomp profiles as their JSON). */
  readonly securityOpt?: readonly string[];
  readonly groupAdd?: readonly string[];
  readonly devices?: ReadonlyArray<{ readonly pathOnHost: string; readonly pathInContainer: string; readonly cgroupPermissions: string }>;
  readonly sysctls?: Readonly<Record<string, string>>;
}

/** What is fixed when the container is created. */
export interface ContainerConfig {
  readonly id: string;
  readonly created: string;
  /** The image as the user named it ("busybox"). */
  readonly image: string;
  readonly imageId: Digest;
  /** The program and its arguments (entrypoint followed by command). */
  readonly path: string;
  readonly args: readonly string[];
  readonly cmd: readonly string[] | null;
  readonly entrypoint: readonly string[] | null;
  readonly env: readonly string[];
  readonly workingDir: string;
  readonly user: string;
  readonly hostname: string;
  readonly domainname: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly stopSignal: string | undefined;
  readonly stopTimeout: number | undefined;
  readonly tty: boolean;
  readonly openStdin: boolean;
  readonly stdinOnce: boolean;
  readonly attachStdin: boolean;
  readonly attachStdout: boolean;
  readonly attachStderr: boolean;
  readonly exposedPorts: Readonly<Record<string, object>>;
  readonly volumes: Readonly<Record<string, object>>;
  readonly onBuild: readonly string[] | null;
  /** The effective health check (merged with the image's); undefined when there is none. */
  readonly healthcheck?: HealthConfig | undefined;
  readonly host: HostOptions;
}

/** What changes while the container lives. */
export interface ContainerState {
  readonly status: ContainerStatus;
  readonly pid: number;
  readonly exitCode: number;
  readonly error: string;
  readonly startedAt: string | undefined;
  readonly finishedAt: string | undefined;
  readonly oomKilled: boolean;
  readonly restartCount: number;
  /** Set by `docker stop`/`kill` so restart policies know the user stopped it. */
  readonly stoppedByUser: boolean;
  /** The network side of the current run (namespace, endpoints, ports); undefined when stopped. */
  readonly network?: NetworkAttachment | undefined;
  /** Networks joined with `network connect`, besides the one of HostConfig.NetworkMode. */
  /** Health of the current (or last) run, for containers with a health check. */
  readonly health?: HealthState | undefined;
  readonly extraNetworks?: ReadonlyArray<{ readonly name: string; readonly aliases: readonly string[]; readonly ipv4Address?: string }>;
}

export interface ContainerRecord {
  /** Current name, without the leading slash. */
  readonly name: string;
  readonly config: ContainerConfig;
  readonly state: ContainerState;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function initialState(): ContainerState {
  return {
    status: 'created', pid: 0, exitCode: 0, error: '', startedAt: undefined, finishedAt: undefined,
    oomKilled: false, restartCount: 0, stoppedByUser: false,
  };
}

export function isRunningStatus(s: ContainerStatus): boolean {
  return s === 'running' || s === 'paused' || s === 'restarting';
}
