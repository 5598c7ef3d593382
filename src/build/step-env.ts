import type { Digest } from '../content/digest.js';
import type { ImageConfig } from '../images/image-config.js';
import type { LayerRef } from '../images/image-store.js';
import type { BuildState } from './build-state.js';

/** What the executor needs to know about images. */
export interface BuildImages {
  find(nameOrId: string): { id: Digest; config: ImageConfig; layers: readonly LayerRef[] } | undefined;
}

/** How a build reports progress, in Docker's legacy builder terms. */
export interface BuildProgress {
  step(n: number, total: number, text: string): void;
  /** A status line such as " ---> Using cache". */
  info(text: string): void;
  output(stream: 'stdout' | 'stderr', data: Buffer): void;
}

export interface BuildParams {
  readonly buildArgs: ReadonlyMap<string, string>;
  readonly globalArgs: ReadonlyMap<string, string>;
  readonly noCache: boolean;
  readonly networkMode: string;
  readonly extraHosts: readonly string[];
  readonly shmSize?: number;
  readonly escape: string;
  readonly contextDir: string;
  readonly workDir: string;
  readonly signal: AbortSignal;
  /** Host files of the build's secrets by id (`RUN --mount=type=secret`): never in a layer, the history or a cache key. */
  readonly secrets: ReadonlyMap<string, string>;
  /** Chains and blobs made by this build so far: kept from garbage collection until it ends. */
  readonly held: Set<Digest>;
}

/** Finds another stage's result by name or index (for COPY --from and RUN --mount from=). */
export type StageLookup = (ref: string) => Promise<BuildState | undefined>;

