import type { ContainerInspect } from '../../client/engine-types.js';
import { ExitError, type Command } from '../command.js';

type PortMap = Record<string, Array<{ HostIp: string; HostPort: string }> | null>;

function hostAddress(ip: string, port: string): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export const command: Command = {
  path: 'container port',
  aliases: ['port'],
  usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
  description: 'List port mappings or a specific mapping for the container',
  flags: [],
  interspersed: true,
  args: { kind: 'range', min: 1, max: 2 },
  async run(ctx, _flags, args) {
    const [name = '', wanted] = args;
    const client = await ctx.client();
    const c = await client.json<ContainerInspect>('GET', `/containers/${encodeURIComponent(name)}/json`);
    const ports = ((c['NetworkSettings'] as { Ports?: PortMap } | undefined)?.Ports ?? {});
    if (wanted !== undefined) {
      const [port = '', proto = 'tcp'] = wanted.split('/');
      if (!/^\d+$/.test(port)) throw new ExitError(1, `Error: invalid port (${port}): strconv.ParseUint: parsing "${port}": invalid syntax`);
      const bindings = ports[`${port}/${proto}`];
      if (bindings === undefined || bindings === null || bindings.length === 0) {
        throw new ExitError(1, `Error: No public port '${wanted}' published for ${name}`);
      }
      for (const b of bindings) ctx.out(`${hostAddress(b.HostIp, b.HostPort)}\n`);
      return 0;
    }
    const lines: string[] = [];
    for (const [key, bindings] of Object.entries(ports)) {
      for (const b of bindings ?? []) lines.push(`${key} -> ${hostAddress(b.HostIp, b.HostPort)}`);
    }
    for (const l of lines.sort()) ctx.out(`${l}\n`);
    return 0;
  },
};
