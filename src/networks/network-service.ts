import { randomBytes } from 'node:crypto';
import { conflict, EngineError, invalidArgument, notFound } from '../engine-error.js';
import type { EventBus } from '../events/event-bus.js';
import { contains, firstHost, formatCidr, formatIpv4, isWithin, overlaps, parseCidr, parseIpv4, type Ipv4Cidr } from './cidr.js';
import type { BridgeEndpointState, CniBridgeDriver } from './cni/bridge-driver.js';
import { deviceAddress, hostRoutes } from './host-routes.js';
import type { NetnsManager } from './netns.js';
import { setUpBridgeRules, tearDownBridgeRules, type BridgeRules } from './network-firewall.js';
import type { Endpoint, IpamConfig, NetworkAttachment, NetworkRecord, PortBinding } from './network.js';
import type { NetworkStore } from './network-store.js';
import type { PortAllocator } from './port-allocator.js';
import { Mutex } from '../sync/mutex.js';
import { EmbeddedDns, hostNameservers } from './dns/embedded-dns.js';

export interface NetworkServiceConfig {
  /** Device of the default bridge (dockerd's --bridge; default berth0). */
  readonly bridgeName: string;
  /** Address and prefix of the default bridge (dockerd's --bip), e.g. 172.17.0.1/16. */
  readonly bip?: string;
  /** daemon.json default-address-pools; Docker's defaults when empty. */
  readonly addressPools?: ReadonlyArray<{ readonly base: string; readonly size: number }>;
}

export interface CreateNetworkOptions {
  readonly name: string;
  readonly driver?: string;
  readonly internal?: boolean;
  readonly attachable?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly options?: Readonly<Record<string, string>>;
  readonly ipam?: ReadonlyArray<{ subnet?: string; gateway?: string; ipRange?: string }>;
}

/** Who is on a network: asked when a network is inspected or removed, and by its DNS server. */
export type EndpointsOn = (networkId: string) => Array<{ containerId: string; name: string; endpoint: BridgeEndpointState; dns: readonly string[] }>;

const DEFAULT_POOLS: readonly string[] = [
  ...Array.from({ length: 15 }, (_, i) => `172.${17 + i}.0.0/16`),
  ...Array.from({ length: 16 }, (_, i) => `192.168.${i * 16}.0/20`),
];

export class NetworkService {
  private readonly lock = new Mutex();
  private readonly dns: EmbeddedDns;

  constructor(
    private readonly store: NetworkStore,
    private readonly driver: CniBridgeDriver,
    private readonly ports: PortAllocator,
    private readonly netns: NetnsManager,
    private readonly events: EventBus,
    private readonly cfg: NetworkServiceConfig,
    private readonly endpointsOn: EndpointsOn,
    log: (msg: string) => void = () => undefined,
  ) {
    this.dns = new EmbeddedDns({
      lookup: (networkId, name) => this.endpointsOn(networkId)
        .filter((c) => c.name.toLowerCase() === name || c.containerId.slice(0, 12) === name || c.containerId === name ||
          c.endpoint.aliases.some((a) => a.toLowerCase() === name))
        .map((c) => c.endpoint.ipAddress),
      reverse: (networkId, ip) => this.endpointsOn(networkId).find((c) => c.endpoint.ipAddress === ip)?.name,
      forwarders: async (networkId, clientIp) => {
        const own = this.endpointsOn(networkId).find((c) => c.endpoint.ipAddress === clientIp)?.dns ?? [];
        return own.length > 0 ? [...own] : hostNameservers();
      },
    }, log);
  }

  /** Creates the predefined networks (bridge, host, none) the first time; sets up isolation between bridges. */
  async init(): Promise<void> {
    await this.initPredefined();
    for (const n of this.store.all()) {
      const rules = bridgeRules(n);
      if (rules !== undefined) await setUpBridgeRules(rules);
      if (!n.predefined && n.driver === 'bridge') await this.startDns(n);
    }
  }

  private async initPredefined(): Promise<void> {
    const byName = (n: string): NetworkRecord | undefined => this.store.all().find((r) => r.name === n && r.predefined);
    if (byName('host') === undefined) await this.store.save(this.record('host', 'host', [], { predefined: true }));
    if (byName('none') === undefined) await this.store.save(this.record('none', 'null', [], { predefined: true }));
    const bridge = byName('bridge');
    // As Docker: without --bip, a bridge device that is already there keeps its address.
    const existingAddress = this.cfg.bip === undefined ? await deviceAddress(this.cfg.bridgeName) : undefined;
    const bip = this.cfg.bip ?? existingAddress;
    const wanted = bip === undefined ? undefined : bipIpam(bip);
    if (bridge === undefined || (wanted !== undefined && bridge.ipam[0]?.subnet !== wanted.subnet) || bridge.bridgeName !== this.cfg.bridgeName) {
      if (bridge !== undefined) await this.store.delete(bridge.id);
      const ipam = wanted ?? await this.freeSubnet([]);
      await this.store.save(this.record('bridge', 'bridge', [ipam], {
        predefined: true, bridgeName: this.cfg.bridgeName,
        options: {
          'com.docker.network.bridge.default_bridge': 'true', 'com.docker.network.bridge.enable_icc': 'true',
          'com.docker.network.bridge.enable_ip_masquerade': 'true', 'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
          'com.docker.network.bridge.name': this.cfg.bridgeName, 'com.docker.network.driver.mtu': '1500',
        },
      }));
    }
  }

  find(idOrName: string): NetworkRecord | undefined {
    const all = this.store.all();
    return all.find((n) => n.id === idOrName) ?? all.find((n) => n.name === idOrName) ??
      (() => {
        const m = all.filter((n) => n.id.startsWith(idOrName));
        return m.length === 1 ? m[0] : undefined;
      })();
  }

  resolve(idOrName: string): NetworkRecord {
    const n = this.find(idOrName);
    if (n === undefined) throw notFound(`network ${idOrName} not found`);
    return n;
  }

  /** Checks `--ip` and `--mac-address` as Docker does when a container is created. */
  validateEndpoint(n: NetworkRecord, ep: { ipv4Address: string; macAddress: string; aliases?: readonly string[] }): void {
    if ((ep.aliases ?? []).length > 0 && n.predefined) {
      throw invalidArgument('network-scoped alias is supported only for containers in user defined networks');
    }
    if (ep.macAddress !== '' && !/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(ep.macAddress)) {
      throw invalidArgument(`invalid MAC address: ${ep.macAddress}`);
    }
    if (ep.ipv4Address === '') return;
    if (n.predefined) throw invalidArgument('user specified IP address is supported on user defined networks only');
    const ip = parseIpv4(ep.ipv4Address);
    if (ip === undefined) throw invalidArgument(`invalid endpoint settings:\ninvalid IPv4 address: ${ep.ipv4Address}`);
    const inRange = n.ipam.some((i) => contains(parseCidr(i.ipRange ?? i.subnet).cidr, ip));
    if (!inRange) throw invalidArgument(`invalid endpoint settings:\nno configured subnet or ip-range contain the IP address ${ep.ipv4Address}`);
  }

  list(): NetworkRecord[] {
    return this.store.all().sort((a, b) => a.name.localeCompare(b.name));
  }

  containersOn(id: string): ReturnType<EndpointsOn> {
    return this.endpointsOn(id);
  }

  async create(opts: CreateNetworkOptions): Promise<{ id: string; warning: string }> {
    return this.lock.run(async () => {
      const driver = opts.driver === undefined || opts.driver === '' ? 'bridge' : opts.driver;
      if (driver === 'host' || driver === 'null') throw new EngineError('forbidden', `only one instance of "${driver}" network is allowed`);
      if (driver !== 'bridge') throw notFound(`plugin "${driver}" not found`);
      if (opts.name === '') throw invalidArgument('network name cannot be empty');
      if (this.store.all().some((n) => n.name === opts.name)) throw conflict(`network with name ${opts.name} already exists`);
      const requested = opts.ipam?.[0];
      let ipam: IpamConfig;
      if (requested?.subnet !== undefined && requested.subnet !== '') {
        ipam = this.checkIpam(requested.subnet, requested.gateway, requested.ipRange);
      } else {
        if (requested?.gateway !== undefined && requested.gateway !== '') throw invalidArgument('invalid pool request: a gateway needs a subnet');
        ipam = await this.freeSubnet([]);
      }
      const id = randomBytes(32).toString('hex');
      const bridgeName = opts.options?.['com.docker.network.bridge.name'] ?? `br-${id.slice(0, 12)}`;
      if (bridgeName.length > 15) throw invalidArgument(`bridge name ${bridgeName} is too long (at most 15 characters)`);
      if (this.store.all().some((n) => n.bridgeName === bridgeName)) throw conflict(`bridge name ${bridgeName} is already in use`);
      const rec = this.record(opts.name, 'bridge', [ipam], {
        id, bridgeName, internal: opts.internal ?? false, attachable: opts.attachable ?? false,
        labels: opts.labels ?? {}, options: opts.options ?? {},
      });
      await this.store.save(rec);
      const rules = bridgeRules(rec);
      if (rules !== undefined) await setUpBridgeRules(rules);
      await this.startDns(rec);
      this.events.publish('network', 'create', rec.id, { name: rec.name, type: 'bridge' });
      return { id: rec.id, warning: '' };
    });
  }

  async remove(idOrName: string): Promise<void> {
    await this.lock.run(async () => {
      const net = this.resolve(idOrName);
      if (net.predefined) throw new EngineError('forbidden', `${net.name} is a pre-defined network and cannot be removed`);
      if (this.endpointsOn(net.id).length > 0) {
        throw new EngineError('forbidden', `error while removing network: network ${net.name} id ${net.id} has active endpoints`);
      }
      this.dns.stop(net.id);
      await this.driver.removeNetwork(net);
      const rules = bridgeRules(net);
      if (rules !== undefined) await tearDownBridgeRules(rules);
      await this.store.delete(net.id);
      this.events.publish('network', 'destroy', net.id, { name: net.name, type: net.driver });
    });
  }

  /** Removes the user-defined networks no container is on; returns their names. */
  async prune(keep: (n: NetworkRecord) => boolean = () => false): Promise<string[]> {
    const removed: string[] = [];
    for (const n of this.store.all()) {
      if (n.predefined || keep(n) || this.endpointsOn(n.id).length > 0) continue;
      await this.remove(n.id);
      removed.push(n.name);
    }
    this.events.publish('network', 'prune', '', { reclaimed: '0' });
    return removed;
  }

  /**
   * First half of giving a container its network: the namespace it will join
   * (bridge networks only; undefined for host and none, which the runtime handles).
   */
  async prepare(containerId: string, mode: string): Promise<string | undefined> {
    const net = this.networkFor(mode);
    return net === undefined ? undefined : this.netns.create(containerId);
  }

  /** Second half, which may run while the runtime creates the container: endpoint, addresses, published ports. */
  async connect(containerId: string, mode: string, netnsPath: string, bindings: readonly PortBinding[], aliases: readonly string[], fixed: { ipv4Address: string; macAddress: string } = { ipv4Address: '', macAddress: '' }): Promise<NetworkAttachment> {
    const net = this.resolve(mode === 'default' ? 'bridge' : mode);
    const mappings = await this.ports.reserve(containerId, bindings);
    try {
      const attached = await this.driver.attach(net, containerId, netnsPath, 'eth0', mappings, aliases, fixed);
      const gateway = net.ipam[0]?.gateway;
      const endpoint = net.predefined || gateway === undefined ? attached : { ...attached, dnsServer: gateway };
      this.events.publish('network', 'connect', net.id, { container: containerId, name: net.name, type: 'bridge' });
      return { netnsPath, endpoints: [endpoint], ports: mappings };
    } catch (e: unknown) {
      this.ports.release(containerId);
      throw e;
    }
  }

  /** Adds an endpoint on another network to a running container's namespace (interface `ifname`). */
  async connectExtra(containerId: string, networkName: string, netnsPath: string, ifname: string, aliases: readonly string[], ipv4Address = ''): Promise<BridgeEndpointState> {
    const net = this.resolve(networkName);
    if (net.driver !== 'bridge') throw new EngineError('forbidden', `container cannot be connected to network ${net.name} of driver ${net.driver}`);
    const ep = await this.driver.attach(net, containerId, netnsPath, ifname, [], aliases, { ipv4Address, macAddress: '' });
    this.events.publish('network', 'connect', net.id, { container: containerId, name: net.name, type: 'bridge' });
    const gateway = net.ipam[0]?.gateway;
    return net.predefined || gateway === undefined ? ep : { ...ep, dnsServer: gateway };
  }

  /** Takes one endpoint out of a running container's namespace. */
  async disconnectEndpoint(containerId: string, netnsPath: string, ep: Endpoint): Promise<void> {
    const net = this.store.get(ep.networkId);
    if (net === undefined) return;
    await this.driver.remove(net, containerId, netnsPath, ep as BridgeEndpointState);
    this.events.publish('network', 'disconnect', net.id, { container: containerId, name: net.name, type: 'bridge' });
  }

  private networkFor(mode: string): NetworkRecord | undefined {
    if (mode === 'host' || mode === 'none') return undefined;
    const net = this.resolve(mode === 'default' ? 'bridge' : mode);
    return net.driver === 'bridge' ? net : undefined;
  }

  /** Releases what connect() set up (idempotent; every part is attempted). */
  async detach(containerId: string, attachment: NetworkAttachment | undefined): Promise<void> {
    this.ports.release(containerId);
    const endpoints = (attachment?.endpoints ?? []).map(async (ep) => {
      const net = this.store.get(ep.networkId);
      if (net === undefined || attachment === undefined) return;
      await this.driver.detach(net, containerId, attachment.netnsPath, ep as BridgeEndpointState, attachment.ports).catch(() => undefined);
      this.events.publish('network', 'disconnect', net.id, { container: containerId, name: net.name, type: 'bridge' });
    });
    await Promise.all([...endpoints, this.netns.remove(containerId)]);
  }

  /**
   * Brings up the network's bridge with its gateway address (so its DNS server
   * can listen there before any container joins) and starts the DNS server.
   */
  private async startDns(n: NetworkRecord): Promise<void> {
    const ipam = n.ipam[0];
    if (n.bridgeName === undefined || ipam === undefined) return;
    try {
      await this.driver.ensureBridge(n.bridgeName, `${ipam.gateway}/${ipam.subnet.split('/')[1] ?? '24'}`);
      await this.dns.serve(n.id, ipam.gateway);
    } catch (e: unknown) {
      throw new EngineError('internal', `cannot start the DNS server of network ${n.name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  /** Stops the DNS servers (daemon shutdown; the networks stay). */
  close(): void {
    this.dns.stopAll();
  }

  /** After a daemon restart: a running container keeps its ports. */
  restore(containerId: string, attachment: NetworkAttachment): void {
    this.ports.restore(containerId, attachment.ports);
  }

  /** Namespaces left by containers that are gone (crash between stop and cleanup). */
  async sweepNamespaces(keep: (containerId: string) => boolean): Promise<void> {
    for (const id of await this.netns.list()) if (!keep(id)) await this.netns.remove(id);
  }

  private record(name: string, driver: NetworkRecord['driver'], ipam: IpamConfig[], extra: Partial<NetworkRecord>): NetworkRecord {
    return {
      id: randomBytes(32).toString('hex'), name, driver, created: new Date().toISOString(), internal: false,
      attachable: false, labels: {}, options: {}, ipam, predefined: false, ...extra,
    };
  }

  private inUse(): Ipv4Cidr[] {
    return this.store.all().flatMap((n) => n.ipam.map((i) => parseCidr(i.subnet).cidr));
  }

  private checkIpam(subnet: string, gateway: string | undefined, ipRange: string | undefined): IpamConfig {
    const bad = (msg: string): EngineError => invalidArgument(`invalid network config:\n${msg}`);
    let parsed;
    try {
      parsed = parseCidr(subnet);
    } catch {
      throw bad(`invalid subnet ${subnet}: invalid CIDR block notation`);
    }
    const { cidr, address } = parsed;
    if (address !== cidr.base) throw bad(`invalid subnet ${subnet}: it should be ${formatCidr(cidr)}`);
    if (this.inUse().some((c) => overlaps(c, cidr))) {
      throw new EngineError('forbidden', 'invalid pool request: Pool overlaps with other one on this address space');
    }
    let gw = firstHost(cidr);
    if (gateway !== undefined && gateway !== '') {
      const g = parseIpv4(gateway);
      if (g === undefined || !contains(cidr, g)) throw bad(`invalid gateway ${gateway}: parent subnet ${formatCidr(cidr)} doesn't contain this address`);
      gw = g;
    }
    const out: IpamConfig = { subnet: formatCidr(cidr), gateway: formatIpv4(gw) };
    if (ipRange !== undefined && ipRange !== '') {
      let r;
      try {
        r = parseCidr(ipRange).cidr;
      } catch {
        throw bad(`invalid ip-range ${ipRange}: invalid CIDR block notation`);
      }
      if (!isWithin(r, cidr)) throw bad(`invalid ip-range ${ipRange}: CIDR block is bigger than its parent subnet ${formatCidr(cidr)}`);
      return { ...out, ipRange: formatCidr(r) };
    }
    return out;
  }

  /** Subnets to hand out, in order: the configured pools split to their size, or Docker's defaults. */
  private *candidateSubnets(): Generator<Ipv4Cidr> {
    const pools = this.cfg.addressPools ?? [];
    if (pools.length === 0) {
      for (const p of DEFAULT_POOLS) yield parseCidr(p).cidr;
      return;
    }
    for (const pool of pools) {
      const base = parseCidr(pool.base).cidr;
      if (pool.size < base.prefix) continue;
      const step = 2 ** (32 - pool.size);
      for (let a = base.base; a < base.base + 2 ** (32 - base.prefix); a += step) yield { base: a, prefix: pool.size };
    }
  }

  /** The first of Docker's default pools that neither the host nor another network uses. */
  private async freeSubnet(extra: readonly Ipv4Cidr[]): Promise<IpamConfig> {
    const bridges = new Set(this.store.all().map((n) => n.bridgeName).filter((b): b is string => b !== undefined));
    const taken = [...this.inUse(), ...extra, ...(await hostRoutes(bridges))];
    for (const cidr of this.candidateSubnets()) {
      if (!taken.some((t) => overlaps(t, cidr))) return { subnet: formatCidr(cidr), gateway: formatIpv4(firstHost(cidr)) };
    }
    throw new EngineError('forbidden', 'all predefined address pools have been fully subnetted');
  }
}

function bipIpam(bip: string): IpamConfig {
  const { cidr, address } = parseCidr(bip);
  return { subnet: formatCidr(cidr), gateway: formatIpv4(address === cidr.base ? firstHost(cidr) : address) };
}

function bridgeRules(n: NetworkRecord): BridgeRules | undefined {
  const subnet = n.ipam[0]?.subnet;
  if (n.bridgeName === undefined || subnet === undefined) return undefined;
  return { bridge: n.bridgeName, subnet, internal: n.internal };
}
