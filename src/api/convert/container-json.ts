import type { ContainerView } from '../../containers/container-service.js';
import { isRunningStatus, ZERO_TIME, type ContainerRecord, type HealthConfig } from '../../containers/container.js';
import { containerStatusText } from './status-text.js';
import { NO_RESOURCES } from '../../containers/resources.js';

/** Docker's JSON shapes of containers (inspect and list), from the engine's records. */

/** Docker's HealthConfig: zero durations and retries are left out. */
export function healthConfigJson(h: HealthConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { Test: h.test };
  if (h.interval !== 0) out['Interval'] = h.interval;
  if (h.timeout !== 0) out['Timeout'] = h.timeout;
  if (h.startPeriod !== 0) out['StartPeriod'] = h.startPeriod;
  if (h.startInterval !== 0) out['StartInterval'] = h.startInterval;
  if (h.retries !== 0) out['Retries'] = h.retries;
  return out;
}

function stateJson(rec: ContainerRecord): Record<string, unknown> {
  const s = rec.state;
  const health = s.health === undefined ? {} : {
    Health: {
      Status: s.health.status,
      FailingStreak: s.health.failingStreak,
      Log: s.health.log.map((l) => ({ Start: l.start, End: l.end, ExitCode: l.exitCode, Output: l.output })),
    },
  };
  return {
    Status: s.status,
    Running: isRunningStatus(s.status),
    Paused: s.status === 'paused',
    Restarting: s.status === 'restarting',
    OOMKilled: s.oomKilled,
    Dead: s.status === 'dead',
    Pid: s.pid,
    ExitCode: s.exitCode,
    Error: s.error,
    StartedAt: s.startedAt ?? ZERO_TIME,
    FinishedAt: s.finishedAt ?? ZERO_TIME,
    ...health,
  };
}

export function statusText(rec: ContainerRecord, now: Date): string {
  const s = rec.state;
  return containerStatusText({
    status: s.status,
    running: isRunningStatus(s.status),
    paused: s.status === 'paused',
    restarting: s.status === 'restarting',
    exitCode: s.exitCode,
    startedAt: s.startedAt ?? null,
    finishedAt: s.finishedAt ?? null,
    ...(s.health !== undefined ? { health: s.health.status } : {}),
  }, now);
}

function configJson(rec: ContainerRecord): Record<string, unknown> {
  const c = rec.config;
  const out: Record<string, unknown> = {
    Hostname: c.hostname,
    Domainname: c.domainname,
    User: c.user,
    AttachStdin: c.attachStdin,
    AttachStdout: c.attachStdout,
    AttachStderr: c.attachStderr,
  };
  if (Object.keys(c.exposedPorts).length > 0) out['ExposedPorts'] = c.exposedPorts;
  Object.assign(out, {
    Tty: c.tty,
    OpenStdin: c.openStdin,
    StdinOnce: c.stdinOnce,
    Env: c.env.length > 0 ? c.env : null,
    Cmd: c.cmd,
    Image: c.image,
    Volumes: Object.keys(c.volumes).length > 0 ? c.volumes : null,
    WorkingDir: c.workingDir,
    Entrypoint: c.entrypoint,
    OnBuild: c.onBuild,
    Labels: c.labels,
  });
  if (c.healthcheck !== undefined) out['Healthcheck'] = healthConfigJson(c.healthcheck);
  if (c.stopSignal !== undefined) out['StopSignal'] = c.stopSignal;
  if (c.stopTimeout !== undefined) out['StopTimeout'] = c.stopTimeout;
  return out;
}

function hostConfigJson(rec: ContainerRecord): Record<string, unknown> {
  const h = rec.config.host;
  const r = h.resources ?? NO_RESOURCES;
  return {
    Binds: h.binds.length > 0 ? h.binds : null,
    ContainerIDFile: '',
    LogConfig: { Type: h.logConfig.type, Config: h.logConfig.config },
    NetworkMode: h.networkMode,
    PortBindings: portBindingsJson(rec),
    RestartPolicy: { Name: h.restartPolicy.name, MaximumRetryCount: h.restartPolicy.maximumRetryCount },
    AutoRemove: h.autoRemove,
    VolumeDriver: '',
    VolumesFrom: h.volumesFrom.length > 0 ? h.volumesFrom : null,
    ConsoleSize: [0, 0],
    CapAdd: h.capAdd.length > 0 ? h.capAdd : null,
    CapDrop: h.capDrop.length > 0 ? h.capDrop : null,
    CgroupnsMode: 'host',
    Dns: h.dns,
    DnsOptions: h.dnsOptions,
    DnsSearch: h.dnsSearch,
    ExtraHosts: h.extraHosts.length > 0 ? h.extraHosts : null,
    GroupAdd: h.groupAdd !== undefined && h.groupAdd.length > 0 ? h.groupAdd : null,
    IpcMode: 'private',
    Cgroup: '',
    Links: null,
    OomScoreAdj: h.oomScoreAdj ?? 0,
    PidMode: '',
    Privileged: h.privileged,
    PublishAllPorts: h.publishAllPorts,
    ReadonlyRootfs: h.readonlyRootfs,
    SecurityOpt: h.securityOpt !== undefined && h.securityOpt.length > 0 ? h.securityOpt : null,
    UTSMode: '',
    UsernsMode: '',
    ShmSize: h.shmSize,
    Runtime: 'runc',
    Isolation: '',
    CpuShares: r.cpuShares,
    Memory: r.memory,
    NanoCpus: r.nanoCpus,
    CgroupParent: '',
    BlkioWeight: 0,
    BlkioWeightDevice: [],
    BlkioDeviceReadBps: [],
    BlkioDeviceWriteBps: [],
    BlkioDeviceReadIOps: [],
    BlkioDeviceWriteIOps: [],
    CpuPeriod: r.cpuPeriod,
    CpuQuota: r.cpuQuota,
    CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0,
    CpusetCpus: r.cpusetCpus,
    CpusetMems: r.cpusetMems,
    Devices: (h.devices ?? []).map((dv) => ({ PathOnHost: dv.pathOnHost, PathInContainer: dv.pathInContainer, CgroupPermissions: dv.cgroupPermissions })),
    DeviceCgroupRules: null,
    DeviceRequests: null,
    MemoryReservation: r.memoryReservation,
    MemorySwap: r.memorySwap,
    MemorySwappiness: r.memorySwappiness >= 0 ? r.memorySwappiness : null,
    OomKillDisable: r.oomKillDisable ? true : null,
    PidsLimit: r.pidsLimit !== 0 ? r.pidsLimit : null,
    Ulimits: (h.ulimits ?? []).map((u) => ({ Name: u.name, Hard: u.hard, Soft: u.soft })),
    CpuCount: 0,
    CpuPercent: 0,
    IOMaximumIOps: 0,
    IOMaximumBandwidth: 0,
    Init: h.init ? true : null,
    ...(Object.keys(h.tmpfs).length > 0 ? { Tmpfs: h.tmpfs } : {}),
    ...(h.sysctls !== undefined && Object.keys(h.sysctls).length > 0 ? { Sysctls: h.sysctls } : {}),
    MaskedPaths: h.privileged ? null : ['/proc/asound', '/proc/acpi', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap'],
    ReadonlyPaths: h.privileged ? null : ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
  };
}

function networkName(mode: string): string {
  return mode === 'default' ? 'bridge' : mode;
}

function endpointJson(rec: ContainerRecord, network: string, aliases: readonly string[]): Record<string, unknown> {
  const ep = rec.state.network?.endpoints.find((e) => e.networkName === network);
  return {
    IPAMConfig: null,
    Links: null,
    Aliases: aliases.length > 0 ? aliases : null,
    MacAddress: ep?.macAddress ?? '',
    DriverOpts: null,
    GwPriority: 0,
    NetworkID: ep?.networkId ?? '',
    EndpointID: ep?.endpointId ?? '',
    Gateway: ep?.gateway ?? '',
    IPAddress: ep?.ipAddress ?? '',
    IPPrefixLen: ep?.prefixLen ?? 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DNSNames: ep === undefined || ep.dnsServer === undefined ? null : [rec.name, rec.config.id.slice(0, 12), ...aliases],
  };
}

/** NetworkSettings.Networks: the network the container was created on and those it was connected to. */
function networksJson(rec: ContainerRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const primary = networkName(rec.config.host.networkMode);
  out[primary] = endpointJson(rec, primary, rec.config.host.aliases);
  for (const extra of rec.state.extraNetworks ?? []) out[extra.name] = endpointJson(rec, extra.name, extra.aliases);
  return out;
}

/** Mounts, as inspect and the list show them. */
function mountsJson(view: ContainerView): Array<Record<string, unknown>> {
  return view.mounts.map((m) => {
    switch (m.type) {
      case 'volume':
        return { Type: 'volume', Name: m.name, Source: m.hostPath, Destination: m.destination, Driver: 'local', Mode: m.mode === 'ro' || m.mode === 'rw' ? '' : m.mode.replace(/(^|,)(ro|rw)(,|$)/, ''), RW: !m.readonly, Propagation: '' };
      case 'bind':
        return { Type: 'bind', Source: m.source, Destination: m.destination, Mode: m.mode.split(',').filter((x) => x !== 'ro' && x !== 'rw').join(','), RW: !m.readonly, Propagation: m.propagation };
      default:
        return { Type: 'tmpfs', Source: '', Destination: m.destination, Mode: '', RW: !m.options.includes('ro'), Propagation: '' };
    }
  });
}

/** HostConfig.PortBindings: what was asked for, Docker's way ({"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}). */
function portBindingsJson(rec: ContainerRecord): Record<string, Array<{ HostIp: string; HostPort: string }>> {
  const out: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const b of rec.config.host.portBindings) {
    const key = `${b.containerPort}/${b.protocol}`;
    const hostPort = b.hostPort === 0 ? '' : b.hostPortEnd !== undefined ? `${b.hostPort}-${b.hostPortEnd}` : String(b.hostPort);
    (out[key] ??= []).push({ HostIp: b.hostIp, HostPort: hostPort });
  }
  return out;
}

/** NetworkSettings.Ports: exposed ports, with the host ports they got while running (null: not published). */
function portsJson(rec: ContainerRecord): Record<string, Array<{ HostIp: string; HostPort: string }> | null> {
  const network = rec.state.network;
  if (network === undefined) return {};
  const out: Record<string, Array<{ HostIp: string; HostPort: string }> | null> = {};
  for (const key of Object.keys(rec.config.exposedPorts)) out[key.includes('/') ? key : `${key}/tcp`] = null;
  for (const p of network.ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    (out[key] ??= [])?.push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  }
  return out;
}

/** The list's Ports: published ones with their host side, exposed ones without. */
function portListJson(rec: ContainerRecord): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const published = new Set<string>();
  for (const p of rec.state.network?.ports ?? []) {
    out.push({ IP: p.hostIp, PrivatePort: p.containerPort, PublicPort: p.hostPort, Type: p.protocol });
    published.add(`${p.containerPort}/${p.protocol}`);
  }
  for (const key of Object.keys(rec.config.exposedPorts)) {
    const [port = '', proto = 'tcp'] = key.split('/');
    if (!published.has(`${port}/${proto}`)) out.push({ PrivatePort: Number(port), Type: proto });
  }
  return out;
}

export function containerInspectJson(view: ContainerView, execIds: readonly string[] = []): Record<string, unknown> {
  const rec = view.record;
  const c = rec.config;
  const out: Record<string, unknown> = {
    Id: c.id,
    Created: c.created,
    Path: c.path,
    Args: c.args,
    State: stateJson(rec),
    Image: c.imageId,
    ResolvConfPath: view.paths.resolvConfPath,
    HostnamePath: view.paths.hostnamePath,
    HostsPath: view.paths.hostsPath,
    LogPath: view.paths.logPath,
    Name: `/${rec.name}`,
    RestartCount: rec.state.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: execIds.length > 0 ? [...execIds] : null,
    HostConfig: { ...hostConfigJson(rec), Runtime: view.runtime },
    GraphDriver: { Data: null, Name: 'overlay2' },
  };
  if (view.sizeRw !== undefined) out['SizeRw'] = view.sizeRw;
  if (view.sizeRootFs !== undefined) out['SizeRootFs'] = view.sizeRootFs;
  const bridgeEp = c.host.networkMode === 'bridge' ? rec.state.network?.endpoints[0] : undefined;
  Object.assign(out, {
    Mounts: mountsJson(view),
    Config: configJson(rec),
    NetworkSettings: {
      Bridge: '',
      SandboxID: rec.state.network === undefined ? '' : c.id,
      SandboxKey: rec.state.network?.netnsPath ?? '',
      Ports: portsJson(rec),
      HairpinMode: false,
      LinkLocalIPv6Address: '',
      LinkLocalIPv6PrefixLen: 0,
      SecondaryIPAddresses: null,
      SecondaryIPv6Addresses: null,
      // The legacy top-level fields describe the default bridge only, as in Docker.
      EndpointID: bridgeEp?.endpointId ?? '',
      Gateway: bridgeEp?.gateway ?? '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      IPAddress: bridgeEp?.ipAddress ?? '',
      IPPrefixLen: bridgeEp?.prefixLen ?? 0,
      IPv6Gateway: '',
      MacAddress: bridgeEp?.macAddress ?? '',
      Networks: networksJson(rec),
    },
  });
  return out;
}

export function containerListJson(view: ContainerView, now: Date): Record<string, unknown> {
  const rec = view.record;
  const c = rec.config;
  const out: Record<string, unknown> = {
    Id: c.id,
    Names: [`/${rec.name}`],
    Image: view.imageShown,
    ImageID: c.imageId,
    Command: listCommand(c.path, c.args),
    Created: Math.floor(Date.parse(c.created) / 1000),
    Ports: portListJson(rec),
    Labels: c.labels,
    State: rec.state.status,
    Status: statusText(rec, now),
    HostConfig: { NetworkMode: c.host.networkMode },
    NetworkSettings: { Networks: networksJson(rec) },
    Mounts: mountsJson(view),
  };
  if (view.sizeRw !== undefined) out['SizeRw'] = view.sizeRw;
  if (view.sizeRootFs !== undefined) out['SizeRootFs'] = view.sizeRootFs;
  return out;
}

/** The list's Command text, as Docker builds it: arguments holding a space are put in single quotes. */
export function listCommand(path: string, args: readonly string[]): string {
  return [path, ...args.map((a) => (a.includes(' ') ? `'${a}'` : a))].join(' ');
}
