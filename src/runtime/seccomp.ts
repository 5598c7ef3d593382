import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidArgument } from '../engine-error.js';

/** Docker's seccomp profile format (what `--security-opt seccomp=<file>` takes). */
export interface DockerSeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  archMap?: Array<{ architecture: string; subArchitectures: string[] | null }>;
  syscalls?: Array<{
    names?: string[];
    name?: string;
    action: string;
    errnoRet?: number;
    args?: unknown[] | null;
    includes?: SeccompFilter | null;
    excludes?: SeccompFilter | null;
  }>;
}

interface SeccompFilter {
  caps?: string[];
  arches?: string[];
  minKernel?: string;
}

/** Go's GOARCH names for Node's, as the profile's `arches` use them. */
const GO_ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64',
};
const SCMP_ARCH: Readonly<Record<string, string>> = {
  amd64: 'SCMP_ARCH_X86_64', arm64: 'SCMP_ARCH_AARCH64', arm: 'SCMP_ARCH_ARM', '386': 'SCMP_ARCH_X86', ppc64le: 'SCMP_ARCH_PPC64LE',
  s390x: 'SCMP_ARCH_S390X', riscv64: 'SCMP_ARCH_RISCV64', loong64: 'SCMP_ARCH_LOONGARCH64',
};

let defaultProfile: DockerSeccompProfile | undefined;

/** Docker's default profile, shipped in `assets/`. */
export function dockerDefaultProfile(): DockerSeccompProfile {
  if (defaultProfile === undefined) {
    let dir = path.dirname(fileURLToPath(import.meta.url));
    for (let i = 0; i < 6; i++) {
      const candidate = path.join(dir, 'assets', 'seccomp-default.json');
      if (existsSync(candidate)) {
        defaultProfile = JSON.parse(readFileSync(candidate, 'utf8')) as DockerSeccompProfile;
        break;
      }
      dir = path.dirname(dir);
    }
    if (defaultProfile === undefined) throw new Error('assets/seccomp-default.json is missing from the installation');
  }
  return defaultProfile;
}

/** Parses a profile sent in `--security-opt seccomp=<json>` (the docker CLI sends the file's content). */
export function parseProfile(json: string): DockerSeccompProfile {
  let p: unknown;
  try {
    p = JSON.parse(json);
  } catch (e: unknown) {
    throw invalidArgument(`Decoding seccomp profile failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (p === null || typeof p !== 'object' || typeof (p as { defaultAction?: unknown }).defaultAction !== 'string') {
    throw invalidArgument('Decoding seccomp profile failed: the profile needs a defaultAction');
  }
  return p as DockerSeccompProfile;
}

function kernelAtLeast(version: string, min: string): boolean {
  const a = version.split(/[.-]/).map((x) => Number.parseInt(x, 10));
  const b = min.split('.').map((x) => Number.parseInt(x, 10));
  for (let i = 0; i < Math.max(a.length, b.length, 2); i++) {
    const x = Number.isNaN(a[i] ?? 0) ? 0 : (a[i] ?? 0);
    const y = Number.isNaN(b[i] ?? 0) ? 0 : (b[i] ?? 0);
    if (x !== y) return x > y;
  }
  return true;
}

/**
 * The OCI `linux.seccomp` for a profile, as Docker builds it: rules kept only
 * when the container's capabilities, the architecture and the kernel meet their
 * `includes` and not their `excludes`.
 */
export function ociSeccomp(
  profile: DockerSeccompProfile, capabilities: readonly string[],
  host: { arch: string; kernel: string } = { arch: os.arch(), kernel: os.release() },
): Record<string, unknown> {
  const goArch = GO_ARCH[host.arch] ?? host.arch;
  const caps = new Set(capabilities);
  let architectures = profile.architectures ?? [];
  const native = SCMP_ARCH[goArch];
  if (profile.archMap !== undefined && native !== undefined) {
    const entry = profile.archMap.find((a) => a.architecture === native);
    architectures = entry === undefined ? [] : [entry.architecture, ...(entry.subArchitectures ?? [])];
  }
  const syscalls: Array<Record<string, unknown>> = [];
  for (const rule of profile.syscalls ?? []) {
    const ex = rule.excludes ?? undefined;
    if (ex !== undefined) {
      if ((ex.arches ?? []).includes(goArch)) continue;
      if ((ex.caps ?? []).some((c) => caps.has(c))) continue;
      if (ex.minKernel !== undefined && kernelAtLeast(host.kernel, ex.minKernel)) continue;
    }
    const inc = rule.includes ?? undefined;
    if (inc !== undefined) {
      if ((inc.arches ?? []).length > 0 && !(inc.arches ?? []).includes(goArch)) continue;
      if (!(inc.caps ?? []).every((c) => caps.has(c))) continue;
      if (inc.minKernel !== undefined && !kernelAtLeast(host.kernel, inc.minKernel)) continue;
    }
    const names = rule.names ?? (rule.name !== undefined ? [rule.name] : []);
    if (names.length === 0) continue;
    syscalls.push({
      names, action: rule.action,
      ...(rule.errnoRet !== undefined ? { errnoRet: rule.errnoRet } : {}),
      ...(rule.args !== undefined && rule.args !== null && rule.args.length > 0 ? { args: rule.args } : {}),
    });
  }
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet !== undefined ? { defaultErrnoRet: profile.defaultErrnoRet } : {}),
    ...(architectures.length > 0 ? { architectures } : {}),
    syscalls,
  };
}
