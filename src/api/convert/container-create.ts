import { invalidArgument, notImplemented } from '../../engine-error.js';
import type { HealthConfig, HostOptions, RestartPolicy, RestartPolicyName } from '../../containers/container.js';
import type { ResourceOptions, Ulimit } from '../../containers/resources.js';
import { parseDevice, parseSecurityOpts, type DeviceMapping } from '../../containers/security-options.js';
import type { CreateOptions } from '../../containers/create-options.js';
import type { PortBinding } from '../../networks/network.js';
import { parseBind, parseTmpfs, type MountRequest } from '../../containers/mounts.js';
import {
  asObject, optBool, optNumber, optObjectMap, optString, optStringMap, optStrings, optStrSlice, type JsonObject,
} from './json-fields.js';

const RESTART_POLICIES: readonly RestartPolicyName[] = ['no', 'always', 'unless-stopped', 'on-failure'];

/** Reads the body of `POST /containers/create` into the engine's create options. */
export function parseCreateBody(body: unknown, name: string | undefined): CreateOptions {
  const cfg = asObject(body, 'ContainerConfigWrapper');
  if (cfg === undefined) throw invalidArgument('config cannot be empty in order to create a container');
  const image = optString(cfg, 'Image', 'Config.Image');
  if (image === undefined || image === '') throw invalidArgument('no image specified');
  const hc = asObject(cfg['HostConfig'], 'ContainerConfigWrapper.HostConfig') ?? {};
  const opts: Record<string, unknown> = {
    image,
    host: parseHostConfig(hc),
  };
  const set = (key: keyof CreateOptions, value: unknown): void => {
    if (value !== undefined) opts[key] = value;
  };
  set('name', name);
  set('cmd', optStrSlice(cfg, 'Cmd', 'Config.Cmd'));
  set('entrypoint', optStrSlice(cfg, 'Entrypoint', 'Config.Entrypoint'));
  set('env', optStrings(cfg, 'Env', 'Config.Env'));
  set('workingDir', optString(cfg, 'WorkingDir', 'Config.WorkingDir'));
  set('user', optString(cfg, 'User', 'Config.User'));
  set('hostname', optString(cfg, 'Hostname', 'Config.Hostname'));
  set('domainname', optString(cfg, 'Domainname', 'Config.Domainname'));
  set('labels', optStringMap(cfg, 'Labels', 'Config.Labels'));
  set('stopSignal', optString(cfg, 'StopSignal', 'Config.StopSignal'));
  set('stopTimeout', optNumber(cfg, 'StopTimeout', 'Config.StopTimeout'));
  set('tty', optBool(cfg, 'Tty', 'Config.Tty'));
  set('openStdin', optBool(cfg, 'OpenStdin', 'Config.OpenStdin'));
  set('stdinOnce', optBool(cfg, 'StdinOnce', 'Config.StdinOnce'));
  set('attachStdin', optBool(cfg, 'AttachStdin', 'Config.AttachStdin'));
  set('attachStdout', optBool(cfg, 'AttachStdout', 'Config.AttachStdout'));
  set('attachStderr', optBool(cfg, 'AttachStderr', 'Config.AttachStderr'));
  set('exposedPorts', optObjectMap(cfg, 'ExposedPorts', 'Config.ExposedPorts'));
  set('volumes', optObjectMap(cfg, 'Volumes', 'Config.Volumes'));
  set('healthcheck', parseHealthcheck(cfg['Healthcheck']));
  const legacyMac = optString(cfg, 'MacAddress', 'Config.MacAddress');
  if (legacyMac !== undefined && legacyMac !== '') (opts['host'] as Record<string, unknown>)['macAddress'] = legacyMac;
  const hcRaw = asObject(cfg['HostConfig'], 'ContainerConfigWrapper.HostConfig') ?? {};
  const host0 = opts['host'] as Record<string, unknown>;
  opts['mountRequests'] = [
    ...((host0['binds'] as string[] | undefined) ?? []).map(parseBind),
    ...(Array.isArray(hcRaw['Mounts']) ? (hcRaw['Mounts'] as unknown[]).map(parseMountObject) : []),
    ...Object.entries((host0['tmpfs'] as Record<string, string> | undefined) ?? {}).map(([d, o]) => parseTmpfs(d, o)),
  ];
  const netConfig = asObject(cfg['NetworkingConfig'], 'NetworkingConfig');
  const endpoints = netConfig === undefined ? undefined : asObject(netConfig['EndpointsConfig'], 'NetworkingConfig.EndpointsConfig');
  if (endpoints !== undefined) {
    const names = Object.keys(endpoints);
    if (names.length > 1) throw notImplemented('connecting a container to several networks at create is not supported yet');
    const name = names[0];
    const ep = name === undefined ? undefined : asObject(endpoints[name], `NetworkingConfig.EndpointsConfig.${name}`);
    const host = opts['host'] as Record<string, unknown>;
    if (name !== undefined && (host['networkMode'] === undefined || host['networkMode'] === 'default')) host['networkMode'] = name;
    const aliases = ep === undefined ? undefined : optStrings(ep, 'Aliases', 'EndpointSettings.Aliases');
    if (aliases !== undefined) host['aliases'] = aliases;
    const ipam = ep === undefined ? undefined : asObject(ep['IPAMConfig'], 'EndpointSettings.IPAMConfig');
    const ip = ipam === undefined ? undefined : optString(ipam, 'IPv4Address', 'EndpointIPAMConfig.IPv4Address');
    if (ip !== undefined && ip !== '') host['ipv4Address'] = ip;
    const mac = ep === undefined ? undefined : optString(ep, 'MacAddress', 'EndpointSettings.MacAddress');
    if (mac !== undefined && mac !== '') host['macAddress'] = mac;
  }
  return opts as unknown as CreateOptions;
}

function parseHostConfig(hc: JsonObject): Partial<HostOptions> {
  const host: Record<string, unknown> = {};
  const set = (key: keyof HostOptions, value: unknown): void => {
    if (value !== undefined) host[key] = value;
  };
  const networkMode = optString(hc, 'NetworkMode', 'HostConfig.NetworkMode');
  if (networkMode?.startsWith('container:') === true) throw notImplemented('--network container:<name> is not supported yet');
  set('networkMode', networkMode);
  set('autoRemove', optBool(hc, 'AutoRemove', 'HostConfig.AutoRemove'));
  if (hc['RestartPolicy'] !== undefined && hc['RestartPolicy'] !== null) set('restartPolicy', parseRestartPolicy(hc['RestartPolicy']));
  set('privileged', optBool(hc, 'Privileged', 'HostConfig.Privileged'));
  set('capAdd', optStrSlice(hc, 'CapAdd', 'HostConfig.CapAdd') ?? undefined);
  set('capDrop', optStrSlice(hc, 'CapDrop', 'HostConfig.CapDrop') ?? undefined);
  set('readonlyRootfs', optBool(hc, 'ReadonlyRootfs', 'HostConfig.ReadonlyRootfs'));
  const shm = optNumber(hc, 'ShmSize', 'HostConfig.ShmSize');
  if (shm !== undefined && shm < 0) throw invalidArgument('SHM size can not be less than 0');
  if (shm !== undefined && shm > 0) set('shmSize', shm);
  set('dns', optStrings(hc, 'Dns', 'HostConfig.Dns'));
  set('dnsSearch', optStrings(hc, 'DnsSearch', 'HostConfig.DnsSearch'));
  set('dnsOptions', optStrings(hc, 'DnsOptions', 'HostConfig.DnsOptions'));
  set('extraHosts', optStrings(hc, 'ExtraHosts', 'HostConfig.ExtraHosts'));
  set('init', optBool(hc, 'Init', 'HostConfig.Init'));
  const lc = asObject(hc['LogConfig'], 'HostConfig.LogConfig');
  if (lc !== undefined) {
    const type = optString(lc, 'Type', 'HostConfig.LogConfig.Type') ?? '';
    set('logConfig', { type, config: optStringMap(lc, 'Config', 'HostConfig.LogConfig.Config') ?? {} });
  }
  set('binds', optStrings(hc, 'Binds', 'HostConfig.Binds'));
  set('tmpfs', optStringMap(hc, 'Tmpfs', 'HostConfig.Tmpfs'));
  set('volumesFrom', optStrings(hc, 'VolumesFrom', 'HostConfig.VolumesFrom'));
  set('portBindings', parsePortBindings(asObject(hc['PortBindings'], 'HostConfig.PortBindings') ?? {}));
  set('publishAllPorts', optBool(hc, 'PublishAllPorts', 'HostConfig.PublishAllPorts'));
  set('resources', parseResources(hc));
  set('ulimits', parseUlimits(hc['Ulimits']));
  const oomScoreAdj = optNumber(hc, 'OomScoreAdj', 'HostConfig.OomScoreAdj');
  if (oomScoreAdj !== undefined && (oomScoreAdj < -1000 || oomScoreAdj > 1000)) {
    throw invalidArgument(`Invalid value ${oomScoreAdj}, range for oom score adj is [-1000, 1000]`);
  }
  set('oomScoreAdj', oomScoreAdj);
  const securityOpt = optStrings(hc, 'SecurityOpt', 'HostConfig.SecurityOpt');
  if (securityOpt !== undefined) {
    parseSecurityOpts(securityOpt);
    set('securityOpt', securityOpt);
  }
  set('groupAdd', optStrings(hc, 'GroupAdd', 'HostConfig.GroupAdd'));
  const sysctls = optStringMap(hc, 'Sysctls', 'HostConfig.Sysctls');
  set('sysctls', sysctls);
  set('devices', parseDevices(hc['Devices']));
  const userns = optString(hc, 'UsernsMode', 'HostConfig.UsernsMode') ?? '';
  if (userns !== '' && userns !== 'host') throw invalidArgument(`invalid USER mode: ${userns}`);
  return host as Partial<HostOptions>;
}

/** One HostConfig.Mounts entry (`--mount`): `{"Type": "bind", "Source": ..., "Target": ..., ...}`. */
export function parseMountObject(raw: unknown): MountRequest {
  const m = asObject(raw, 'HostConfig.Mounts') ?? {};
  const type = optString(m, 'Type', 'Mount.Type') ?? '';
  const target = optString(m, 'Target', 'Mount.Target') ?? '';
  const source = optString(m, 'Source', 'Mount.Source') ?? '';
  const readonly = optBool(m, 'ReadOnly', 'Mount.ReadOnly') ?? false;
  const bad = (msg: string): never => { throw invalidArgument(`invalid mount config for type "${type}": ${msg}`); };
  if (target === '') bad('field Target must not be empty');
  if (!target.startsWith('/')) bad(`invalid mount path: '${target}' mount path must be absolute`);
  switch (type) {
    case 'bind': {
      if (source === '') bad('field Source must not be empty');
      if (!source.startsWith('/')) bad(`invalid mount path: '${source}' mount path must be absolute`);
      const bo = asObject(m['BindOptions'], 'Mount.BindOptions') ?? {};
      return { type: 'bind', source, destination: target.replace(/\/$/, ''), readonly, propagation: optString(bo, 'Propagation', 'BindOptions.Propagation') || 'rprivate', mode: '', createSource: optBool(bo, 'CreateMountpoint', 'BindOptions.CreateMountpoint') ?? false };
    }
    case 'volume': {
      const vo = asObject(m['VolumeOptions'], 'Mount.VolumeOptions') ?? {};
      const dc = asObject(vo['DriverConfig'], 'VolumeOptions.DriverConfig') ?? {};
      const labels = optStringMap(vo, 'Labels', 'VolumeOptions.Labels');
      const options = optStringMap(dc, 'Options', 'DriverConfig.Options');
      return {
        type: 'volume', name: source, destination: target.replace(/\/$/, ''), readonly, noCopy: optBool(vo, 'NoCopy', 'VolumeOptions.NoCopy') ?? false, mode: '',
        ...(labels !== undefined ? { labels } : {}), ...(options !== undefined ? { driverOptions: options } : {}),
      };
    }
    case 'tmpfs': {
      if (source !== '') bad('field Source must not be specified');
      const to = asObject(m['TmpfsOptions'], 'Mount.TmpfsOptions') ?? {};
      const size = optNumber(to, 'SizeBytes', 'TmpfsOptions.SizeBytes');
      const mode = optNumber(to, 'Mode', 'TmpfsOptions.Mode');
      return { type: 'tmpfs', destination: target.replace(/\/$/, ''), options: [...(size !== undefined && size > 0 ? [`size=${size}`] : []), ...(mode !== undefined && mode > 0 ? [`mode=${mode.toString(8)}`] : []), ...(readonly ? ['ro'] : [])] };
    }
    default:
      throw invalidArgument(`mount type unknown: "${type}"`);
  }
}

/** `{"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}` into the engine's port bindings. */
export function parsePortBindings(raw: JsonObject): PortBinding[] {
  const out: PortBinding[] = [];
  for (const [key, list] of Object.entries(raw)) {
    const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/.exec(key);
    const containerPort = Number(m?.[1]);
    if (m === null || !(containerPort >= 1 && containerPort <= 65535)) throw invalidArgument(`invalid port specification: "${key}"`);
    const protocol = (m[2] ?? 'tcp') as PortBinding['protocol'];
    if (list === null || list === undefined) continue;
    if (!Array.isArray(list)) throw invalidArgument(`json: cannot unmarshal into Go struct field HostConfig.PortBindings of type []nat.PortBinding`);
    for (const item of list) {
      const b = asObject(item, 'HostConfig.PortBindings') ?? {};
      const hostIp = optString(b, 'HostIp', 'PortBinding.HostIp') ?? '';
      const hostPortText = optString(b, 'HostPort', 'PortBinding.HostPort') ?? '';
      const r = /^(\d+)(?:-(\d+))?$/.exec(hostPortText);
      if (hostPortText !== '' && r === null) throw invalidArgument(`invalid port specification: "${hostPortText}"`);
      const start = r === null ? 0 : Number(r[1]);
      const end = r?.[2] === undefined ? undefined : Number(r[2]);
      if (start > 65535 || (end !== undefined && (end > 65535 || end < start))) throw invalidArgument(`invalid port specification: "${hostPortText}"`);
      if (hostIp !== '' && !/^(\d{1,3}\.){3}\d{1,3}$/.test(hostIp) && hostIp !== '::') throw invalidArgument(`invalid IP address: ${hostIp}`);
      out.push({ containerPort, protocol, hostIp: hostIp === '::' ? '' : hostIp, hostPort: start, ...(end !== undefined && end !== start ? { hostPortEnd: end } : {}) });
    }
  }
  return out;
}

/** Config.Healthcheck, with Docker's checks of its durations (0, or at least 1ms) and retries. */
export function parseHealthcheck(raw: unknown): HealthConfig | undefined {
  const h = asObject(raw, 'Config.Healthcheck');
  if (h === undefined) return undefined;
  const duration = (key: string): number => {
    const v = optNumber(h, key, `HealthConfig.${key}`) ?? 0;
    if (v !== 0 && v < 1_000_000) throw invalidArgument(`${key} in Healthcheck cannot be less than 1ms`);
    return v;
  };
  const retries = optNumber(h, 'Retries', 'HealthConfig.Retries') ?? 0;
  if (retries < 0) throw invalidArgument('Retries in Healthcheck cannot be negative');
  return {
    test: optStrings(h, 'Test', 'HealthConfig.Test') ?? [],
    interval: duration('Interval'), timeout: duration('Timeout'), startPeriod: duration('StartPeriod'),
    startInterval: duration('StartInterval'), retries,
  };
}

/** The resource fields of a HostConfig (create) or an update body. */
export function parseResources(hc: JsonObject): ResourceOptions {
  const n = (key: string): number | undefined => optNumber(hc, key, `HostConfig.${key}`);
  const pids = hc['PidsLimit'] === null ? undefined : n('PidsLimit');
  const swappiness = hc['MemorySwappiness'] === null ? undefined : n('MemorySwappiness');
  return {
    memory: n('Memory') ?? 0,
    memorySwap: n('MemorySwap') ?? 0,
    memoryReservation: n('MemoryReservation') ?? 0,
    memorySwappiness: swappiness ?? -1,
    nanoCpus: n('NanoCpus') ?? n('NanoCPUs') ?? 0,
    cpuShares: n('CpuShares') ?? 0,
    cpuPeriod: n('CpuPeriod') ?? 0,
    cpuQuota: n('CpuQuota') ?? 0,
    cpusetCpus: optString(hc, 'CpusetCpus', 'HostConfig.CpusetCpus') ?? '',
    cpusetMems: optString(hc, 'CpusetMems', 'HostConfig.CpusetMems') ?? '',
    pidsLimit: pids ?? 0,
    oomKillDisable: optBool(hc, 'OomKillDisable', 'HostConfig.OomKillDisable') ?? false,
  };
}

function parseUlimits(raw: unknown): Ulimit[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw invalidArgument('json: cannot unmarshal into Go struct field HostConfig.Ulimits of type []*container.Ulimit');
  return raw.map((item) => {
    const u = asObject(item, 'HostConfig.Ulimits') ?? {};
    return {
      name: optString(u, 'Name', 'Ulimit.Name') ?? '',
      soft: optNumber(u, 'Soft', 'Ulimit.Soft') ?? 0,
      hard: optNumber(u, 'Hard', 'Ulimit.Hard') ?? 0,
    };
  });
}

/** HostConfig.RestartPolicy (create and update). */
export function parseRestartPolicy(raw: unknown): RestartPolicy {
  const rp = asObject(raw, 'HostConfig.RestartPolicy') ?? {};
  const n = optString(rp, 'Name', 'HostConfig.RestartPolicy.Name') ?? '';
  const policy = (n === '' ? 'no' : n) as RestartPolicyName;
  if (!RESTART_POLICIES.includes(policy)) throw invalidArgument(`invalid restart policy '${n}'`);
  const max = optNumber(rp, 'MaximumRetryCount', 'HostConfig.RestartPolicy.MaximumRetryCount') ?? 0;
  if (max < 0) throw invalidArgument('invalid restart policy: maximum retry count cannot be negative');
  if (max > 0 && policy !== 'on-failure') throw invalidArgument(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  return { name: policy, maximumRetryCount: max };
}

function parseDevices(raw: unknown): DeviceMapping[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw invalidArgument('json: cannot unmarshal into Go struct field HostConfig.Devices of type []container.DeviceMapping');
  return raw.map((item) => {
    const dm = asObject(item, 'HostConfig.Devices') ?? {};
    const pathOnHost = optString(dm, 'PathOnHost', 'DeviceMapping.PathOnHost') ?? '';
    const inContainer = optString(dm, 'PathInContainer', 'DeviceMapping.PathInContainer') ?? '';
    const perms = optString(dm, 'CgroupPermissions', 'DeviceMapping.CgroupPermissions') ?? '';
    return parseDevice(`${pathOnHost}:${inContainer === '' ? pathOnHost : inContainer}:${perms === '' ? 'rwm' : perms}`);
  });
}
