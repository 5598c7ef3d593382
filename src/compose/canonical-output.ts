import { stringify } from 'yaml';
import { isDict, type Dict } from './normalize/long-syntax.js';

/** Key orders of compose-go's types (Go marshals struct fields in declaration order, maps sorted). */
const PROJECT = ['name', 'services', 'networks', 'volumes', 'secrets', 'configs', 'models'];
const SERVICE = [
  'profiles', 'annotations', 'attach', 'build', 'develop', 'blkio_config', 'cap_add', 'cap_drop', 'cgroup_parent', 'cgroup',
  'cpu_count', 'cpu_percent', 'cpu_period', 'cpu_quota', 'cpu_rt_period', 'cpu_rt_runtime', 'cpus', 'cpuset', 'cpu_shares',
  'command', 'configs', 'container_name', 'credential_spec', 'depends_on', 'deploy', 'device_cgroup_rules', 'devices', 'dns',
  'dns_opt', 'dns_search', 'dockerfile', 'domainname', 'entrypoint', 'provider', 'environment', 'env_file', 'expose', 'extends',
  'external_links', 'extra_hosts', 'group_add', 'gpus', 'hostname', 'healthcheck', 'image', 'init', 'ipc', 'isolation', 'labels',
  'label_file', 'links', 'logging', 'log_driver', 'log_opt', 'mem_limit', 'mem_reservation', 'memswap_limit', 'mem_swappiness',
  'mac_address', 'models', 'net', 'network_mode', 'networks', 'oom_kill_disable', 'oom_score_adj', 'pid', 'pids_limit', 'platform',
  'ports', 'privileged', 'pull_policy', 'read_only', 'restart', 'runtime', 'scale', 'secrets', 'security_opt', 'shm_size',
  'stdin_open', 'stop_grace_period', 'stop_signal', 'storage_opt', 'sysctls', 'tmpfs', 'tty', 'ulimits', 'use_api_socket', 'user',
  'userns_mode', 'uts', 'volume_driver', 'volumes', 'volumes_from', 'working_dir', 'post_start', 'pre_stop',
];
const BUILD = [
  'context', 'dockerfile', 'dockerfile_inline', 'entitlements', 'args', 'ssh', 'labels', 'cache_from', 'cache_to', 'no_cache',
  'additional_contexts', 'network', 'provenance', 'sbom', 'pull', 'target', 'shm_size', 'extra_hosts', 'isolation', 'privileged',
  'secrets', 'tags', 'ulimits', 'platforms',
];
const PORT = ['name', 'mode', 'host_ip', 'target', 'published', 'protocol', 'app_protocol'];
const MOUNT = ['type', 'source', 'target', 'read_only', 'consistency', 'bind', 'volume', 'tmpfs', 'image'];
const DEPENDS = ['condition', 'restart', 'required'];
const HEALTH = ['test', 'timeout', 'interval', 'retries', 'start_period', 'start_interval', 'disable'];
const NETWORK = ['name', 'driver', 'driver_opts', 'ipam', 'external', 'internal', 'attachable', 'labels', 'enable_ipv4', 'enable_ipv6'];
const VOLUME = ['name', 'driver', 'driver_opts', 'external', 'labels'];
const SECRET = ['name', 'file', 'environment', 'content', 'external', 'labels', 'driver', 'driver_opts', 'template_driver'];
const DEPLOY = ['mode', 'replicas', 'labels', 'update_config', 'rollback_config', 'resources', 'restart_policy', 'placement', 'endpoint_mode'];
const SVC_NET = ['aliases', 'driver_opts', 'gw_priority', 'interface_name', 'ipv4_address', 'ipv6_address', 'link_local_ips', 'mac_address', 'priority'];
const ENV_FILE = ['path', 'required', 'format'];

function orderFor(path: readonly string[]): readonly string[] | undefined {
  const p = path.join('.');
  const m = (re: RegExp): boolean => re.test(p);
  if (path.length === 0) return PROJECT;
  if (m(/^services\.[^.]+$/)) return SERVICE;
  if (m(/^services\.[^.]+\.build$/)) return BUILD;
  if (m(/^services\.[^.]+\.ports\.\d+$/)) return PORT;
  if (m(/^services\.[^.]+\.volumes\.\d+$/)) return MOUNT;
  if (m(/^services\.[^.]+\.depends_on\.[^.]+$/)) return DEPENDS;
  if (m(/^services\.[^.]+\.healthcheck$/)) return HEALTH;
  if (m(/^services\.[^.]+\.deploy$/)) return DEPLOY;
  if (m(/^services\.[^.]+\.networks\.[^.]+$/)) return SVC_NET;
  if (m(/^services\.[^.]+\.env_file\.\d+$/)) return ENV_FILE;
  if (m(/^networks\.[^.]+$/)) return NETWORK;
  if (m(/^volumes\.[^.]+$/)) return VOLUME;
  if (m(/^(secrets|configs)\.[^.]+$/)) return SECRET;
  return undefined;
}

/** Orders keys as compose v2 prints them: known fields in struct order, `x-` extensions after, maps sorted. */
export function canonicalOrder(node: unknown, path: readonly string[] = []): unknown {
  if (Array.isArray(node)) return node.map((v, i) => canonicalOrder(v, [...path, String(i)]));
  if (!isDict(node)) return node;
  const order = orderFor(path);
  const keys = Object.keys(node);
  const rank = (k: string): number => {
    const i = order?.indexOf(k) ?? -1;
    return i >= 0 ? i : order === undefined ? 0 : order.length + (k.startsWith('x-') ? 1 : 0);
  };
  keys.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Dict = {};
  for (const k of keys) out[k] = canonicalOrder(node[k], [...path, k]);
  return out;
}

/** `docker compose config` (YAML): two-space indent, sequences indented, no line folding. */
export function toComposeYaml(model: Dict): string {
  // YAML 1.1 rules quote strings like "yes", "on" or dates, as Go's yaml.v3 does when compose v2 prints them.
  return stringify(canonicalOrder(model), { version: '1.1', indent: 2, lineWidth: 0, minContentWidth: 0, nullStr: 'null' });
}

/** `docker compose config --format json`: command and entrypoint always present (null when unset), as v2 prints them. */
export function toComposeJson(model: Dict): string {
  const ordered = canonicalOrder(model) as Dict;
  const services = isDict(ordered['services']) ? ordered['services'] : {};
  const withNulls: Dict = {};
  for (const [name, svc] of Object.entries(services)) withNulls[name] = serviceJsonValue(isDict(svc) ? svc : {});
  return `${JSON.stringify({ ...ordered, services: withNulls }, null, 2)}\n`;
}

/** One service as compose v2 marshals it to JSON: fields in struct order, command and entrypoint always present. */
export function serviceJsonValue(svc: Dict): Dict {
  const s = canonicalOrder(svc, ['services', '_']) as Dict;
  const out: Dict = {};
  for (const k of SERVICE) {
    if (k in s) out[k] = s[k];
    else if (k === 'command' || k === 'entrypoint') out[k] = null;
  }
  for (const k of Object.keys(s)) if (!(k in out)) out[k] = s[k];
  return out;
}
