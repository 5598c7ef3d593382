import { readFileSync } from 'node:fs';
/**
 * Generates the OCI runtime config (config.json) of a container with Docker's
 * defaults: capabilities, masked and read-only paths, default mounts, device
 * rules, namespaces (see shared/reference/docker-defaults/).
 */

export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

export const ALL_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ',
  'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

export const MASKED_PATHS: readonly string[] = [
  '/proc/acpi', '/proc/asound', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
  '/proc/sched_debug', '/proc/scsi', '/proc/timer_list', '/proc/timer_stats', '/sys/devices/virtual/powercap',
  '/sys/firmware',
];

export const READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export type NetworkNamespace = { readonly kind: 'host' } | { readonly kind: 'private' } | { readonly kind: 'path'; readonly path: string };

export interface BindMount {
  readonly source: string;
  readonly destination: string;
  readonly readonly: boolean;
}

export interface SpecInput {
  readonly rootfs: string;
  readonly args: readonly string[];
  readonly env: readonly string[];
  readonly cwd: string;
  readonly uid: number;
  readonly gid: number;
  readonly additionalGids: readonly number[];
  readonly hostname: string;
  readonly domainname?: string;
  readonly terminal: boolean;
  readonly readonlyRootfs: boolean;
  readonly network: NetworkNamespace;
  readonly privileged: boolean;
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly cgroupsPath: string;
  /** Private cgroup namespace (Docker's default on cgroup v2 hosts). */
  readonly cgroupNamespace: boolean;
  readonly shmSize: number;
  /** Bind mounts of the per-container /etc/hosts, /etc/hostname, /etc/resolv.conf and user mounts. */
  readonly binds: readonly BindMount[];
  /** CPUs with a thermal_throttle directory on this host (their paths are masked). */
  readonly thermalThrottlePaths?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
  /** OCI linux.resources besides the device rules (memory, cpu, pids). */
  readonly resources?: Readonly<Record<string, unknown>>;
  readonly rlimits?: ReadonlyArray<{ readonly type: string; readonly soft: number; readonly hard: number }>;
  readonly oomScoreAdj?: number;
  /** OCI linux.seccomp; none: unconfined. */
  readonly seccomp?: Readonly<Record<string, unknown>>;
  readonly noNewPrivileges?: boolean;
  readonly sysctls?: Readonly<Record<string, string>>;
  /** Host devices made available (`--device`). */
  readonly devices?: ReadonlyArray<OciDevice>;
}

export interface OciDevice {
  readonly path: string;
  readonly type: 'c' | 'b';
  readonly major: number;
  readonly minor: number;
  readonly fileMode: number;
  readonly uid: number;
  readonly gid: number;
  /** Cgroup permissions ("rwm"). */
  readonly access: string;
}

export interface OciMount {
  destination: string;
  type?: string;
  source?: string;
  options?: string[];
}

/** Normalizes a capability name as Docker accepts it ("net_admin", "NET_ADMIN", "CAP_NET_ADMIN", "ALL"). */
export function normalizeCapability(name: string): string {
  const upper = name.toUpperCase();
  if (upper === 'ALL') return 'ALL';
  return upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

let hostBoundingSet: bigint | undefined;

/** The capabilities berth itself may hand out (its bounding set; a host may lack some, e.g. CAP_SYS_RESOURCE). */
function daemonBoundingSet(): bigint {
  if (hostBoundingSet === undefined) {
    try {
      const m = /^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
      hostBoundingSet = m?.[1] !== undefined ? BigInt(`0x${m[1]}`) : -1n;
    } catch {
      hostBoundingSet = -1n;
    }
  }
  return hostBoundingSet;
}

/** "All" capabilities, as Docker means it: those the kernel knows that the daemon holds. */
export function allCapabilities(bounding: bigint = daemonBoundingSet()): string[] {
  return ALL_CAPABILITIES.filter((_c, i) => (bounding >> BigInt(i)) & 1n);
}

/** Docker's capability arithmetic: defaults, then drops, then adds (ALL on either side). */
export function effectiveCapabilities(privileged: boolean, capAdd: readonly string[], capDrop: readonly string[], bounding?: bigint): string[] {
  const all = allCapabilities(bounding);
  if (privileged) return all;
  const add = capAdd.map(normalizeCapability);
  const drop = capDrop.map(normalizeCapability);
  if (add.includes('ALL')) return all.filter((c) => !drop.includes(c) || add.includes(c));
  const base = drop.includes('ALL') ? [] : DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c));
  for (const c of add) if (!base.includes(c)) base.push(c);
  return base;
}

export function generateSpec(input: SpecInput): Record<string, unknown> {
  const caps = effectiveCapabilities(input.privileged, input.capAdd, input.capDrop);
  const mounts: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', input.privileged ? 'rw' : 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', input.privileged ? 'rw' : 'ro'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${input.shmSize}`] },
  ];
  for (const b of input.binds) {
    mounts.push({ destination: b.destination, type: 'bind', source: b.source, options: ['rbind', 'rprivate', b.readonly ? 'ro' : 'rw'] });
  }
  const namespaces: Array<{ type: string; path?: string }> = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }];
  if (input.network.kind === 'private') namespaces.push({ type: 'network' });
  else if (input.network.kind === 'path') namespaces.push({ type: 'network', path: input.network.path });
  if (input.cgroupNamespace) namespaces.push({ type: 'cgroup' });

  const linux: Record<string, unknown> = {
    namespaces,
    cgroupsPath: input.cgroupsPath,
    resources: {
      ...(input.resources ?? {}),
      devices: input.privileged
        ? [{ allow: true, access: 'rwm' }]
        : [
            { allow: false, access: 'rwm' },
            { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' },
            { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
            { allow: true, type: 'c', major: 1, minor: 9, access: 'rwm' },
            { allow: true, type: 'c', major: 1, minor: 8, access: 'rwm' },
            { allow: true, type: 'c', major: 5, minor: 0, access: 'rwm' },
            { allow: true, type: 'c', major: 5, minor: 1, access: 'rwm' },
            { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' },
          ],
    },
  };
  if (input.devices !== undefined && input.devices.length > 0) {
    linux['devices'] = input.devices.map(({ access: _a, ...d }) => ({ ...d }));
    const rules = (linux['resources'] as { devices: unknown[] }).devices;
    for (const d of input.devices) rules.push({ allow: true, type: d.type, major: d.major, minor: d.minor, access: d.access });
  }
  if (input.seccomp !== undefined) linux['seccomp'] = input.seccomp;
  if (input.sysctls !== undefined && Object.keys(input.sysctls).length > 0) linux['sysctl'] = { ...input.sysctls };
  if (!input.privileged) {
    linux['maskedPaths'] = [...MASKED_PATHS, ...(input.thermalThrottlePaths ?? [])];
    linux['readonlyPaths'] = [...READONLY_PATHS];
  }

  const spec: Record<string, unknown> = {
    ociVersion: '1.0.2',
    process: {
      terminal: input.terminal,
      user: { uid: input.uid, gid: input.gid, ...(input.additionalGids.length > 0 ? { additionalGids: [...input.additionalGids] } : {}) },
      args: [...input.args],
      env: [...input.env],
      cwd: input.cwd,
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges: input.noNewPrivileges === true,
      ...(input.rlimits !== undefined && input.rlimits.length > 0 ? { rlimits: input.rlimits.map((r) => ({ ...r })) } : {}),
      ...(input.oomScoreAdj !== undefined && input.oomScoreAdj !== 0 ? { oomScoreAdj: input.oomScoreAdj } : {}),
    },
    root: { path: input.rootfs, readonly: input.readonlyRootfs },
    hostname: input.hostname,
    mounts,
    linux,
  };
  if (input.domainname !== undefined && input.domainname !== '') spec['domainname'] = input.domainname;
  if (input.annotations !== undefined) spec['annotations'] = { ...input.annotations };
  return spec;
}
