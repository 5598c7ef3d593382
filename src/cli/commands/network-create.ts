import type { NetworkCreateRequest, NetworkCreateResponse, NetworkIpamConfig } from '../../client/engine-types.js';
import { ExitError, type Command } from '../command.js';
import type { FlagSpec } from '../flags/index.js';

/** An address as Go's net.IP holds it: 16 bytes (IPv4 as ::ffff:a.b.c.d). */
type Ip = readonly number[];

/** An *net.IPNet: 4 or 16 bytes of network number and of mask. */
interface IpNet {
  readonly ip: Ip;
  readonly mask: Ip;
}

const V4_IN_V6 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** Go's netip parseIPv4: four decimal fields, 0-255, no leading zeros. */
function parseV4(s: string): number[] | undefined {
  const fields = s.split('.');
  if (fields.length !== 4) return undefined;
  const out: number[] = [];
  for (const f of fields) {
    if (!/^\d{1,3}$/.test(f) || (f.length > 1 && f.startsWith('0')) || Number(f) > 255) return undefined;
    out.push(Number(f));
  }
  return out;
}

/** Go's netip parseIPv6 (without zones): hex groups, at most one "::", an IPv4 tail. */
function parseV6(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (text: string, last: boolean): number[] | undefined => {
    if (text === '') return [];
    const out: number[] = [];
    const parts = text.split(':');
    for (const [i, p] of parts.entries()) {
      if (last && i === parts.length - 1 && p.includes('.')) {
        const v4 = parseV4(p);
        if (v4 === undefined) return undefined;
        out.push(...v4);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
        const n = parseInt(p, 16);
        out.push(n >> 8, n & 0xff);
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? groups(halves[1] ?? '', true) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 16 ? head : undefined;
  // "::" stands for at least one group of zeros.
  if (head.length + tail.length > 14) return undefined;
  return [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail];
}

/** netip.ParseAddr without zones: the address and whether it is IPv4. */
function parseAddr(s: string): { ip: Ip; is4: boolean } | undefined {
  if (s.includes(':')) {
    const v6 = s.includes('%') ? undefined : parseV6(s);
    return v6 === undefined ? undefined : { ip: v6, is4: false };
  }
  const v4 = parseV4(s);
  return v4 === undefined ? undefined : { ip: [...V4_IN_V6, ...v4], is4: true };
}

/** Go's net.IP.To4. */
function to4(ip: Ip): Ip | undefined {
  if (ip.length === 4) return ip;
  return ip.length === 16 && V4_IN_V6.every((b, i) => ip[i] === b) ? ip.slice(12) : undefined;
}

/** Go's net.ParseCIDR: the address and its network; throws Go's error text. */
function parseCidr(s: string): { ip: Ip; net: IpNet } {
  const bad = (): Error => new Error(`invalid CIDR address: ${s}`);
  const slash = s.indexOf('/');
  if (slash < 0) throw bad();
  const addr = parseAddr(s.slice(0, slash));
  const bitsText = s.slice(slash + 1);
  if (addr === undefined || !/^\d+$/.test(bitsText)) throw bad();
  const len = addr.is4 ? 32 : 128;
  const bits = Number(bitsText);
  if (bits > len) throw bad();
  const mask = Array.from({ length: len / 8 }, (_, i) => (0xff00 >> Math.min(8, Math.max(0, bits - i * 8))) & 0xff);
  const base = addr.is4 ? addr.ip.slice(12) : addr.ip;
  return { ip: addr.ip, net: { ip: base.map((b, i) => b & (mask[i] ?? 0)), mask } };
}

/** Go's (*net.IPNet).Contains. */
function contains(n: IpNet, ip: Ip | undefined): boolean {
  const nn = to4(n.ip) ?? n.ip;
  const m = n.mask.length === 16 && nn.length === 4 ? n.mask.slice(12) : n.mask;
  const x = ip === undefined ? [] : (to4(ip) ?? ip);
  if (x.length !== nn.length || m.length !== nn.length) return false;
  return nn.every((b, i) => (b & (m[i] ?? 0)) === ((x[i] ?? 0) & (m[i] ?? 0)));
}

/** docker's subnetMatches: whether `data` (an address, or an address/bits) is in `subnet`. */
function subnetMatches(subnet: string, data: string): boolean {
  let net: IpNet;
  try {
    net = parseCidr(subnet).net;
  } catch (e: unknown) {
    throw new Error(`invalid subnet: ${(e as Error).message}`);
  }
  const ip = data.includes('/') ? parseCidr(data).ip : parseAddr(data)?.ip;
  return contains(net, ip);
}

interface IpamOptions {
  readonly subnets: readonly string[];
  readonly ipRanges: readonly string[];
  readonly gateways: readonly string[];
  readonly auxAddresses: ReadonlyMap<string, string>;
}

/**
 * docker's consolidation of --subnet, --ip-range, --gateway and --aux-address into one
 * IPAM.Config entry per subnet, with its checks and error texts.
 */
export function ipamConfig(o: IpamOptions): NetworkIpamConfig[] {
  if (o.subnets.length < o.ipRanges.length || o.subnets.length < o.gateways.length) {
    throw new Error('every ip-range or gateway must have a corresponding subnet');
  }
  const configs = new Map<string, NetworkIpamConfig & { AuxiliaryAddresses: Record<string, string> }>();
  for (const s of o.subnets) {
    for (const k of configs.keys()) {
      if (subnetMatches(s, k) || subnetMatches(k, s)) throw new Error('multiple overlapping subnet configuration is not supported');
    }
    configs.set(s, { Subnet: s, AuxiliaryAddresses: {} });
  }
  const assign = (value: string, what: 'range' | 'gateway', check?: () => void): void => {
    let match = false;
    for (const s of o.subnets) {
      check?.();
      if (!subnetMatches(s, value)) continue;
      const c = configs.get(s);
      if (c === undefined) continue;
      const current = what === 'range' ? c.IPRange : c.Gateway;
      if (current !== undefined) {
        throw new Error(what === 'range'
          ? `cannot configure multiple ranges (${value}, ${current}) on the same subnet (${s})`
          : `cannot configure multiple gateways (${value}, ${current}) for the same subnet (${s})`);
      }
      if (what === 'range') c.IPRange = value;
      else c.Gateway = value;
      match = true;
    }
    if (!match) throw new Error(`no matching subnet for ${what} ${value}`);
  };
  for (const r of o.ipRanges) assign(r, 'range', () => parseCidr(r));
  for (const g of o.gateways) assign(g, 'gateway');
  for (const [key, aa] of o.auxAddresses) {
    let match = false;
    for (const s of o.subnets) {
      if (!subnetMatches(s, aa)) continue;
      const c = configs.get(s);
      if (c !== undefined) c.AuxiliaryAddresses[key] = aa;
      match = true;
    }
    if (!match) throw new Error(`no matching subnet for aux-address ${aa}`);
  }
  // Go leaves out an empty AuxiliaryAddresses (omitempty).
  return [...configs.values()].map(({ AuxiliaryAddresses, ...c }) =>
    Object.keys(AuxiliaryAddresses).length > 0 ? { ...c, AuxiliaryAddresses } : c);
}

/** docker's opts.ValidateLabel: a key before "=", not empty and without whitespace. */
function validateLabel(value: string): string {
  const eq = value.indexOf('=');
  const key = (eq < 0 ? value : value.slice(0, eq)).trim();
  if (key === '') throw new Error(`invalid label '${value}': empty name`);
  if (/[ \t]/.test(key)) throw new Error(`label '${key}' contains whitespaces`);
  return value;
}

const FLAGS: readonly FlagSpec[] = [
  { name: 'attachable', type: 'bool', usage: 'Enable manual container attachment' },
  { name: 'aux-address', type: 'map', usage: 'Auxiliary IPv4 or IPv6 addresses used by Network driver' },
  { name: 'config-from', type: 'string', usage: 'The network from which to copy the configuration' },
  { name: 'config-only', type: 'bool', usage: 'Create a configuration only network' },
  { name: 'driver', short: 'd', type: 'string', default: 'bridge', usage: 'Driver to manage the Network' },
  { name: 'gateway', type: 'stringSlice', usage: 'IPv4 or IPv6 Gateway for the master subnet' },
  { name: 'ingress', type: 'bool', usage: 'Create swarm routing-mesh network' },
  { name: 'internal', type: 'bool', usage: 'Restrict external access to the network' },
  { name: 'ip-range', type: 'stringSlice', usage: 'Allocate container ip from a sub-range' },
  { name: 'ipam-driver', type: 'string', default: 'default', usage: 'IP Address Management Driver' },
  { name: 'ipam-opt', type: 'map', usage: 'Set IPAM driver specific options' },
  { name: 'ipv4', type: 'bool', default: true, usage: 'Enable or disable IPv4 address assignment' },
  { name: 'ipv6', type: 'bool', usage: 'Enable or disable IPv6 address assignment' },
  { name: 'label', type: 'list', usage: 'Set metadata on a network', validate: validateLabel },
  { name: 'opt', short: 'o', type: 'map', usage: 'Set driver specific options' },
  { name: 'scope', type: 'string', usage: "Control the network's scope" },
  { name: 'subnet', type: 'stringSlice', usage: 'Subnet in CIDR format that represents a network segment' },
];

export const command: Command = {
  path: 'network create',
  usage: '[OPTIONS] NETWORK',
  description: 'Create a network',
  flags: FLAGS,
  interspersed: true,
  args: { kind: 'exact', n: 1 },
  async run(ctx, flags, args) {
    let config: NetworkIpamConfig[];
    try {
      config = ipamConfig({
        subnets: flags.getStrings('subnet'),
        ipRanges: flags.getStrings('ip-range'),
        gateways: flags.getStrings('gateway'),
        auxAddresses: flags.getMap('aux-address'),
      });
    } catch (e: unknown) {
      throw new ExitError(1, e instanceof Error ? e.message : String(e));
    }
    const configFrom = flags.getString('config-from');
    const body: NetworkCreateRequest = {
      Name: args[0] ?? '',
      Driver: flags.getString('driver'),
      Scope: flags.getString('scope'),
      // Sent only when given, so that the daemon applies its own defaults.
      ...(flags.has('ipv4') ? { EnableIPv4: flags.getBool('ipv4') } : {}),
      ...(flags.has('ipv6') ? { EnableIPv6: flags.getBool('ipv6') } : {}),
      IPAM: { Driver: flags.getString('ipam-driver'), Config: config, Options: Object.fromEntries(flags.getMap('ipam-opt')) },
      Internal: flags.getBool('internal'),
      Attachable: flags.getBool('attachable'),
      Ingress: flags.getBool('ingress'),
      ConfigOnly: flags.getBool('config-only'),
      ConfigFrom: configFrom !== '' ? { Network: configFrom } : null,
      Options: Object.fromEntries(flags.getMap('opt')),
      Labels: Object.fromEntries(flags.getStrings('label').map((l) => {
        const eq = l.indexOf('=');
        return eq < 0 ? [l, ''] : [l.slice(0, eq), l.slice(eq + 1)];
      })),
    };
    const client = await ctx.client();
    const created = await client.json<NetworkCreateResponse>('POST', '/networks/create', { body });
    ctx.out(`${created.Id}\n`);
    return 0;
  },
};
