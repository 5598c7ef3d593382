import type { NetworkConnectRequest } from '../../client/engine-types.js';
import { ExitError, type Command } from '../command.js';
import { networkPath } from './network-rm.js';

/** docker's opts.ValidateLink: "name" or "name:alias". */
function validateLink(value: string): string {
  if (value === '') throw new Error('empty string specified for links');
  if (value.split(':').length > 2) throw new Error(`bad format for links: ${value}`);
  return value;
}

/** docker's convertDriverOpt: "key=value" pairs, both trimmed; a key is required. */
function driverOpts(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const opt of list) {
    const eq = opt.indexOf('=');
    const key = (eq < 0 ? opt : opt.slice(0, eq)).trim();
    if (eq < 0 || key === '') throw new ExitError(1, 'invalid key/value pair format in driver options');
    out[key] = opt.slice(eq + 1).trim();
  }
  return out;
}

export const command: Command = {
  path: 'network connect',
  usage: '[OPTIONS] NETWORK CONTAINER',
  description: 'Connect a container to a network',
  flags: [
    { name: 'alias', type: 'stringSlice', usage: 'Add network-scoped alias for the container' },
    { name: 'driver-opt', type: 'stringSlice', usage: 'driver options for the network' },
    { name: 'gw-priority', type: 'int', usage: 'Highest gw-priority provides the default gateway. Accepts positive and negative values.' },
    { name: 'ip', type: 'string', usage: 'IPv4 address (e.g., "172.30.100.104")' },
    { name: 'ip6', type: 'string', usage: 'IPv6 address (e.g., "2001:db8::33")' },
    { name: 'link', type: 'list', usage: 'Add link to another container', validate: validateLink },
    { name: 'link-local-ip', type: 'stringSlice', usage: 'Add a link-local address for the container' },
  ],
  interspersed: true,
  args: { kind: 'exact', n: 2 },
  async run(ctx, flags, args) {
    const opts = driverOpts(flags.getStrings('driver-opt'));
    const path = networkPath(args[0] ?? '', '/connect');
    const container = (args[1] ?? '').trim();
    if (container === '') throw new Error('invalid container name or ID: value is empty');
    const ip = flags.getString('ip');
    const ip6 = flags.getString('ip6');
    const linkLocal = flags.getStrings('link-local-ip');
    const links = flags.getStrings('link');
    const body: NetworkConnectRequest = {
      Container: container,
      EndpointConfig: {
        IPAMConfig: {
          ...(ip !== '' ? { IPv4Address: ip } : {}),
          ...(ip6 !== '' ? { IPv6Address: ip6 } : {}),
          ...(linkLocal.length > 0 ? { LinkLocalIPs: [...linkLocal] } : {}),
        },
        Links: links.length > 0 ? [...links] : null,
        Aliases: [...flags.getStrings('alias')],
        DriverOpts: opts,
        GwPriority: flags.getInt('gw-priority'),
      },
    };
    await (await ctx.client()).call('POST', path, { body });
    return 0;
  },
};
