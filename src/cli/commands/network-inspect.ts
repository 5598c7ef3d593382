import { readAll } from '../../client/engine-client.js';
import type { Command } from '../command.js';
import { typedStruct, type GoField } from './image-go-struct.js';
import { writeInspect } from './inspect-output.js';
import { networkPath } from './network-rm.js';
import { INSPECT_FORMAT_HELP } from './system-format-flag.js';

/**
 * docker's network.Inspect struct (API types v28) as templates see it: fields in Go order,
 * maps in key order, unknown fields an error (docker then retries on the raw JSON).
 */
const NETWORK_INSPECT: readonly GoField[] = [
  { name: 'Name', kind: 'string' },
  { name: 'Id', kind: 'string', goName: 'ID' },
  { name: 'Created', kind: 'time' },
  { name: 'Scope', kind: 'string' },
  { name: 'Driver', kind: 'string' },
  { name: 'EnableIPv4', kind: 'bool' },
  { name: 'EnableIPv6', kind: 'bool' },
  {
    name: 'IPAM',
    kind: 'struct',
    typeName: 'network.IPAM',
    fields: [
      { name: 'Driver', kind: 'string' },
      { name: 'Options', kind: 'map' },
      { name: 'Config', kind: 'slice' },
    ],
  },
  { name: 'Internal', kind: 'bool' },
  { name: 'Attachable', kind: 'bool' },
  { name: 'Ingress', kind: 'bool' },
  { name: 'ConfigFrom', kind: 'struct', typeName: 'network.ConfigReference', fields: [{ name: 'Network', kind: 'string' }] },
  { name: 'ConfigOnly', kind: 'bool' },
  { name: 'Containers', kind: 'map' },
  { name: 'Options', kind: 'map' },
  { name: 'Labels', kind: 'map' },
  { name: 'Peers', kind: 'slice', omitempty: true },
  { name: 'Services', kind: 'map', omitempty: true },
];

function networkInspectView(data: unknown): unknown {
  const raw = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  return typedStruct('network.Inspect', NETWORK_INSPECT, raw);
}

export const command: Command = {
  path: 'network inspect',
  usage: '[OPTIONS] NETWORK [NETWORK...]',
  description: 'Display detailed information on one or more networks',
  flags: [
    { name: 'format', short: 'f', type: 'string', usage: INSPECT_FORMAT_HELP },
    { name: 'verbose', short: 'v', type: 'bool', usage: 'Verbose output for diagnostics' },
  ],
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    const query = { verbose: flags.getBool('verbose') ? 'true' : undefined };
    return writeInspect(ctx, args, flags.getString('format'), async (ref) => {
      const path = networkPath(ref);
      // Connecting is part of each lookup: without a daemon, every name reports the error.
      const raw = await readAll(await (await ctx.client()).request('GET', path, { query }));
      return { raw, view: networkInspectView };
    });
  },
};
