import type { Digest } from '../content/digest.js';
import type { ContainerDefaults } from '../images/image-config.js';
import type { MountRequest } from '../containers/mounts.js';

/** A RUN step: the command, in a container made from the state the step starts from. */
export interface RunSpec {
  /** ID under which the starting state is offered to the container service as an image. */
  readonly imageId: Digest;
  readonly defaults: ContainerDefaults;
  readonly topChainId: Digest | undefined;
  readonly argv: readonly string[];
  readonly env: readonly string[];
  readonly user: string;
  readonly workingDir: string;
  /** "bridge" (default), "none" or "host". */
  readonly networkMode: string;
  /** RUN --security=insecure: all capabilities, no masked paths. */
  readonly privileged: boolean;
  readonly mounts: readonly MountRequest[];
  readonly extraHosts: readonly string[];
  readonly shmSize?: number;
}

export interface RunOutput {
  /** The step's container exists and is about to start. */
  started(containerId: string): void;
  data(stream: 'stdout' | 'stderr', data: Buffer): void;
}

/**
 * Runs build steps in containers. `afterExit` sees the exit code and the
 * container's upper dir (what the step changed) before the container goes.
 */
export interface StepRunner {
  run<T>(spec: RunSpec, output: RunOutput, signal: AbortSignal, afterExit: (exitCode: number, upperDir: string, containerId: string) => Promise<T>): Promise<T>;
}
