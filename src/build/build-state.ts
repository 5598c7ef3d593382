import { sha256Digest, type Digest } from '../content/digest.js';
import type { ContainerDefaults, HistoryEntry, ImageConfig } from '../images/image-config.js';
import type { LayerRef } from '../images/image-store.js';
import { chainIds } from '../snapshots/chain-id.js';

export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const HISTORY_COMMENT = 'buildkit.dockerfile.v0';

/** An image in the making: what each build step starts from and produces. */
export interface BuildState {
  readonly config: ImageConfig;
  readonly layers: readonly LayerRef[];
  /** Identifies the chain of steps that led here (the cache key of the last step). */
  readonly cacheKey: string;
}

/** The ID the state would have as an image: the digest of its config. */
export function stateId(state: BuildState): Digest {
  return sha256Digest(JSON.stringify(state.config));
}

export function topChainId(state: BuildState): Digest | undefined {
  return chainIds(state.config.rootfs.diff_ids).at(-1);
}

export function defaultsOf(state: BuildState): ContainerDefaults {
  return state.config.config ?? {};
}

/** The state after a step that changes only the config (ENV, LABEL, CMD...). */
export function withConfig(state: BuildState, cacheKey: string, change: (c: ContainerDefaults) => ContainerDefaults, createdBy: string, now: string): BuildState {
  const history: HistoryEntry = { created: now, created_by: createdBy, comment: HISTORY_COMMENT, empty_layer: true };
  return {
    layers: state.layers,
    cacheKey,
    config: { ...state.config, created: now, config: change({ ...defaultsOf(state) }), history: [...(state.config.history ?? []), history] },
  };
}

/** The state after a step that added a layer. */
export function withLayer(state: BuildState, cacheKey: string, layer: LayerRef, diffId: Digest, createdBy: string, now: string): BuildState {
  const history: HistoryEntry = { created: now, created_by: createdBy, comment: HISTORY_COMMENT };
  return {
    layers: [...state.layers, layer],
    cacheKey,
    config: {
      ...state.config,
      created: now,
      rootfs: { type: 'layers', diff_ids: [...state.config.rootfs.diff_ids, diffId] },
      history: [...(state.config.history ?? []), history],
    },
  };
}

/** Docker's ReplaceOrAppendEnvValues for one `KEY=value`. */
export function setEnv(env: readonly string[], key: string, value: string): string[] {
  const out = env.filter((e) => e.split('=', 1)[0] !== key);
  const at = env.findIndex((e) => e.split('=', 1)[0] === key);
  const entry = `${key}=${value}`;
  if (at < 0) return [...out, entry];
  const copy = [...env];
  copy[at] = entry;
  return copy;
}

export function envMap(env: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of env) {
    const eq = e.indexOf('=');
    if (eq > 0) m.set(e.slice(0, eq), e.slice(eq + 1));
  }
  return m;
}
