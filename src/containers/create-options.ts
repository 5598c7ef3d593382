import type { HealthConfig, HostOptions } from './container.js';
import type { MountRequest } from './mounts.js';

/** What a client asks for when creating a container (native form of Docker's create body). */
export interface CreateOptions {
  readonly name?: string;
  readonly image: string;
  readonly cmd?: readonly string[] | null;
  readonly entrypoint?: readonly string[] | null;
  readonly env?: readonly string[];
  readonly workingDir?: string;
  readonly user?: string;
  readonly hostname?: string;
  readonly domainname?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly stopSignal?: string;
  readonly stopTimeout?: number;
  readonly tty?: boolean;
  readonly openStdin?: boolean;
  readonly stdinOnce?: boolean;
  readonly attachStdin?: boolean;
  readonly attachStdout?: boolean;
  readonly attachStderr?: boolean;
  readonly exposedPorts?: Readonly<Record<string, object>>;
  readonly volumes?: Readonly<Record<string, object>>;
  readonly healthcheck?: HealthConfig;
  readonly host?: Partial<HostOptions>;
  /** Mounts asked for with -v, --mount and --tmpfs (resolved into host.mounts at create). */
  readonly mountRequests?: readonly MountRequest[];
}
