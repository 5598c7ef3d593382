import { isDigest, type Digest } from '../content/digest.js';
import { invalidArgument } from '../engine-error.js';

/**
 * The image configuration as stored in the config blob (OCI image-spec config,
 * with Docker's additions). Field names are those of the file format.
 */
export interface ContainerDefaults {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[] | null;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object> | null;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  OnBuild?: string[] | null;
  Shell?: string[] | null;
  Healthcheck?: unknown;
  ArgsEscaped?: boolean;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  created?: string;
  author?: string;
  comment?: string;
  config?: ContainerDefaults;
  rootfs: { type: 'layers'; diff_ids: Digest[] };
  history?: HistoryEntry[];
}

/** Parses an image config blob from untrusted JSON. */
export function parseImageConfig(raw: unknown): ImageConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidArgument('invalid image config: not an object');
  const r = raw as Record<string, unknown>;
  const rootfs = r['rootfs'];
  if (typeof rootfs !== 'object' || rootfs === null) throw invalidArgument('invalid image config: missing rootfs');
  const diffIds = (rootfs as Record<string, unknown>)['diff_ids'];
  if (!Array.isArray(diffIds) || !diffIds.every((d): d is Digest => typeof d === 'string' && isDigest(d))) {
    throw invalidArgument('invalid image config: bad rootfs.diff_ids');
  }
  const cfg: ImageConfig = {
    architecture: str(r['architecture']) ?? 'amd64',
    os: str(r['os']) ?? 'linux',
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  const variant = str(r['variant']);
  if (variant !== undefined) cfg.variant = variant;
  const created = str(r['created']);
  if (created !== undefined) cfg.created = created;
  const author = str(r['author']);
  if (author !== undefined) cfg.author = author;
  const comment = str(r['comment']);
  if (comment !== undefined) cfg.comment = comment;
  if (typeof r['config'] === 'object' && r['config'] !== null) cfg.config = r['config'] as ContainerDefaults;
  if (Array.isArray(r['history'])) cfg.history = r['history'].filter((h): h is HistoryEntry => typeof h === 'object' && h !== null);
  return cfg;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
