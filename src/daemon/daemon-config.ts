import { promises as fs } from 'node:fs';
import { parseArgs } from 'node:util';
import { errnoCode, invalidArgument } from '../engine-error.js';
import { DEFAULT_CERTS_DIR, type RegistryOptions } from '../registry/registry-hosts.js';

export interface DaemonConfig {
  readonly hosts: readonly string[];
  readonly dataRoot: string;
  readonly execRoot: string;
  readonly runtime: string | undefined;
  readonly debug: boolean;
  readonly pidfile: string;
  /** daemon.json `log-driver` and `log-opts`: the defaults of containers that set none. */
  readonly logDefaults: { readonly type?: string; readonly config: Readonly<Record<string, string>> };
  /** The default bridge's device and address (dockerd's --bridge and --bip). */
  readonly bridge: string;
  readonly bip: string | undefined;
  /** daemon.json default-address-pools: where networks without a subnet get one. */
  readonly addressPools: ReadonlyArray<{ readonly base: string; readonly size: number }>;
  /** daemon.json insecure-registries, registry-mirrors, and where per-registry certificates are (registry-certs-dir). */
  readonly registry: RegistryOptions;
}

export const DEFAULT_SOCKET = 'unix:///run/berth/berth.sock';
export const DEFAULT_CONFIG_FILE = '/etc/berth/daemon.json';

/** daemon.json keys berth understands (dockerd's names), and the flag each one pairs with. */
const FILE_KEYS: Readonly<Record<string, string>> = {
  hosts: 'host', 'data-root': 'data-root', 'exec-root': 'exec-root', 'default-runtime': 'runtime', debug: 'debug',
  pidfile: 'pidfile', 'log-opts': '', 'log-driver': '', runtimes: '', 'log-level': 'log-level',
  // Accepted now, used by later parts of berth (networking, registries):
  bip: 'bip', bridge: 'bridge', 'default-address-pools': '', 'insecure-registries': '', 'registry-mirrors': '', dns: '', 'dns-search': '',
  'dns-opts': '', 'registry-certs-dir': '', 'live-restore': '', 'storage-driver': '', 'userns-remap': '', 'default-ulimits': '', features: '',
};

const OPTIONS = {
  host: { type: 'string', short: 'H', multiple: true },
  'data-root': { type: 'string' },
  'exec-root': { type: 'string' },
  runtime: { type: 'string' },
  'default-runtime': { type: 'string' },
  'config-file': { type: 'string' },
  debug: { type: 'boolean', short: 'D' },
  'log-level': { type: 'string', short: 'l' },
  pidfile: { type: 'string', short: 'p' },
  help: { type: 'boolean', short: 'h' },
  bip: { type: 'string' },
  bridge: { type: 'string', short: 'b' },
} as const;

export const DAEMON_USAGE = `Usage:	berth daemon [OPTIONS]

A self-sufficient runtime for containers, compatible with the Docker Engine API.

Options:
      --config-file string   Daemon configuration file (default "${DEFAULT_CONFIG_FILE}")
      --data-root string     Root directory of persistent state (default "/var/lib/berth")
  -b, --bridge string        Attach containers to a network bridge (default "berth0")
      --bip string           Specify network bridge IP
  -D, --debug                Enable debug mode
      --exec-root string     Root directory for execution state files (default "/run/berth")
  -H, --host list            Daemon socket(s) to connect to (default unix:///run/berth/berth.sock)
  -l, --log-level string     Set the logging level (default "info")
  -p, --pidfile string       Path to use for daemon PID file (default "/run/berth/berth.pid")
      --runtime string       OCI runtime: runc or crun (default: crun where the host allows it, else runc)
`;

/** Reads dockerd-style flags and daemon.json (flags and file may not both set one option). */
export async function loadDaemonConfig(argv: readonly string[]): Promise<DaemonConfig | 'help'> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: false, strict: true });
  } catch (e: unknown) {
    throw invalidArgument(e instanceof Error ? e.message : String(e));
  }
  const flags = parsed.values;
  if (flags.help === true) return 'help';
  const configFile = flags['config-file'] ?? DEFAULT_CONFIG_FILE;
  const file = await readConfigFile(configFile, flags['config-file'] !== undefined);
  const both = Object.keys(file).filter((k) => {
    const flag = FILE_KEYS[k];
    return flag !== undefined && flag !== '' && (flags as Record<string, unknown>)[flag] !== undefined;
  });
  if (both.length > 0) {
    throw invalidArgument(`the following directives are specified both as a flag and in the configuration file: ${both.map((k) => `${k}: (from flag: ${String((flags as Record<string, unknown>)[FILE_KEYS[k] ?? ''])}, from file: ${JSON.stringify(file[k])})`).join(', ')}`);
  }
  const str = (k: string): string | undefined => (typeof file[k] === 'string' ? (file[k] as string) : undefined);
  const fileHosts = Array.isArray(file['hosts']) ? (file['hosts'] as unknown[]).map(String) : undefined;
  const hosts = flags.host ?? fileHosts ?? [DEFAULT_SOCKET];
  for (const h of hosts) {
    if (!h.startsWith('unix://') && !h.startsWith('/')) throw invalidArgument(`unsupported host ${h}: only unix:// sockets are supported`);
  }
  const execRoot = flags['exec-root'] ?? str('exec-root') ?? '/run/berth';
  const logDriver = str('log-driver');
  const logOpts = typeof file['log-opts'] === 'object' && file['log-opts'] !== null ? (file['log-opts'] as Record<string, unknown>) : {};
  return {
    hosts,
    dataRoot: flags['data-root'] ?? str('data-root') ?? '/var/lib/berth',
    execRoot,
    runtime: flags.runtime ?? flags['default-runtime'] ?? str('default-runtime'),
    debug: flags.debug ?? (file['debug'] === true),
    pidfile: flags.pidfile ?? str('pidfile') ?? `${execRoot}/berth.pid`,
    logDefaults: {
      ...(logDriver !== undefined ? { type: logDriver } : {}),
      config: Object.fromEntries(Object.entries(logOpts).map(([k, v]) => [k, String(v)])),
    },
    bridge: flags.bridge ?? str('bridge') ?? 'berth0',
    bip: flags.bip ?? str('bip'),
    addressPools: parsePools(file['default-address-pools']),
    registry: {
      insecureRegistries: stringList(file, 'insecure-registries'),
      mirrors: stringList(file, 'registry-mirrors').map((m) => {
        if (!/^https?:\/\/[^/]+\/?$/.test(m)) throw invalidArgument(`invalid mirror: "${m}" is not a valid URI`);
        return m.replace(/\/+$/, '');
      }),
      certsDir: str('registry-certs-dir') ?? DEFAULT_CERTS_DIR,
    },
  };
}

async function readConfigFile(file: string, explicit: boolean): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e: unknown) {
    if (errnoCode(e) === 'ENOENT' && !explicit) return {};
    throw invalidArgument(`unable to configure the daemon: open ${file}: ${errnoCode(e) === 'ENOENT' ? 'no such file or directory' : String(e)}`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e: unknown) {
    throw invalidArgument(`unable to configure the daemon: ${file}: invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidArgument(`unable to configure the daemon: ${file}: not a JSON object`);
  const unknown = Object.keys(v).filter((k) => !(k in FILE_KEYS));
  if (unknown.length > 0) {
    throw invalidArgument(`the following directives don't match any configuration option: ${unknown.join(', ')}`);
  }
  return v as Record<string, unknown>;
}

function stringList(file: Record<string, unknown>, key: string): string[] {
  const v = file[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalidArgument(`${key} must be a list of strings`);
  return v as string[];
}

function parsePools(v: unknown): Array<{ base: string; size: number }> {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw invalidArgument('default-address-pools must be a list of {"base": CIDR, "size": prefix length}');
  return v.map((p: unknown) => {
    const o = (typeof p === 'object' && p !== null ? p : {}) as { base?: unknown; size?: unknown };
    if (typeof o.base !== 'string' || typeof o.size !== 'number' || !Number.isInteger(o.size) || o.size < 1 || o.size > 30) {
      throw invalidArgument(`invalid default-address-pools entry: ${JSON.stringify(p)}`);
    }
    return { base: o.base, size: o.size };
  });
}


export function socketPath(host: string): string {
  return host.startsWith('unix://') ? host.slice('unix://'.length) : host;
}
