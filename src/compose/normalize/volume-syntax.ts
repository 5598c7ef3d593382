/** A service mount in compose's long syntax (compose-go ServiceVolumeConfig), as plain data. */
export interface VolumeMount {
  type: string;
  source?: string;
  target: string;
  read_only?: boolean;
  bind?: Record<string, unknown>;
  volume?: Record<string, unknown>;
  tmpfs?: Record<string, unknown>;
  [k: string]: unknown;
}

const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);

function isPath(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/') || source.startsWith('~') || /^[A-Za-z]:[\\/]/.test(source);
}

/** Parses `[source:]target[:options]` as compose v2 does: paths are binds, names are volumes. */
export function parseVolumeShort(spec: string): VolumeMount {
  const parts = spec.split(':');
  if (parts.some((p) => p === '') || parts.length > 3) throw new Error(`invalid spec: ${spec}: empty section between colons`);
  if (parts.length === 1) return { type: 'volume', target: spec, volume: {} };
  const [source = '', target = '', opts] = parts;
  const mount: VolumeMount = isPath(source)
    ? { type: 'bind', source, target, bind: { create_host_path: true } }
    : { type: 'volume', source, target, volume: {} };
  for (const opt of opts === undefined ? [] : opts.split(',')) {
    if (opt === 'ro') mount.read_only = true;
    else if (opt === 'rw') continue;
    else if (opt === 'z' || opt === 'Z') mount.bind = { ...(mount.bind ?? {}), selinux: opt };
    else if (PROPAGATION.has(opt)) mount.bind = { ...(mount.bind ?? {}), propagation: opt };
    else if (opt === 'nocopy') mount.volume = { ...(mount.volume ?? {}), nocopy: true };
    else throw new Error(`invalid mode: ${opt}`);
  }
  return mount;
}
