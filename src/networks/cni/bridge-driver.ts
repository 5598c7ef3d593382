import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { formatIpv4, parseCidr, size } from '../cidr.js';
import { conflict } from '../../engine-error.js';
import type { Endpoint, NetworkRecord, PortMapping } from '../network.js';
import { execPlugin, type CniRuntime } from './cni-exec.js';

const run = promisify(execFile);
const CNI_VERSION = '1.0.0';

/** What the driver keeps about an endpoint to take it down later. */
export interface BridgeEndpointState extends Endpoint {
  readonly ifname: string;
  /** The bridge plugin's result, passed back as prevResult when tearing down. */
  readonly cniResult: unknown;
}

/**
 * Bridge networks with the standard CNI plugins: `bridge` (veth and host-local
 * IPAM) and `portmap` (published ports). berth generates their configuration and keeps the results.
 */
export class CniBridgeDriver {
  constructor(
    private readonly pluginDir: string,
    private readonly ipamDir: string,
  ) {}

  cniName(net: NetworkRecord): string {
    return `berth-${net.id.slice(0, 12)}`;
  }

  private bridgeConfig(net: NetworkRecord): Record<string, unknown> {
    const ipam = net.ipam[0];
    const range: Record<string, string> = ipam === undefined ? {} : { subnet: ipam.subnet, gateway: ipam.gateway };
    if (ipam?.ipRange !== undefined) {
      // host-local takes a start and end; the range's first and last usable addresses.
      Object.assign(range, ipRangeBounds(ipam.ipRange));
    }
    return {
      cniVersion: CNI_VERSION,
      name: this.cniName(net),
      type: 'bridge',
      bridge: net.bridgeName,
      isGateway: true,
      // Masquerading and forwarding rules are set once per network (network-firewall.ts), not per container.
      ipMasq: false,
      hairpinMode: true,
      promiscMode: false,
      ipam: {
        type: 'host-local',
        ranges: [[range]],
        routes: net.internal ? [] : [{ dst: '0.0.0.0/0' }],
        dataDir: this.ipamDir,
      },
    };
  }

  private portmapConfig(net: NetworkRecord, ports: readonly PortMapping[], prevResult: unknown): Record<string, unknown> {
    return {
      cniVersion: CNI_VERSION,
      name: this.cniName(net),
      type: 'portmap',
      capabilities: { portMappings: true },
      snat: true,
      runtimeConfig: {
        portMappings: ports.map((p) => ({
          hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol,
          ...(p.hostIp !== '0.0.0.0' ? { hostIP: p.hostIp } : {}),
        })),
      },
      prevResult,
    };
  }

  async attach(net: NetworkRecord, containerId: string, netns: string, ifname: string, ports: readonly PortMapping[], aliases: readonly string[],
    fixed: { ipv4Address: string; macAddress: string } = { ipv4Address: '', macAddress: '' }): Promise<BridgeEndpointState> {
    const rt: CniRuntime = { containerId, netns, ifname };
    const config = this.bridgeConfig(net);
    const subnetBits = net.ipam[0]?.subnet.split('/')[1] ?? '24';
    if (fixed.ipv4Address !== '' || fixed.macAddress !== '') {
      config['capabilities'] = { ips: true, mac: true };
      config['runtimeConfig'] = {
        ...(fixed.ipv4Address !== '' ? { ips: [`${fixed.ipv4Address}/${subnetBits}`] } : {}),
        ...(fixed.macAddress !== '' ? { mac: fixed.macAddress } : {}),
      };
    }
    let result: CniResult;
    try {
      result = await execPlugin(this.pluginDir, 'ADD', rt, config) as CniResult;
    } catch (e: unknown) {
      if (e instanceof Error && /is not available in range set|already reserved/.test(e.message)) {
        throw conflict(`Address already in use`, e);
      }
      throw e;
    }
    try {
      if (ports.length > 0) await execPlugin(this.pluginDir, 'ADD', rt, this.portmapConfig(net, ports, result));
    } catch (e: unknown) {
      await this.teardown(net, containerId, netns, ifname, ports, result);
      throw e;
    }
    const ip = result.ips?.[0];
    const [address = '', prefix = '0'] = (ip?.address ?? '').split('/');
    const iface = ip?.interface === undefined ? undefined : result.interfaces?.[ip.interface];
    return {
      networkId: net.id,
      networkName: net.name,
      endpointId: randomBytes(32).toString('hex'),
      ipAddress: address,
      prefixLen: Number(prefix),
      gateway: ip?.gateway ?? '',
      macAddress: iface?.mac ?? '',
      aliases,
      ifname,
      cniResult: result,
    };
  }

  /**
   * Takes an endpoint down: published ports and the address lease. The veth pair
   * goes with the namespace, which the caller drops at the same time (the bridge
   * plugin's own DEL would delete the veth synchronously, at several times the cost).
   */
  async detach(net: NetworkRecord, containerId: string, netns: string, ep: BridgeEndpointState, ports: readonly PortMapping[]): Promise<void> {
    const rt: CniRuntime = { containerId, netns, ifname: ep.ifname };
    const bridge = this.bridgeConfig(net);
    const results = await Promise.allSettled([
      ports.length > 0 ? execPlugin(this.pluginDir, 'DEL', rt, this.portmapConfig(net, ports, ep.cniResult)) : Promise.resolve(),
      execPlugin(this.pluginDir, 'DEL', rt, { cniVersion: CNI_VERSION, name: bridge['name'], type: 'host-local', ipam: bridge['ipam'] }),
    ]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  /** Takes an endpoint out of a namespace that stays (network disconnect): the bridge plugin's full DEL. */
  async remove(net: NetworkRecord, containerId: string, netns: string, ep: BridgeEndpointState): Promise<void> {
    await this.teardown(net, containerId, netns, ep.ifname, [], ep.cniResult);
  }

  /** DEL in reverse order after a failed attach; every plugin gets its turn even if one fails. */
  private async teardown(net: NetworkRecord, containerId: string, netns: string, ifname: string, ports: readonly PortMapping[], prevResult: unknown): Promise<void> {
    const rt: CniRuntime = { containerId, netns, ifname };
    const steps: Array<Record<string, unknown>> = [];
    if (ports.length > 0) steps.push(this.portmapConfig(net, ports, prevResult));
    steps.push({ ...this.bridgeConfig(net), prevResult });
    const errors: unknown[] = [];
    for (const cfg of steps) {
      await execPlugin(this.pluginDir, 'DEL', rt, cfg).catch((e: unknown) => errors.push(e));
    }
    if (errors.length > 0) throw errors[0];
  }

  /** Creates the bridge device with its gateway address, if it is not there yet. */
  async ensureBridge(name: string, gatewayCidr: string): Promise<void> {
    await run('ip', ['link', 'add', 'name', name, 'type', 'bridge']).catch(() => undefined);
    await run('ip', ['addr', 'add', gatewayCidr, 'dev', name]).catch(() => undefined);
    await run('ip', ['link', 'set', name, 'up']);
  }

  /** Removes the network's bridge device and its address leases. */
  async removeNetwork(net: NetworkRecord): Promise<void> {
    if (net.bridgeName !== undefined) await run('ip', ['link', 'del', net.bridgeName]).catch(() => undefined);
    await fs.rm(path.join(this.ipamDir, this.cniName(net)), { recursive: true, force: true });
  }
}

interface CniResult {
  interfaces?: Array<{ name?: string; mac?: string; sandbox?: string }>;
  ips?: Array<{ interface?: number; address?: string; gateway?: string }>;
}

/** host-local wants the first and last address to hand out: the range without its network and broadcast addresses. */
function ipRangeBounds(range: string): { rangeStart: string; rangeEnd: string } {
  const { cidr } = parseCidr(range);
  const inner = size(cidr) > 2 ? 1 : 0;
  return { rangeStart: formatIpv4(cidr.base + inner), rangeEnd: formatIpv4(cidr.base + size(cidr) - 1 - inner) };
}
