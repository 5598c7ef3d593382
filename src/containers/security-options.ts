import { invalidArgument } from '../engine-error.js';

/** What `--security-opt` asks for (the parts berth applies). */
export interface SecurityOptions {
  /** `default`, `unconfined`, or a profile's JSON (the docker CLI sends a file's content). */
  readonly seccomp: string;
  readonly noNewPrivileges: boolean;
}

/** Docker's parsing of HostConfig.SecurityOpt, with its error messages. */
export function parseSecurityOpts(opts: readonly string[]): SecurityOptions {
  let seccomp = 'default';
  let noNewPrivileges = false;
  for (const opt of opts) {
    if (opt === 'no-new-privileges') {
      noNewPrivileges = true;
      continue;
    }
    if (opt === 'disable') continue;
    const sep = opt.includes('=') ? '=' : opt.includes(':') ? ':' : undefined;
    if (sep === undefined) throw invalidArgument(`invalid --security-opt 1: "${opt}"`);
    const k = opt.slice(0, opt.indexOf(sep));
    const v = opt.slice(opt.indexOf(sep) + 1);
    switch (k) {
      case 'seccomp':
        seccomp = v === '' ? 'default' : v;
        break;
      case 'no-new-privileges': {
        const b = parseGoBool(v);
        if (b === undefined) throw invalidArgument(`invalid --security-opt 2: "${opt}"`);
        noNewPrivileges = b;
        break;
      }
      case 'label':
      case 'apparmor':
      case 'writable-cgroups':
        // No SELinux or AppArmor on berth's hosts: accepted and recorded, as Docker does where they are off.
        break;
      default:
        throw invalidArgument(`invalid --security-opt 2: "${opt}"`);
    }
  }
  return { seccomp, noNewPrivileges };
}

function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** Sysctls a container may set (they are namespaced), as Docker allows them. */
export function validateSysctls(sysctls: Readonly<Record<string, string>>, networkMode: string): void {
  for (const key of Object.keys(sysctls)) {
    const ipc = ['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced'];
    if (ipc.includes(key) || key.startsWith('fs.mqueue.')) continue;
    if (key.startsWith('net.')) {
      if (networkMode === 'host') throw invalidArgument(`sysctl '${key}' not allowed in host network namespace`);
      continue;
    }
    throw invalidArgument(`sysctl '${key}' is not allowed`);
  }
}

/** `--device /dev/x[:/dev/y][:rwm]`. */
export interface DeviceMapping {
  readonly pathOnHost: string;
  readonly pathInContainer: string;
  readonly cgroupPermissions: string;
}

export function parseDevice(spec: string): DeviceMapping {
  const parts = spec.split(':');
  const [src = '', second, third] = parts;
  let dst = src;
  let perms = 'rwm';
  if (parts.length > 3 || src === '') throw invalidArgument(`invalid device specification: ${spec}`);
  if (third !== undefined) {
    dst = second ?? src;
    perms = third;
  } else if (second !== undefined) {
    if (/^[rwm]+$/.test(second)) perms = second;
    else dst = second;
  }
  if (!/^[rwm]{1,3}$/.test(perms)) throw invalidArgument(`invalid device mode: ${perms}`);
  if (!src.startsWith('/') || !dst.startsWith('/')) throw invalidArgument(`invalid device specification: ${spec}`);
  return { pathOnHost: src, pathInContainer: dst, cgroupPermissions: perms };
}
