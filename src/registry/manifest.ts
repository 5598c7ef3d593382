/**
 * Image manifests and indexes as registries serve them: Docker schema2 manifests and
 * manifest lists, OCI manifests and indexes. Parsed from untrusted bytes in one step.
 */
import { isDigest, type Digest } from '../content/digest.js';
import { invalidArgument } from '../engine-error.js';

export const MediaType = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayerForeign: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
} as const;

/** What a pull asks for, best first. */
export const MANIFEST_ACCEPT = [MediaType.dockerManifest, MediaType.dockerManifestList, MediaType.ociManifest, MediaType.ociIndex];

const LAYER_TYPES: ReadonlySet<string> = new Set([
  MediaType.dockerLayerGzip, MediaType.ociLayer, MediaType.ociLayerGzip, MediaType.ociLayerZstd,
  'application/vnd.docker.image.rootfs.diff.tar', 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
]);

/** Limits that keep a hostile manifest from asking for absurd work. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
export const MAX_LAYERS = 1000;
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
/** Nothing real is larger; a bigger claim is a lie or an attack. */
export const MAX_BLOB_BYTES = 64 * 1024 ** 3;

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
  readonly urls?: readonly string[];
  readonly platform?: { readonly os: string; readonly architecture: string; readonly variant?: string };
}

export interface ImageManifest {
  readonly kind: 'manifest';
  readonly mediaType: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
}

export interface ImageIndex {
  readonly kind: 'index';
  readonly mediaType: string;
  readonly manifests: readonly Descriptor[];
}

export type ParsedManifest = ImageManifest | ImageIndex;

/**
 * Parses manifest bytes. `contentType` is the response's Content-Type; the document's own
 * `mediaType` wins when present, and a document without either is told apart by its fields.
 */
export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  if (bytes.length > MAX_MANIFEST_BYTES) throw invalidArgument(`manifest too large: ${bytes.length} bytes`);
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString('utf8'));
  } catch (e: unknown) {
    throw invalidArgument(`invalid manifest: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidArgument('invalid manifest: not a JSON object');
  const o = v as Record<string, unknown>;
  const declared = typeof o['mediaType'] === 'string' ? o['mediaType'] : (contentType ?? '').split(';')[0]?.trim() ?? '';
  if (o['schemaVersion'] === 1 || declared.startsWith('application/vnd.docker.distribution.manifest.v1')) {
    throw invalidArgument('unsupported manifest format: Docker schema1 manifests are deprecated and no longer supported');
  }
  if (o['schemaVersion'] !== 2) throw invalidArgument('invalid manifest: schemaVersion must be 2');
  const isIndex = declared === MediaType.dockerManifestList || declared === MediaType.ociIndex || (declared === '' && Array.isArray(o['manifests']));
  if (isIndex) {
    if (!Array.isArray(o['manifests'])) throw invalidArgument('invalid manifest list: no manifests');
    if (o['manifests'].length > MAX_LAYERS) throw invalidArgument('invalid manifest list: too many manifests');
    return { kind: 'index', mediaType: declared === '' ? MediaType.ociIndex : declared, manifests: o['manifests'].map((d) => parseDescriptor(d, 'manifest')) };
  }
  if (declared !== '' && declared !== MediaType.dockerManifest && declared !== MediaType.ociManifest && declared !== 'application/json') {
    throw invalidArgument(`unsupported manifest media type ${JSON.stringify(declared)}`);
  }
  if (!Array.isArray(o['layers'])) throw invalidArgument('invalid manifest: no layers');
  if (o['layers'].length > MAX_LAYERS) throw invalidArgument(`invalid manifest: ${o['layers'].length} layers is more than ${MAX_LAYERS}`);
  const config = parseDescriptor(o['config'], 'config');
  if (config.size > MAX_CONFIG_BYTES) throw invalidArgument(`invalid manifest: config of ${config.size} bytes is too large`);
  const layers = o['layers'].map((d) => parseDescriptor(d, 'layer'));
  for (const l of layers) {
    if (!LAYER_TYPES.has(l.mediaType) && l.mediaType !== MediaType.dockerLayerForeign) {
      throw invalidArgument(`unsupported layer media type ${JSON.stringify(l.mediaType)}`);
    }
  }
  return { kind: 'manifest', mediaType: declared === '' || declared === 'application/json' ? MediaType.ociManifest : declared, config, layers };
}

function parseDescriptor(v: unknown, what: string): Descriptor {
  if (typeof v !== 'object' || v === null) throw invalidArgument(`invalid manifest: ${what} descriptor is not an object`);
  const o = v as Record<string, unknown>;
  const digest = o['digest'];
  const size = o['size'];
  const mediaType = typeof o['mediaType'] === 'string' ? o['mediaType'] : '';
  if (typeof digest !== 'string' || !isDigest(digest)) throw invalidArgument(`invalid manifest: ${what} has an invalid or unsupported digest ${JSON.stringify(digest)}`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || size > MAX_BLOB_BYTES) {
    throw invalidArgument(`invalid manifest: ${what} ${digest} has an invalid size ${JSON.stringify(size)}`);
  }
  const d: { -readonly [K in keyof Descriptor]: Descriptor[K] } = { mediaType, digest, size };
  if (Array.isArray(o['urls'])) d.urls = o['urls'].filter((u): u is string => typeof u === 'string');
  const p = o['platform'];
  if (typeof p === 'object' && p !== null) {
    const po = p as Record<string, unknown>;
    if (typeof po['os'] === 'string' && typeof po['architecture'] === 'string') {
      d.platform = { os: po['os'], architecture: po['architecture'], ...(typeof po['variant'] === 'string' && po['variant'] !== '' ? { variant: po['variant'] } : {}) };
    }
  }
  return d;
}

/** The default variant of an architecture, as containerd normalizes it. */
function normalVariant(arch: string, variant: string | undefined): string | undefined {
  if (variant !== undefined && variant !== '') return variant;
  if (arch === 'arm64') return 'v8';
  if (arch === 'arm') return 'v7';
  return undefined;
}

/**
 * Picks the manifest for `want` from an index: same OS and architecture, and the variant
 * when one is asked for (or the architecture's default). Attestation entries
 * (platform unknown/unknown) never match.
 */
export function selectPlatform(index: ImageIndex, want: { os: string; architecture: string; variant?: string }): Descriptor | undefined {
  const wantVariant = normalVariant(want.architecture, want.variant);
  const candidates = index.manifests.filter((m) => m.platform !== undefined && m.platform.os === want.os && m.platform.architecture === want.architecture
    && (m.mediaType === '' || m.mediaType === MediaType.dockerManifest || m.mediaType === MediaType.ociManifest));
  return candidates.find((m) => normalVariant(m.platform?.architecture ?? '', m.platform?.variant) === wantVariant)
    ?? (want.variant === undefined ? candidates[0] : undefined);
}

export function platformString(p: { os: string; architecture: string; variant?: string }): string {
  return [p.os, p.architecture, ...(p.variant !== undefined ? [p.variant] : [])].join('/');
}
