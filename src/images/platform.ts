import { invalidArgument } from '../engine-error.js';

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

const OSES = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos']);
const ARCHES = new Set(['386', 'amd64', 'arm', 'arm64', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le', 'ppc64', 'ppc64le', 'riscv64', 's390x', 'wasm']);
const ARCH_ALIASES: Readonly<Record<string, string>> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', i386: '386', i686: '386', armhf: 'arm', armel: 'arm' };

/** Parses `os[/arch[/variant]]` (or a bare architecture) as containerd's platforms package does. */
export function parsePlatform(spec: string, hostArch: string): Platform {
  const parts = spec.toLowerCase().split('/');
  const bad = (): never => { throw invalidArgument(`"${spec}": unknown operating system or architecture: invalid argument`); };
  const arch = (a: string): string => ARCH_ALIASES[a] ?? a;
  if (parts.length === 1) {
    const p = parts[0] ?? '';
    if (OSES.has(p)) return { os: p, architecture: hostArch };
    if (ARCHES.has(arch(p))) return { os: 'linux', architecture: arch(p) };
    return bad();
  }
  if (parts.length > 3) return bad();
  const [os = '', a = '', variant] = parts;
  if (!OSES.has(os) || !ARCHES.has(arch(a))) return bad();
  return variant === undefined || variant === '' ? { os, architecture: arch(a) } : { os, architecture: arch(a), variant };
}
