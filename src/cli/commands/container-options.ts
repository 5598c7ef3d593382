import { readFileSync } from 'node:fs';
import type { ContainerCreateRequest, HostConfigRequest } from '../../client/engine-types.js';
import { ExitError } from '../command.js';
import type { FlagSpec, ParsedFlags } from '../flags/index.js';
import { parsePublish } from './port-spec.js';
import { parseMountFlag } from './mount-flag.js';
import { parseRamBytes } from '../../units/go-values.js';

/** The flags `run` and `create` share, as the docker CLI declares them. */
export const CONTAINER_FLAGS: readonly FlagSpec[] = [
  { name: 'add-host', type: 'list', usage: 'Add a custom host-to-IP mapping (host:ip)' },
  { name: 'attach', short: 'a', type: 'list', usage: 'Attach to STDIN, STDOUT or STDERR' },
  { name: 'cap-add', type: 'list', usage: 'Add Linux capabilities' },
  { name: 'cap-drop', type: 'list', usage: 'Drop Linux capabilities' },
  { name: 'cidfile', type: 'string', usage: 'Write the container ID to the file' },
  { name: 'device', type: 'list', usage: 'Add a host device to the container' },
  { name: 'dns', type: 'list', usage: 'Set custom DNS servers' },
  { name: 'dns-option', type: 'list', usage: 'Set DNS options' },
  { name: 'dns-search', type: 'list', usage: 'Set custom DNS search domains' },
  { name: 'domainname', type: 'string', usage: 'Container NIS domain name' },
  { name: 'entrypoint', type: 'string', usage: 'Overwrite the default ENTRYPOINT of the image' },
  { name: 'cpu-period', type: 'int', usage: 'Limit CPU CFS (Completely Fair Scheduler) period' },
  { name: 'cpu-quota', type: 'int', usage: 'Limit CPU CFS (Completely Fair Scheduler) quota' },
  { name: 'cpu-shares', short: 'c', type: 'int', usage: 'CPU shares (relative weight)' },
  { name: 'cpus', type: 'string', valueName: 'decimal', usage: 'Number of CPUs', validate: validateDecimal },
  { name: 'cpuset-cpus', type: 'string', usage: 'CPUs in which to allow execution (0-3, 0,1)' },
  { name: 'cpuset-mems', type: 'string', usage: 'MEMs in which to allow execution (0-3, 0,1)' },
  { name: 'env', short: 'e', type: 'list', usage: 'Set environment variables' },
  { name: 'env-file', type: 'list', usage: 'Read in a file of environment variables' },
  { name: 'expose', type: 'list', usage: 'Expose a port or a range of ports' },
  { name: 'group-add', type: 'list', usage: 'Add additional groups to join' },
  { name: 'health-cmd', type: 'string', usage: 'Command to run to check health' },
  { name: 'health-interval', type: 'duration', usage: 'Time between running the check (ms|s|m|h) (default 0s)' },
  { name: 'health-retries', type: 'int', usage: 'Consecutive failures needed to report unhealthy' },
  { name: 'health-start-interval', type: 'duration', usage: 'Time between running the check during the start period (ms|s|m|h) (default 0s)' },
  { name: 'health-start-period', type: 'duration', usage: 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)' },
  { name: 'health-timeout', type: 'duration', usage: 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)' },
  { name: 'help', type: 'bool', usage: 'Print usage' },
  { name: 'hostname', short: 'h', type: 'string', usage: 'Container host name' },
  { name: 'init', type: 'bool', usage: 'Run an init inside the container that forwards signals and reaps processes' },
  { name: 'interactive', short: 'i', type: 'bool', usage: 'Keep STDIN open even if not attached' },
  { name: 'ip', type: 'string', usage: 'IPv4 address (e.g., 172.30.100.104)' },
  { name: 'label', short: 'l', type: 'list', usage: 'Set meta data on a container' },
  { name: 'label-file', type: 'list', usage: 'Read in a line delimited file of labels' },
  { name: 'log-driver', type: 'string', usage: 'Logging driver for the container' },
  { name: 'log-opt', type: 'list', usage: 'Log driver options' },
  { name: 'mac-address', type: 'string', usage: 'Container MAC address (e.g., 92:d0:c6:0a:29:33)' },
  { name: 'memory', short: 'm', type: 'bytes', usage: 'Memory limit' },
  { name: 'memory-reservation', type: 'bytes', usage: 'Memory soft limit' },
  { name: 'memory-swap', type: 'string', valueName: 'bytes', usage: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", validate: validateSwapBytes },
  { name: 'memory-swappiness', type: 'int', default: -1, usage: 'Tune container memory swappiness (0 to 100)' },
  { name: 'mount', type: 'list', valueName: 'mount', usage: 'Attach a filesystem mount to the container' },
  { name: 'name', type: 'string', usage: 'Assign a name to the container' },
  { name: 'net', type: 'string', valueName: 'network', usage: 'Connect a container to a network', hidden: true },
  { name: 'network', type: 'string', valueName: 'network', usage: 'Connect a container to a network' },
  { name: 'network-alias', type: 'list', usage: 'Add network-scoped alias for the container' },
  { name: 'no-healthcheck', type: 'bool', usage: 'Disable any container-specified HEALTHCHECK' },
  { name: 'oom-kill-disable', type: 'bool', usage: 'Disable OOM Killer' },
  { name: 'oom-score-adj', type: 'int', usage: "Tune host's OOM preferences (-1000 to 1000)" },
  { name: 'pids-limit', type: 'int', usage: 'Tune container pids limit (set -1 for unlimited)' },
  { name: 'platform', type: 'string', usage: 'Set platform if server is multi-platform capable' },
  { name: 'privileged', type: 'bool', usage: 'Give extended privileges to this container' },
  { name: 'publish', short: 'p', type: 'list', usage: "Publish a container's port(s) to the host" },
  { name: 'publish-all', short: 'P', type: 'bool', usage: 'Publish all exposed ports to random ports' },
  { name: 'pull', type: 'string', default: 'missing', usage: 'Pull image before running ("always", "missing", "never")' },
  { name: 'quiet', short: 'q', type: 'bool', usage: 'Suppress the pull output' },
  { name: 'read-only', type: 'bool', usage: "Mount the container's root filesystem as read only" },
  { name: 'restart', type: 'string', default: 'no', usage: 'Restart policy to apply when a container exits' },
  { name: 'rm', type: 'bool', usage: 'Automatically remove the container and its associated anonymous volumes when it exits' },
  { name: 'security-opt', type: 'list', usage: 'Security Options' },
  { name: 'shm-size', type: 'bytes', usage: 'Size of /dev/shm' },
  { name: 'stop-signal', type: 'string', usage: 'Signal to stop the container' },
  { name: 'stop-timeout', type: 'int', usage: 'Timeout (in seconds) to stop a container' },
  { name: 'sysctl', type: 'map', usage: 'Sysctl options' },
  { name: 'tmpfs', type: 'list', usage: 'Mount a tmpfs directory' },
  { name: 'tty', short: 't', type: 'bool', usage: 'Allocate a pseudo-TTY' },
  { name: 'ulimit', type: 'list', valueName: 'ulimit', defaultText: '[]', usage: 'Ulimit options', validate: validateUlimit },
  { name: 'user', short: 'u', type: 'string', usage: 'Username or UID (format: <name|uid>[:<group|gid>])' },
  { name: 'userns', type: 'string', usage: 'User namespace to use' },
  { name: 'volume', short: 'v', type: 'list', usage: 'Bind mount a volume' },
  { name: 'volumes-from', type: 'list', usage: 'Mount volumes from the specified container(s)' },
  { name: 'workdir', short: 'w', type: 'string', usage: 'Working directory inside the container' },
];

/** A mistake the docker CLI reports as "<prog>: <message>" plus the command's help hint, with status 125. */
export class UsageFailure extends Error {}

export interface CreatePlan {
  readonly name: string | undefined;
  readonly body: ContainerCreateRequest;
  readonly platform: string | undefined;
  readonly pull: string;
  readonly cidfile: string | undefined;
}

/** Reads a docker env or label file: `KEY=value` lines, `#` comments, bare `KEY` taken from our environment. */
export function readKeyValueFile(file: string, fromEnv: boolean): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ExitError(125, `open ${file}: no such file or directory`);
  }
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    const key = i < 0 ? line : line.slice(0, i);
    if (/\s/.test(key)) throw new ExitError(125, `variable '${key}' contains whitespaces`);
    if (i >= 0) out.push(line);
    else if (fromEnv && process.env[key] !== undefined) out.push(`${key}=${process.env[key] ?? ''}`);
    else if (!fromEnv) out.push(line);
  }
  return out;
}

/** `-e KEY` takes KEY from the CLI's environment (dropped when unset), as docker does. */
export function envValue(e: string): string | undefined {
  if (e.includes('=')) return e;
  const v = process.env[e];
  return v === undefined ? undefined : `${e}=${v}`;
}

function labelsOf(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of list) {
    const i = l.indexOf('=');
    if (i === 0) throw new ExitError(125, `invalid argument "${l}" for "-l, --label" flag: invalid label format: "${l}"`);
    if (i < 0) out[l] = '';
    else out[l.slice(0, i)] = l.slice(i + 1);
  }
  return out;
}

export function restartPolicy(s: string): { Name: string; MaximumRetryCount: number } {
  const [name = 'no', count] = s.split(':', 2);
  if (!['no', 'always', 'unless-stopped', 'on-failure', ''].includes(name)) {
    throw new ExitError(125, `invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  }
  const max = count === undefined ? 0 : Number(count);
  if (!Number.isInteger(max) || max < 0) throw new ExitError(125, `invalid restart policy: maximum retry count must be a positive integer`);
  if (count !== undefined && name !== 'on-failure') throw new ExitError(125, `invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  return { Name: name === '' ? 'no' : name, MaximumRetryCount: max };
}

function exposedPorts(list: readonly string[]): Record<string, object> | undefined {
  if (list.length === 0) return undefined;
  const out: Record<string, object> = {};
  for (const e of list) {
    const [range = '', proto = 'tcp'] = e.split('/', 2);
    const [a = '', b] = range.split('-', 2);
    const start = Number(a);
    const end = b === undefined ? start : Number(b);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end > 65535 || end < start) {
      throw new ExitError(125, `invalid range format for --expose: ${e}`);
    }
    for (let p = start; p <= end; p++) out[`${p}/${proto}`] = {};
  }
  return out;
}

/** Turns the flags and arguments of `run`/`create` into a create request, as the docker CLI does. */
export function buildCreatePlan(flags: ParsedFlags, args: readonly string[], opts: { detach: boolean }): CreatePlan {
  const [image = '', ...cmd] = args;
  const env = [
    ...flags.getStrings('env-file').flatMap((f) => readKeyValueFile(f, true)),
    ...flags.getStrings('env').map(envValue).filter((e): e is string => e !== undefined),
  ];
  const labels = labelsOf([...flags.getStrings('label-file').flatMap((f) => readKeyValueFile(f, false)), ...flags.getStrings('label')]);
  const attach = flags.getStrings('attach').map((s) => s.toLowerCase());
  for (const a of attach) {
    if (!['stdin', 'stdout', 'stderr'].includes(a)) throw new ExitError(125, `invalid argument "${a}" for "-a, --attach" flag: valid streams are STDIN, STDOUT and STDERR`);
  }
  const interactive = flags.getBool('interactive');
  const attachAll = attach.length === 0 && !opts.detach;
  const network = flags.getString('network') !== '' ? flags.getString('network') : flags.getString('net');
  const host: HostConfigRequest = {
    NetworkMode: network === '' ? 'default' : network,
    AutoRemove: flags.getBool('rm'),
    RestartPolicy: restartPolicy(flags.getString('restart')),
    Privileged: flags.getBool('privileged'),
    CapAdd: [...flags.getStrings('cap-add')],
    CapDrop: [...flags.getStrings('cap-drop')],
    ReadonlyRootfs: flags.getBool('read-only'),
    Dns: [...flags.getStrings('dns')],
    DnsSearch: [...flags.getStrings('dns-search')],
    DnsOptions: [...flags.getStrings('dns-option')],
    ExtraHosts: [...flags.getStrings('add-host')],
    // `-v /path` (no host part) is an anonymous volume: the docker CLI sends it in Config.Volumes.
    Binds: flags.getStrings('volume').filter((v) => v.includes(':')),
    PublishAllPorts: flags.getBool('publish-all'),
  };
  if (flags.has('init')) host.Init = flags.getBool('init');
  if (flags.getInt('shm-size') > 0) host.ShmSize = flags.getInt('shm-size');
  Object.assign(host, resourcesOf(flags));
  if (flags.getInt('memory-swappiness') !== -1) Object.assign(host, { MemorySwappiness: flags.getInt('memory-swappiness') });
  if (flags.getBool('oom-kill-disable')) Object.assign(host, { OomKillDisable: true });
  const ulimits = flags.getStrings('ulimit').map(parseUlimit);
  if (ulimits.length > 0) host.Ulimits = ulimits;
  if (flags.has('oom-score-adj')) host.OomScoreAdj = flags.getInt('oom-score-adj');
  const securityOpt = flags.getStrings('security-opt').map(securityOptWithProfile);
  if (securityOpt.length > 0) Object.assign(host, { SecurityOpt: securityOpt });
  if (flags.getStrings('group-add').length > 0) Object.assign(host, { GroupAdd: [...flags.getStrings('group-add')] });
  if (flags.getStrings('device').length > 0) Object.assign(host, { Devices: flags.getStrings('device').map(deviceMapping) });
  if (flags.getMap('sysctl').size > 0) Object.assign(host, { Sysctls: Object.fromEntries(flags.getMap('sysctl')) });
  if (flags.getString('userns') !== '') Object.assign(host, { UsernsMode: flags.getString('userns') });
  const logDriver = flags.getString('log-driver');
  const logOpts = flags.getStrings('log-opt');
  if (logDriver !== '' || logOpts.length > 0) {
    host.LogConfig = { Type: logDriver, Config: Object.fromEntries(logOpts.map((o) => [o.split('=', 1)[0] ?? o, o.slice(o.indexOf('=') + 1)])) };
  }
  const tmpfs = flags.getStrings('tmpfs');
  if (tmpfs.length > 0) host.Tmpfs = Object.fromEntries(tmpfs.map((t) => [t.split(':', 1)[0] ?? t, t.includes(':') ? t.slice(t.indexOf(':') + 1) : '']));
  if (flags.getStrings('mount').length > 0) host.Mounts = flags.getStrings('mount').map(parseMountFlag);
  if (flags.getStrings('volumes-from').length > 0) host.VolumesFrom = [...flags.getStrings('volumes-from')];
  const published = parsePublish(flags.getStrings('publish'));
  if (Object.keys(published.bindings).length > 0) host.PortBindings = published.bindings;

  const body: ContainerCreateRequest = {
    Image: image,
    Hostname: flags.getString('hostname'),
    Domainname: flags.getString('domainname'),
    User: flags.getString('user'),
    AttachStdin: attach.includes('stdin') || (attachAll && interactive),
    AttachStdout: attach.includes('stdout') || attachAll,
    AttachStderr: attach.includes('stderr') || attachAll,
    Tty: flags.getBool('tty'),
    OpenStdin: interactive,
    StdinOnce: interactive && !opts.detach,
    Env: env,
    Labels: labels,
    WorkingDir: flags.getString('workdir'),
    HostConfig: host,
  };
  if (cmd.length > 0) body.Cmd = cmd;
  const healthcheck = healthcheckOf(flags);
  if (healthcheck !== undefined) body.Healthcheck = healthcheck;
  if (flags.has('entrypoint')) body.Entrypoint = [flags.getString('entrypoint')];
  if (flags.getString('stop-signal') !== '') body.StopSignal = flags.getString('stop-signal');
  if (flags.has('stop-timeout')) body.StopTimeout = flags.getInt('stop-timeout');
  const anonymous = flags.getStrings('volume').filter((v) => !v.includes(':'));
  if (anonymous.length > 0) body.Volumes = Object.fromEntries(anonymous.map((v) => [v, {}]));
  const exposed = { ...exposedPorts(flags.getStrings('expose')), ...Object.fromEntries(published.exposed.map((k) => [k, {}])) };
  if (Object.keys(exposed).length > 0) body.ExposedPorts = exposed;
  const aliases = flags.getStrings('network-alias');
  if (aliases.length > 0 && ['default', 'bridge', 'host', 'none'].includes(host.NetworkMode ?? 'default')) {
    throw new UsageFailure('network-scoped aliases are only supported for user-defined networks');
  }
  const ip = flags.getString('ip');
  const mac = flags.getString('mac-address');
  if (aliases.length > 0 || ip !== '' || mac !== '') {
    body.NetworkingConfig = { EndpointsConfig: { [host.NetworkMode ?? 'default']: {
      ...(aliases.length > 0 ? { Aliases: [...aliases] } : {}),
      ...(ip !== '' ? { IPAMConfig: { IPv4Address: ip } } : {}),
      ...(mac !== '' ? { MacAddress: mac } : {}),
    } } };
  }
  const name = flags.getString('name');
  const platform = flags.getString('platform');
  const cidfile = flags.getString('cidfile');
  return {
    name: name === '' ? undefined : name,
    body,
    platform: platform === '' ? undefined : platform,
    pull: flags.getString('pull'),
    cidfile: cidfile === '' ? undefined : cidfile,
  };
}

/** The --health-* flags and --no-healthcheck, as the docker CLI turns them into Config.Healthcheck. */
function healthcheckOf(flags: ParsedFlags): ContainerCreateRequest['Healthcheck'] {
  const names = ['health-cmd', 'health-interval', 'health-retries', 'health-start-interval', 'health-start-period', 'health-timeout'];
  const haveSettings = names.some((n) => flags.has(n));
  if (flags.getBool('no-healthcheck')) {
    if (haveSettings) throw new ExitError(125, '--no-healthcheck conflicts with --health-* options');
    return { Test: ['NONE'] };
  }
  if (!haveSettings) return undefined;
  const cmd = flags.getString('health-cmd');
  const durations: Array<[string, string]> = [
    ['health-interval', 'Interval'], ['health-timeout', 'Timeout'], ['health-start-period', 'StartPeriod'], ['health-start-interval', 'StartInterval'],
  ];
  const out: NonNullable<ContainerCreateRequest['Healthcheck']> = { Test: cmd !== '' ? ['CMD-SHELL', cmd] : [] };
  for (const [flag, key] of durations) {
    const v = flags.getDuration(flag);
    if (v < 0) throw new ExitError(125, `--${flag} cannot be negative`);
    (out as Record<string, unknown>)[key] = v;
  }
  const retries = flags.getInt('health-retries');
  if (retries < 0) throw new ExitError(125, '--health-retries cannot be negative');
  out.Retries = retries;
  return out;
}

function validateDecimal(v: string): string {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(v.trim())) throw new Error(`failed to parse ${v} as a rational number`);
  return v;
}

function validateSwapBytes(v: string): string {
  if (v !== '-1') parseRamBytes(v);
  return v;
}

function validateUlimit(v: string): string {
  parseUlimit(v);
  return v;
}

/** `nofile=1024[:2048]`, as docker's ulimit option reads it. */
export function parseUlimit(v: string): { Name: string; Soft: number; Hard: number } {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(v);
  if (m === null) throw new Error(`invalid ulimit argument: ${v}`);
  const soft = Number(m[2]);
  const hard = m[3] === undefined ? soft : Number(m[3]);
  return { Name: m[1] ?? '', Soft: soft, Hard: hard };
}

/** The resource flags as Docker's HostConfig fields (only those given). */
export function resourcesOf(flags: ParsedFlags): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (flags.has('memory')) out['Memory'] = flags.getInt('memory');
  if (flags.has('memory-reservation')) out['MemoryReservation'] = flags.getInt('memory-reservation');
  if (flags.has('memory-swap')) {
    const v = flags.getString('memory-swap');
    out['MemorySwap'] = v === '-1' ? -1 : parseRamBytes(v);
  }
  if (flags.has('cpus')) out['NanoCpus'] = Math.round(Number(flags.getString('cpus')) * 1e9);
  if (flags.has('cpu-shares')) out['CpuShares'] = flags.getInt('cpu-shares');
  if (flags.has('cpu-period')) out['CpuPeriod'] = flags.getInt('cpu-period');
  if (flags.has('cpu-quota')) out['CpuQuota'] = flags.getInt('cpu-quota');
  if (flags.getString('cpuset-cpus') !== '') out['CpusetCpus'] = flags.getString('cpuset-cpus');
  if (flags.getString('cpuset-mems') !== '') out['CpusetMems'] = flags.getString('cpuset-mems');
  if (flags.has('pids-limit')) out['PidsLimit'] = flags.getInt('pids-limit');
  return out;
}

/** The docker CLI sends a seccomp profile's content, not its path. */
function securityOptWithProfile(opt: string): string {
  const m = /^seccomp[=:](.+)$/.exec(opt);
  if (m === null || m[1] === 'unconfined') return opt;
  const file = m[1] ?? '';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ExitError(125, `opening seccomp profile (${file}) failed: open ${file}: no such file or directory`);
  }
  try {
    return `seccomp=${JSON.stringify(JSON.parse(text))}`;
  } catch {
    throw new ExitError(125, `compacting json for seccomp profile (${file}) failed: invalid character in JSON`);
  }
}

/** `--device src[:dst][:perms]` as the docker CLI sends it. */
function deviceMapping(spec: string): { PathOnHost: string; PathInContainer: string; CgroupPermissions: string } {
  const parts = spec.split(':');
  const src = parts[0] ?? '';
  let dst = src;
  let perms = 'rwm';
  if (parts.length === 3) {
    dst = parts[1] ?? src;
    perms = parts[2] ?? 'rwm';
  } else if (parts.length === 2) {
    if (/^[rwm]+$/.test(parts[1] ?? '')) perms = parts[1] ?? 'rwm';
    else dst = parts[1] ?? src;
  } else if (parts.length > 3) {
    throw new ExitError(125, `invalid argument "${spec}" for "--device" flag: bad format for path: ${spec}`);
  }
  return { PathOnHost: src, PathInContainer: dst, CgroupPermissions: perms };
}
