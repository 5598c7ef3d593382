import type { ContainerCreateRequest, HostConfigRequest } from '../../client/engine-types.js';
import type { ComposeProject } from '../loader/load-project.js';
import { parseComposeDuration } from '../normalize/duration.js';
import { isDict, type Dict } from '../normalize/long-syntax.js';
import { parseByteSize } from './byte-units.js';
import { serviceConfigHash } from './config-hash.js';
import { LABEL } from './labels.js';

/** HostConfig fields compose sets beyond what the CLI's request type lists. */
export type ComposeHostConfig = HostConfigRequest & {
  Memory?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  PidsLimit?: number;
  Sysctls?: Record<string, string>;
  SecurityOpt?: string[];
  GroupAdd?: string[];
  Devices?: Array<{ PathOnHost: string; PathInContainer: string; CgroupPermissions: string }>;
};

export type ComposeCreateRequest = Omit<ContainerCreateRequest, 'HostConfig'> & { HostConfig: ComposeHostConfig };

/** A secret or config whose content is not a file: the runner copies it in after create, as v2 does. */
export interface FileCopy {
  readonly target: string;
  readonly content: string;
  readonly mode: number;
}

export interface ContainerPlan {
  readonly name: string;
  readonly service: string;
  readonly number: number;
  readonly body: ComposeCreateRequest;
  readonly copies: readonly FileCopy[];
}

export interface PlanOptions {
  /** The compose version written in `com.docker.compose.version`. */
  readonly composeVersion: string;
  readonly oneoff?: boolean;
}

const dict = (v: unknown): Dict => (isDict(v) ? v : {});
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);
const nanos = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : parseComposeDuration(String(v)));

/** The full name of a project network or volume by its key in the file. */
export function resourceName(project: ComposeProject, kind: 'networks' | 'volumes', key: string): string {
  const entry = dict(dict(project.model[kind])[key]);
  return typeof entry['name'] === 'string' ? entry['name'] : `${project.name}_${key}`;
}

/** `com.docker.compose.depends_on`: `name:condition:restart`, comma-separated, sorted. */
function dependsOnLabel(svc: Dict): string {
  return Object.entries(dict(svc['depends_on']))
    .map(([n, d]) => `${n}:${String(dict(d)['condition'] ?? 'service_started')}:${dict(d)['restart'] === true ? 'true' : 'false'}`)
    .sort()
    .join(',');
}

function restartPolicy(restart: unknown): { Name: string; MaximumRetryCount: number } | undefined {
  if (typeof restart !== 'string') return undefined;
  const [name = 'no', count] = restart.split(':');
  return { Name: name, MaximumRetryCount: count === undefined ? 0 : Number(count) };
}

function healthcheck(h: Dict): ContainerCreateRequest['Healthcheck'] {
  if (h['disable'] === true) return { Test: ['NONE'] };
  const out: NonNullable<ContainerCreateRequest['Healthcheck']> = { Test: strings(h['test']) ?? [] };
  const set = (k: 'Interval' | 'Timeout' | 'StartPeriod' | 'StartInterval', v: unknown): void => {
    const n = nanos(v);
    if (n !== undefined) out[k] = n;
  };
  set('Interval', h['interval']);
  set('Timeout', h['timeout']);
  set('StartPeriod', h['start_period']);
  set('StartInterval', h['start_interval']);
  if (typeof h['retries'] === 'number') out.Retries = h['retries'];
  return out;
}

/** Ports and mounts of the service into HostConfig and ExposedPorts. */
function portsAndMounts(project: ComposeProject, svc: Dict, host: ComposeHostConfig, body: ComposeCreateRequest): void {
  const exposed: Record<string, object> = {};
  for (const e of strings(svc['expose']) ?? []) exposed[e.includes('/') ? e : `${e}/tcp`] = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const p of Array.isArray(svc['ports']) ? (svc['ports'] as Dict[]) : []) {
    const key = `${String(p['target'])}/${String(p['protocol'] ?? 'tcp')}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: String(p['host_ip'] ?? ''), HostPort: String(p['published'] ?? '') });
  }
  if (Object.keys(exposed).length > 0) body.ExposedPorts = exposed;
  if (Object.keys(bindings).length > 0) host.PortBindings = bindings;
  const binds: string[] = [];
  const mounts: Dict[] = [];
  for (const v of Array.isArray(svc['volumes']) ? (svc['volumes'] as Dict[]) : []) {
    const target = String(v['target']);
    const ro = v['read_only'] === true;
    if (v['type'] === 'bind') {
      const b = dict(v['bind']);
      if (b['create_host_path'] !== false) {
        // Like v2: the legacy form, so that the engine creates a missing host path.
        const opts = [ro ? 'ro' : 'rw', ...(typeof b['selinux'] === 'string' ? [b['selinux']] : []), ...(typeof b['propagation'] === 'string' ? [b['propagation']] : [])];
        binds.push(`${String(v['source'])}:${target}:${opts.join(',')}`);
        continue;
      }
      mounts.push({ Type: 'bind', Source: v['source'], Target: target, ReadOnly: ro, ...(typeof b['propagation'] === 'string' ? { BindOptions: { Propagation: b['propagation'] } } : {}) });
    } else if (v['type'] === 'volume') {
      const source = typeof v['source'] === 'string' && v['source'] !== '' ? resourceName(project, 'volumes', v['source']) : '';
      const nocopy = dict(v['volume'])['nocopy'] === true;
      mounts.push({ Type: 'volume', Source: source, Target: target, ReadOnly: ro, ...(nocopy ? { VolumeOptions: { NoCopy: true } } : {}) });
    } else if (v['type'] === 'tmpfs') {
      const t = dict(v['tmpfs']);
      mounts.push({ Type: 'tmpfs', Target: target, ...(t['size'] !== undefined ? { TmpfsOptions: { SizeBytes: parseByteSize(t['size']) } } : {}) });
    } else {
      mounts.push({ Type: v['type'], Source: v['source'], Target: target, ReadOnly: ro });
    }
  }
  if (binds.length > 0) host.Binds = binds;
  if (mounts.length > 0) host.Mounts = mounts;
  const tmpfs = strings(svc['tmpfs']);
  if (tmpfs !== undefined && tmpfs.length > 0) {
    host.Tmpfs = Object.fromEntries(tmpfs.map((t) => {
      const i = t.indexOf(':');
      return i < 0 ? [t, ''] : [t.slice(0, i), t.slice(i + 1)];
    }));
  }
}

function networking(project: ComposeProject, name: string, svc: Dict, host: ComposeHostConfig, body: ComposeCreateRequest): void {
  const mode = svc['network_mode'];
  if (typeof mode === 'string') {
    // `service:x` is resolved to a container by the runner, which knows the containers.
    host.NetworkMode = mode;
    return;
  }
  const nets = dict(svc['networks']);
  const keys = Object.keys(nets).sort((a, b) => (Number(dict(nets[b])['priority'] ?? 0) - Number(dict(nets[a])['priority'] ?? 0)) || (a < b ? -1 : 1));
  const endpoints: NonNullable<ContainerCreateRequest['NetworkingConfig']>['EndpointsConfig'] = {};
  for (const key of keys) {
    const n = dict(nets[key]);
    endpoints[resourceName(project, 'networks', key)] = {
      Aliases: [name, ...(strings(n['aliases']) ?? [])],
      ...(typeof n['ipv4_address'] === 'string' ? { IPAMConfig: { IPv4Address: n['ipv4_address'] } } : {}),
      ...(typeof n['mac_address'] === 'string' ? { MacAddress: n['mac_address'] } : {}),
    };
  }
  const first = keys[0];
  if (first !== undefined) host.NetworkMode = resourceName(project, 'networks', first);
  if (keys.length > 0) body.NetworkingConfig = { EndpointsConfig: endpoints };
}

/**
 * Secrets (at /run/secrets/<name>) and configs (at /<name>) as compose v2 mounts them: a file
 * source is a read-only bind; an environment or inline source is copied in after create.
 */
function secretsAndConfigs(project: ComposeProject, svc: Dict, host: ComposeHostConfig): FileCopy[] {
  const copies: FileCopy[] = [];
  for (const kind of ['secrets', 'configs'] as const) {
    const defs = dict(project.model[kind]);
    for (const ref of Array.isArray(svc[kind]) ? (svc[kind] as Dict[]) : []) {
      const source = String(ref['source']);
      const def = dict(defs[source]);
      const given = typeof ref['target'] === 'string' ? ref['target'] : source;
      const target = given.startsWith('/') ? given : kind === 'secrets' ? `/run/secrets/${given}` : `/${given}`;
      const mode = typeof ref['mode'] === 'number' ? ref['mode'] : 0o444;
      if (typeof def['file'] === 'string') {
        (host.Binds ??= []).push(`${def['file']}:${target}:ro`);
      } else if (typeof def['environment'] === 'string') {
        copies.push({ target, content: project.environment.get(def['environment']) ?? '', mode });
      } else if (typeof def['content'] === 'string') {
        copies.push({ target, content: def['content'], mode });
      }
    }
  }
  return copies;
}

/** The engine-side settings of a service that map one to one. */
function hostSettings(svc: Dict): ComposeHostConfig {
  const host: ComposeHostConfig = {};
  const restart = restartPolicy(svc['restart']) ?? restartPolicy(dict(dict(svc['deploy'])['restart_policy'])['condition'] === 'any' ? 'always' : undefined);
  if (restart !== undefined) host.RestartPolicy = restart;
  if (svc['privileged'] === true) host.Privileged = true;
  if (svc['read_only'] === true) host.ReadonlyRootfs = true;
  if (svc['init'] === true) host.Init = true;
  const copy = (from: string, set: (v: string[]) => void): void => {
    const v = strings(svc[from]);
    if (v !== undefined && v.length > 0) set(v);
  };
  copy('cap_add', (v) => { host.CapAdd = v; });
  copy('cap_drop', (v) => { host.CapDrop = v; });
  copy('dns', (v) => { host.Dns = v; });
  copy('dns_search', (v) => { host.DnsSearch = v; });
  copy('dns_opt', (v) => { host.DnsOptions = v; });
  copy('security_opt', (v) => { host.SecurityOpt = v; });
  copy('group_add', (v) => { host.GroupAdd = v; });
  copy('volumes_from', (v) => { host.VolumesFrom = v; });
  copy('extra_hosts', (v) => { host.ExtraHosts = v.map((h) => h.replace('=', ':')); });
  if (svc['shm_size'] !== undefined) host.ShmSize = parseByteSize(svc['shm_size']);
  if (isDict(svc['sysctls'])) host.Sysctls = Object.fromEntries(Object.entries(svc['sysctls']).map(([k, v]) => [k, String(v)]));
  if (isDict(svc['logging'])) {
    const l = svc['logging'];
    host.LogConfig = { Type: String(l['driver'] ?? ''), Config: Object.fromEntries(Object.entries(dict(l['options'])).map(([k, v]) => [k, String(v)])) };
  }
  if (isDict(svc['ulimits'])) {
    host.Ulimits = Object.entries(svc['ulimits']).map(([Name, u]) => {
      const d = dict(u);
      const single = d['single'];
      return typeof single === 'number' ? { Name, Soft: single, Hard: single } : { Name, Soft: Number(d['soft']), Hard: Number(d['hard']) };
    }).sort((a, b) => (a.Name < b.Name ? -1 : 1));
  }
  if (typeof svc['oom_score_adj'] === 'number') host.OomScoreAdj = svc['oom_score_adj'];
  if (typeof svc['pids_limit'] === 'number') host.PidsLimit = svc['pids_limit'];
  const limits = dict(dict(dict(svc['deploy'])['resources'])['limits']);
  const reservations = dict(dict(dict(svc['deploy'])['resources'])['reservations']);
  const memory = svc['mem_limit'] ?? limits['memory'];
  if (memory !== undefined) host.Memory = parseByteSize(memory);
  const reservation = svc['mem_reservation'] ?? reservations['memory'];
  if (reservation !== undefined) host.MemoryReservation = parseByteSize(reservation);
  const cpus = svc['cpus'] ?? limits['cpus'];
  if (cpus !== undefined) host.NanoCpus = Math.round(Number(cpus) * 1e9);
  if (Array.isArray(svc['devices'])) {
    host.Devices = (svc['devices'] as Dict[]).map((d) => ({ PathOnHost: String(d['source']), PathInContainer: String(d['target']), CgroupPermissions: String(d['permissions'] ?? 'rwm') }));
  }
  return host;
}

/**
 * The Engine API create body for container `number` of a service, with compose v2's name
 * (`project-service-N`, or `container_name`) and labels. Pure: no engine calls.
 */
export function planContainer(project: ComposeProject, service: string, number: number, opts: PlanOptions): ContainerPlan {
  const svc = dict(dict(project.model['services'])[service]);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(dict(svc['labels']))) labels[k] = String(v ?? '');
  Object.assign(labels, {
    [LABEL.configHash]: serviceConfigHash(svc),
    [LABEL.containerNumber]: String(number),
    [LABEL.dependsOn]: dependsOnLabel(svc),
    [LABEL.oneoff]: opts.oneoff === true ? 'True' : 'False',
    [LABEL.project]: project.name,
    [LABEL.configFiles]: project.configFiles.join(','),
    [LABEL.workingDir]: project.workingDir,
    [LABEL.service]: service,
    [LABEL.version]: opts.composeVersion,
  });
  const host = hostSettings(svc);
  const body: ComposeCreateRequest = {
    Image: typeof svc['image'] === 'string' ? svc['image'] : `${project.name}-${service}`,
    Labels: labels,
    HostConfig: host,
  };
  const cmd = strings(svc['command']);
  if (cmd !== undefined) body.Cmd = cmd;
  const entrypoint = strings(svc['entrypoint']);
  if (entrypoint !== undefined) body.Entrypoint = entrypoint;
  const env = Object.entries(dict(svc['environment'])).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${String(v)}`).sort();
  if (env.length > 0) body.Env = env;
  const text = (k: string): string | undefined => (typeof svc[k] === 'string' ? svc[k] : undefined);
  const wd = text('working_dir');
  if (wd !== undefined) body.WorkingDir = wd;
  const user = text('user');
  if (user !== undefined) body.User = user;
  const hostname = text('hostname');
  if (hostname !== undefined) body.Hostname = hostname;
  const domain = text('domainname');
  if (domain !== undefined) body.Domainname = domain;
  const stopSignal = text('stop_signal');
  if (stopSignal !== undefined) body.StopSignal = stopSignal;
  const grace = nanos(svc['stop_grace_period']);
  if (grace !== undefined) body.StopTimeout = Math.floor(grace / 1e9);
  if (svc['tty'] === true) body.Tty = true;
  if (svc['stdin_open'] === true) body.OpenStdin = true;
  if (isDict(svc['healthcheck'])) {
    const hc = healthcheck(svc['healthcheck']);
    if (hc !== undefined) body.Healthcheck = hc;
  }
  portsAndMounts(project, svc, host, body);
  const copies = secretsAndConfigs(project, svc, host);
  networking(project, service, svc, host, body);
  const name = typeof svc['container_name'] === 'string' ? svc['container_name'] : `${project.name}-${service}-${number}`;
  return { name, service, number, body, copies };
}
