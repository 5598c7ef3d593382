import type { VolumeClusterSpecRequest, VolumeCreateRequest, VolumeResponse } from '../../client/engine-types.js';
import { ExitError, type Command } from '../command.js';
import type { FlagSpec, ParsedFlags } from '../flags/index.js';

/** docker's opts.ValidateLabel: a key before "=", not empty and without whitespace. */
function validateLabel(value: string): string {
  const eq = value.indexOf('=');
  const key = (eq < 0 ? value : value.slice(0, eq)).trim();
  if (key === '') throw new Error(`invalid label '${value}': empty name`);
  if (/[ \t]/.test(key)) throw new Error(`label '${key}' contains whitespaces`);
  return value;
}

/** An object with its keys sorted, as Go marshals a map. */
function sortedKeys(entries: Iterable<readonly [string, string]>): Record<string, string> {
  const m = new Map(entries);
  return Object.fromEntries([...m.keys()].sort().map((k) => [k, m.get(k) ?? '']));
}

/** docker's opts.ConvertKVStringsToMap: "k=v" pairs, the key as typed, "k" alone maps to "". */
function kvMap(values: readonly string[]): Record<string, string> {
  return sortedKeys(values.map((v): [string, string] => {
    const eq = v.indexOf('=');
    return eq < 0 ? [v, ''] : [v.slice(0, eq), v.slice(eq + 1)];
  }));
}

/**
 * Swarm cluster volume options. docker hides them unless the daemon is a swarm manager, which
 * berth never is, but still accepts them.
 */
const CLUSTER_FLAGS: readonly FlagSpec[] = [
  { name: 'availability', type: 'string', default: 'active', usage: 'Cluster Volume availability ("active", "pause", "drain")', hidden: true },
  { name: 'group', type: 'string', usage: 'Cluster Volume group (cluster volumes)', hidden: true },
  { name: 'limit-bytes', type: 'bytes', usage: 'Minimum size of the Cluster Volume in bytes', hidden: true },
  { name: 'required-bytes', type: 'bytes', usage: 'Maximum size of the Cluster Volume in bytes', hidden: true },
  { name: 'scope', type: 'string', default: 'single', usage: 'Cluster Volume access scope ("single", "multi")', hidden: true },
  { name: 'secret', type: 'map', usage: 'Cluster Volume secrets', hidden: true },
  { name: 'sharing', type: 'string', default: 'none', usage: 'Cluster Volume access sharing ("none", "readonly", "onewriter", "all")', hidden: true },
  { name: 'topology-preferred', type: 'list', usage: 'A topology that the Cluster Volume would be preferred in', hidden: true },
  { name: 'topology-required', type: 'list', usage: 'A topology that the Cluster Volume must be accessible from', hidden: true },
  { name: 'type', type: 'string', default: 'block', usage: 'Cluster Volume access type ("mount", "block")', hidden: true },
];

/**
 * docker's hasClusterVolumeOptionSet. It asks for "secrets", a flag that does not exist, so
 * --secret alone (like the topology flags alone) does not make a cluster volume.
 */
const CLUSTER_TRIGGERS = ['group', 'scope', 'sharing', 'availability', 'type', 'limit-bytes', 'required-bytes'];

/** "segment=value,segment=value" topologies. */
function topologies(values: readonly string[]): Array<{ Segments: Record<string, string> }> {
  return values.map((t) => ({ Segments: kvMap(t.split(',')) }));
}

/** The ClusterVolumeSpec docker sends when a cluster option is set. */
function clusterSpec(flags: ParsedFlags): VolumeClusterSpecRequest {
  const accessType = flags.getString('type');
  const group = flags.getString('group');
  const scope = flags.getString('scope');
  const sharing = flags.getString('sharing');
  const availability = flags.getString('availability');
  const secrets = [...flags.getMap('secret')].map(([Key, Secret]) => ({ Key, Secret })).sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
  const requisite = topologies(flags.getStrings('topology-required'));
  const preferred = topologies(flags.getStrings('topology-preferred'));
  return {
    ...(group !== '' ? { Group: group } : {}),
    AccessMode: {
      ...(scope !== '' ? { Scope: scope } : {}),
      ...(sharing !== '' ? { Sharing: sharing } : {}),
      ...(accessType === 'mount' ? { MountVolume: {} } : accessType === 'block' ? { BlockVolume: {} } : {}),
    },
    AccessibilityRequirements: {
      ...(requisite.length > 0 ? { Requisite: requisite } : {}),
      ...(preferred.length > 0 ? { Preferred: preferred } : {}),
    },
    CapacityRange: { RequiredBytes: Math.max(0, flags.getInt('required-bytes')), LimitBytes: Math.max(0, flags.getInt('limit-bytes')) },
    ...(secrets.length > 0 ? { Secrets: secrets } : {}),
    ...(availability !== '' ? { Availability: availability } : {}),
  };
}

export const command: Command = {
  path: 'volume create',
  usage: '[OPTIONS] [VOLUME]',
  description: 'Create a volume',
  flags: [
    { name: 'driver', short: 'd', type: 'string', default: 'local', usage: 'Specify volume driver name' },
    { name: 'label', type: 'list', usage: 'Set metadata for a volume', validate: validateLabel },
    { name: 'name', type: 'string', usage: 'Specify volume name', hidden: true },
    { name: 'opt', short: 'o', type: 'map', usage: 'Set driver specific options' },
    ...CLUSTER_FLAGS,
  ],
  interspersed: true,
  args: { kind: 'max', n: 1 },
  async run(ctx, flags, args) {
    let name = flags.getString('name');
    if (args[0] !== undefined) {
      if (name !== '') throw new ExitError(1, 'conflicting options: cannot specify a volume-name through both --name and as a positional arg');
      name = args[0];
    }
    const driver = flags.getString('driver');
    const driverOpts = sortedKeys(flags.getMap('opt'));
    const labels = kvMap(flags.getStrings('label'));
    // Go's omitempty: empty fields stay out of the request.
    const body: VolumeCreateRequest = {
      ...(CLUSTER_TRIGGERS.some((f) => flags.has(f)) ? { ClusterVolumeSpec: clusterSpec(flags) } : {}),
      ...(driver !== '' ? { Driver: driver } : {}),
      ...(Object.keys(driverOpts).length > 0 ? { DriverOpts: driverOpts } : {}),
      ...(Object.keys(labels).length > 0 ? { Labels: labels } : {}),
      ...(name !== '' ? { Name: name } : {}),
    };
    const created = await (await ctx.client()).json<VolumeResponse>('POST', '/volumes/create', { body });
    ctx.out(`${created.Name}\n`);
    return 0;
  },
};
