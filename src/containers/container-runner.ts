import { execFile } from 'node:child_process';
import { promises as fs, existsSync } from 'node:fs';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import type { Endpoint, NetworkAttachment, PortBinding } from '../networks/network.js';
import type { OciRuntime } from '../runtime/oci-runtime.js';
import { DEFAULT_PATH, effectiveCapabilities, generateSpec, type BindMount, type NetworkNamespace, type OciDevice, type OciMount } from '../runtime/oci-spec.js';
import type { CgroupInfo } from '../runtime/runtime-select.js';
import { resolveInRoot } from '../rootfs/resolve-in-root.js';
import { resolveGroups, resolveUser } from '../rootfs/user-lookup.js';
import { parseSecurityOpts } from './security-options.js';
import { dockerDefaultProfile, ociSeccomp, parseProfile } from '../runtime/seccomp.js';
import { NO_RESOURCES, ociResources, ociRlimits } from './resources.js';
import { logPolicy, monitorLogCap } from './log-policy.js';
import { mountAt, unmount } from '../snapshots/mounter.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';
import { EngineError, internal, invalidArgument } from '../engine-error.js';
import { mergeEnv } from './container-config.js';
import type { ContainerConfig } from './container.js';
import type { VolumeBackend } from './mount-resolver.js';
import { tmpfsOptions, type MountPoint } from './mounts.js';
import { hostsFile, resolvConf } from './etc-files.js';

const runTool = promisify(execFile);

export interface ContainerPaths {
  readonly dir: string;
  readonly rootfs: string;
  readonly logPath: string;
  readonly hostsPath: string;
  readonly hostnamePath: string;
  readonly resolvConfPath: string;
}

export function containerPaths(dir: string): ContainerPaths {
  return {
    dir,
    rootfs: path.join(dir, 'rootfs'),
    logPath: path.join(dir, 'container.log'),
    hostsPath: path.join(dir, 'hosts'),
    hostnamePath: path.join(dir, 'hostname'),
    resolvConfPath: path.join(dir, 'resolv.conf'),
  };
}

/** The network side of starting a container (implemented by the network service). */
export interface NetworkAttacher {
  prepare(containerId: string, mode: string): Promise<string | undefined>;
  connect(containerId: string, mode: string, netnsPath: string, bindings: readonly PortBinding[], aliases: readonly string[], fixed?: { ipv4Address: string; macAddress: string }): Promise<NetworkAttachment>;
  detach(containerId: string, attachment: NetworkAttachment | undefined): Promise<void>;
  restore(containerId: string, attachment: NetworkAttachment): void;
  connectExtra(containerId: string, networkName: string, netnsPath: string, ifname: string, aliases: readonly string[], ipv4Address?: string): Promise<Endpoint>;
  disconnectEndpoint(containerId: string, netnsPath: string, ep: Endpoint): Promise<void>;
}

export type ExtraNetworks = ReadonlyArray<{ readonly name: string; readonly aliases: readonly string[]; readonly ipv4Address?: string }>;

/**
 * Turns a container's config into a running process: mounts its root
 * filesystem, writes its /etc files and OCI bundle, and has the runtime start
 * it; and undoes that when it has stopped.
 */
export class ContainerRunner {
  private readonly thermalPaths: string[];

  constructor(
    private readonly runtime: OciRuntime,
    private readonly snapshots: Snapshotter,
    private readonly cgroups: CgroupInfo,
    private readonly networks: NetworkAttacher,
    private readonly volumes?: VolumeBackend,
  ) {
    this.thermalPaths = [];
    for (let cpu = 0; cpu < os.cpus().length; cpu++) {
      const p = `/sys/devices/system/cpu/cpu${cpu}/thermal_throttle`;
      if (existsSync(p)) this.thermalPaths.push(p);
    }
  }

  get runtimeName(): string {
    return this.runtime.name;
  }

  async start(config: ContainerConfig, name: string, paths: ContainerPaths, extras: ExtraNetworks = []): Promise<{ pid: number; network: NetworkAttachment | undefined }> {
    const mode = config.host.networkMode;
    const netns = this.networks.prepare(config.id, mode);
    netns.catch(() => undefined);
    // The runtime creates the container while the network is plumbed; it runs only when both are done.
    const [created, network] = await Promise.allSettled([
      this.create(config, name, paths, netns),
      netns.then(async (p) => {
        if (p === undefined) return undefined;
        const primary = await this.networks.connect(config.id, mode, p, publishedPorts(config), config.host.aliases,
          { ipv4Address: config.host.ipv4Address ?? '', macAddress: config.host.macAddress ?? '' });
        const endpoints: Endpoint[] = [...primary.endpoints];
        try {
          for (const [i, extra] of extras.entries()) {
            endpoints.push(await this.networks.connectExtra(config.id, extra.name, p, `eth${i + 1}`, extra.aliases, extra.ipv4Address));
          }
        } catch (e: unknown) {
          await this.networks.detach(config.id, { ...primary, endpoints }).catch(() => undefined);
          throw e;
        }
        return { ...primary, endpoints };
      }),
    ]);
    if (created.status === 'rejected' || network.status === 'rejected') {
      if (created.status === 'fulfilled') await this.cleanup(config.id, paths, undefined, config.host.mounts).catch(() => undefined);
      await this.networks.detach(config.id, network.status === 'fulfilled' ? network.value : undefined).catch(() => undefined);
      throw created.status === 'rejected' ? created.reason : (network as PromiseRejectedResult).reason;
    }
    try {
      const ep = network.value?.endpoints[0];
      if (ep !== undefined) await this.writeHosts(config, paths, ep.ipAddress);
      const dns = network.value?.endpoints.find((e) => e.dnsServer !== undefined)?.dnsServer;
      if (dns !== undefined) await this.writeEmbeddedResolvConf(config, paths, dns);
      await this.runtime.startCreated(config.id);
    } catch (e: unknown) {
      await this.cleanup(config.id, paths, network.value, config.host.mounts).catch(() => undefined);
      throw e;
    }
    return { pid: created.value.pid, network: network.value };
  }

  private async create(config: ContainerConfig, name: string, paths: ContainerPaths, netns: Promise<string | undefined>): Promise<{ pid: number }> {
    await mountAt(this.snapshots.mounts(config.id), paths.rootfs);
    const acquired: string[] = [];
    try {
      const netnsPath = await netns;
      const user = await resolveUser(paths.rootfs, config.user);
      const groupAdd = await resolveGroups(paths.rootfs, config.host.groupAdd ?? []);
      const security = parseSecurityOpts(config.host.securityOpt ?? []);
      const caps = effectiveCapabilities(config.host.privileged, config.host.capAdd, config.host.capDrop);
      const seccomp = config.host.privileged || security.seccomp === 'unconfined' ? undefined
        : ociSeccomp(security.seccomp === 'default' ? dockerDefaultProfile() : parseProfile(security.seccomp), caps);
      const devices = await Promise.all((config.host.devices ?? []).map(deviceNode));
      const init = config.host.init ? await initBinary() : undefined;
      const cwd = config.workingDir === '' ? '/' : path.posix.resolve('/', config.workingDir);
      if (cwd !== '/') await fs.mkdir(await resolveInRoot(paths.rootfs, cwd), { recursive: true, mode: 0o755 });
      await this.writeEtcFiles(config, paths);
      const env = mergeEnv(
        [...(config.env.some((e) => e.startsWith('PATH=')) ? [] : [`PATH=${DEFAULT_PATH}`]), `HOSTNAME=${config.hostname}`, ...(config.tty ? ['TERM=xterm'] : [])],
        config.env,
      );
      const binds: BindMount[] = [
        { source: paths.hostnamePath, destination: '/etc/hostname', readonly: false },
        { source: paths.hostsPath, destination: '/etc/hosts', readonly: false },
        { source: paths.resolvConfPath, destination: '/etc/resolv.conf', readonly: false },
      ];
      const extraMounts = await this.containerMounts(config.host.mounts, paths.rootfs, acquired);
      const network: NetworkNamespace = config.host.networkMode === 'host' ? { kind: 'host' }
        : netnsPath !== undefined ? { kind: 'path', path: netnsPath } : { kind: 'private' };
      if (init !== undefined) binds.push({ source: init, destination: INIT_PATH, readonly: true });
      const spec = generateSpec({
        rootfs: paths.rootfs,
        args: [...(init !== undefined ? [INIT_PATH, '--'] : []), config.path, ...config.args],
        env,
        cwd,
        uid: user.uid,
        gid: user.gid,
        additionalGids: [...new Set([...user.additionalGids, ...groupAdd])],
        hostname: config.hostname,
        domainname: config.domainname,
        terminal: config.tty,
        readonlyRootfs: config.host.readonlyRootfs,
        network,
        privileged: config.host.privileged,
        capAdd: config.host.capAdd,
        capDrop: config.host.capDrop,
        cgroupsPath: `/berth/${config.id}`,
        cgroupNamespace: this.cgroups.layout === 'v2',
        shmSize: config.host.shmSize,
        binds,
        thermalThrottlePaths: this.thermalPaths,
        resources: ociResources(config.host.resources ?? NO_RESOURCES),
        rlimits: ociRlimits(config.host.ulimits ?? []),
        ...(config.host.oomScoreAdj !== undefined ? { oomScoreAdj: config.host.oomScoreAdj } : {}),
        ...(seccomp !== undefined ? { seccomp } : {}),
        noNewPrivileges: security.noNewPrivileges,
        ...(config.host.sysctls !== undefined ? { sysctls: config.host.sysctls } : {}),
        devices,
      });
      (spec['mounts'] as OciMount[]).push(...extraMounts);
      await fs.writeFile(path.join(paths.dir, 'config.json'), JSON.stringify(spec));
      return await this.runtime.create({
        id: config.id, name, bundle: paths.dir, logPath: paths.logPath, terminal: config.tty, stdin: config.openStdin,
        ...logCap(monitorLogCap(logPolicy(config.host.logConfig))),
        // A TTY container keeps stdin across detaching (EOF is ^D there); a piped `run -i` gets EOF when the client closes.
        leaveStdinOpen: config.tty || !config.stdinOnce,
      });
    } catch (e: unknown) {
      await unmount(paths.rootfs).catch(() => undefined);
      for (const name of acquired) await this.volumes?.release(name);
      throw e;
    }
  }

  /**
   * Releases what a stopped container held: the runtime's state, the rootfs
   * mount, its network, and the volumes it had (`mounts`: those it acquired).
   */
  async cleanup(id: string, paths: ContainerPaths, network: NetworkAttachment | undefined, mounts: readonly MountPoint[]): Promise<void> {
    await Promise.all([this.runtime.delete(id), unmount(paths.rootfs), this.networks.detach(id, network)]);
    for (const m of mounts) if (m.type === 'volume') await this.volumes?.release(m.name);
  }

  /**
   * The OCI mounts of the container's volumes, binds and tmpfs, parents first.
   * A new, empty volume gets the image's content at its path first (copy-up).
   */
  private async containerMounts(mounts: readonly MountPoint[], rootfs: string, acquired: string[]): Promise<OciMount[]> {
    const sorted = [...mounts].sort((a, b) => a.destination.split('/').length - b.destination.split('/').length);
    const out: OciMount[] = [];
    for (const m of sorted) {
      if (m.type === 'tmpfs') {
        const opts = tmpfsOptions(m.options);
        if (!opts.some((o) => o.startsWith('mode='))) opts.push('mode=1777');
        out.push({ destination: m.destination, type: 'tmpfs', source: 'tmpfs', options: opts });
        continue;
      }
      let source: string;
      if (m.type === 'volume') {
        if (this.volumes === undefined) throw internal('volumes are not available');
        source = await this.volumes.acquire(m.name);
        acquired.push(m.name);
        if (!m.noCopy) await copyUp(rootfs, m.destination, source);
      } else {
        source = m.source;
        if (!(await fs.stat(source).then(() => true, () => false))) {
          throw invalidArgument(`invalid mount config for type "bind": bind source path does not exist: ${source}`);
        }
      }
      const propagation = m.type === 'bind' ? m.propagation : 'rprivate';
      out.push({ destination: m.destination, type: 'bind', source, options: ['rbind', propagation, m.readonly ? 'ro' : 'rw'] });
    }
    return out;
  }

  /** `network connect` of a running container: one more interface in its namespace. */
  async connectRunning(config: ContainerConfig, paths: ContainerPaths, network: NetworkAttachment, networkName: string, aliases: readonly string[], ipv4Address?: string): Promise<NetworkAttachment> {
    const ifname = `eth${network.endpoints.length}`;
    const ep = await this.networks.connectExtra(config.id, networkName, network.netnsPath, ifname, aliases, ipv4Address);
    const next = { ...network, endpoints: [...network.endpoints, ep] };
    if (ep.dnsServer !== undefined && !network.endpoints.some((e) => e.dnsServer !== undefined)) {
      await this.writeEmbeddedResolvConf(config, paths, ep.dnsServer);
    }
    return next;
  }

  /** `network disconnect` of a running container. */
  async disconnectRunning(containerId: string, network: NetworkAttachment, networkId: string): Promise<NetworkAttachment> {
    const ep = network.endpoints.find((e) => e.networkId === networkId);
    if (ep === undefined) return network;
    await this.networks.disconnectEndpoint(containerId, network.netnsPath, ep);
    return { ...network, endpoints: network.endpoints.filter((e) => e !== ep) };
  }

  /** After a daemon restart, a running container keeps what it holds. */
  restore(id: string, network: NetworkAttachment | undefined, mounts: readonly MountPoint[]): void {
    if (network !== undefined) this.networks.restore(id, network);
    for (const m of mounts) if (m.type === 'volume') this.volumes?.restore(m.name);
  }

  /**
   * On a user-defined network the container asks the network's DNS server, which
   * knows the other containers and forwards the rest (its --dns, else the host's).
   */
  private async writeEmbeddedResolvConf(config: ContainerConfig, paths: ContainerPaths, server: string): Promise<void> {
    const hostResolv = await fs.readFile('/etc/resolv.conf', 'utf8').catch(() => '');
    await fs.writeFile(paths.resolvConfPath, resolvConf(hostResolv, {
      dns: [server], dnsSearch: config.host.dnsSearch,
      dnsOptions: config.host.dnsOptions.length > 0 ? config.host.dnsOptions : ['ndots:0'], keepLoopback: false,
    }));
  }

  /** /etc/hosts with the container's own address, written in place (the file is bind-mounted). */
  private async writeHosts(config: ContainerConfig, paths: ContainerPaths, ip: string): Promise<void> {
    await fs.writeFile(paths.hostsPath, hostsFile({ hostname: config.hostname, domainname: config.domainname, ip, extraHosts: config.host.extraHosts }));
  }

  private async writeEtcFiles(config: ContainerConfig, paths: ContainerPaths): Promise<void> {
    const hostNet = config.host.networkMode === 'host';
    const hostResolv = await fs.readFile('/etc/resolv.conf', 'utf8').catch(() => '');
    const hosts = hostNet
      ? await fs.readFile('/etc/hosts', 'utf8').catch(() => hostsFile({ hostname: config.hostname, domainname: '', extraHosts: [] }))
      : hostsFile({ hostname: config.hostname, domainname: config.domainname, extraHosts: config.host.extraHosts });
    await Promise.all([
      fs.writeFile(paths.hostnamePath, `${config.hostname}\n`),
      fs.writeFile(paths.hostsPath, hosts),
      fs.writeFile(paths.resolvConfPath, resolvConf(hostResolv, {
        dns: config.host.dns, dnsSearch: config.host.dnsSearch, dnsOptions: config.host.dnsOptions, keepLoopback: hostNet,
      })),
    ]);
  }
}

/** The ports to publish: those asked for, and with `-P` every exposed port not asked for, on any free host port. */
export function publishedPorts(config: ContainerConfig): PortBinding[] {
  const out = [...config.host.portBindings];
  if (config.host.publishAllPorts) {
    for (const key of Object.keys(config.exposedPorts)) {
      const [port = '', proto = 'tcp'] = key.split('/');
      const containerPort = Number(port);
      const protocol = proto === 'udp' ? 'udp' : proto === 'sctp' ? 'sctp' : 'tcp';
      if (!out.some((b) => b.containerPort === containerPort && b.protocol === protocol)) {
        out.push({ containerPort, protocol, hostIp: '', hostPort: 0 });
      }
    }
  }
  return out;
}

/**
 * Docker's copy-up: a volume that is still empty, mounted where the image has
 * content, first gets that content (with owners and modes, with cp -a).
 */
async function copyUp(rootfs: string, destination: string, volumeData: string): Promise<void> {
  if ((await fs.readdir(volumeData).catch(() => ['?'])).length > 0) return;
  const src = await resolveInRoot(rootfs, destination);
  const st = await fs.lstat(src).catch(() => undefined);
  if (st === undefined || !st.isDirectory()) return;
  if ((await fs.readdir(src)).length === 0) {
    await fs.chown(volumeData, st.uid, st.gid);
    await fs.chmod(volumeData, st.mode & 0o7777);
    return;
  }
  try {
    await runTool('cp', ['-a', `${src}/.`, `${volumeData}/`]);
  } catch (e: unknown) {
    throw internal(`copying image content into volume at ${destination}: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

/** Where `--init` puts its init (Docker's path). */
const INIT_PATH = '/sbin/docker-init';

/** The init `--init` runs: Debian's static tini (it works in any image). */
async function initBinary(): Promise<string> {
  for (const p of ['/usr/bin/tini-static', '/usr/bin/docker-init', '/usr/bin/tini']) {
    try {
      await fs.access(p);
      return p;
    } catch {
      // next
    }
  }
  throw new EngineError('invalid-argument', 'no init binary found on the host: install tini (scripts/setup.sh does)');
}

/** A `--device` as the OCI spec wants it: the host node's type, numbers and mode. */
async function deviceNode(d: { pathOnHost: string; pathInContainer: string; cgroupPermissions: string }): Promise<OciDevice> {
  let st;
  try {
    st = await fs.stat(d.pathOnHost, { bigint: true });
  } catch (e: unknown) {
    throw new EngineError('invalid-argument', `error gathering device information while adding custom device "${d.pathOnHost}": no such file or directory`, { cause: e });
  }
  if (!st.isCharacterDevice() && !st.isBlockDevice()) {
    throw new EngineError('invalid-argument', `error gathering device information while adding custom device "${d.pathOnHost}": not a device node`);
  }
  const rdev = st.rdev;
  const major = Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn));
  const minor = Number((rdev & 0xffn) | ((rdev >> 12n) & 0xfff00n));
  return {
    path: d.pathInContainer, type: st.isCharacterDevice() ? 'c' : 'b', major, minor,
    fileMode: Number(st.mode & 0o777n), uid: Number(st.uid), gid: Number(st.gid), access: d.cgroupPermissions,
  };
}

function logCap(cap: number | undefined): { logSizeMax?: number } {
  return cap === undefined ? {} : { logSizeMax: cap };
}
