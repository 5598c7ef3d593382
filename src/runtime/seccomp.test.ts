import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CAPABILITIES } from './oci-spec.js';
import { dockerDefaultProfile, ociSeccomp } from './seccomp.js';

const syscallsOf = (s: Record<string, unknown>): string[] =>
  (s['syscalls'] as Array<{ names: string[]; action: string }>).filter((r) => r.action === 'SCMP_ACT_ALLOW').flatMap((r) => r.names);

test('the default profile allows the common syscalls, and the CAP_SYS_ADMIN ones only with that capability', () => {
  const host = { arch: 'x64', kernel: '6.1.0-18-amd64' };
  const plain = ociSeccomp(dockerDefaultProfile(), DEFAULT_CAPABILITIES, host);
  assert.equal(plain['defaultAction'], 'SCMP_ACT_ERRNO');
  assert.deepEqual(plain['architectures'], ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  const allowed = syscallsOf(plain);
  assert.ok(allowed.includes('read') && allowed.includes('clone') && allowed.includes('arch_prctl'));
  // clone3 answers ENOSYS without CAP_SYS_ADMIN, so that libcs fall back to clone (whose flags are filtered).
  const rules = plain['syscalls'] as Array<{ names: string[]; action: string; errnoRet?: number }>;
  assert.ok(rules.some((r) => r.names.includes('clone3') && r.action === 'SCMP_ACT_ERRNO' && r.errnoRet === 38));
  assert.ok(!allowed.includes('mount') && !allowed.includes('unshare') && !allowed.includes('kexec_load'));
  const admin = syscallsOf(ociSeccomp(dockerDefaultProfile(), [...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN'], host));
  assert.ok(admin.includes('mount') && admin.includes('unshare'));
  const arm = ociSeccomp(dockerDefaultProfile(), DEFAULT_CAPABILITIES, { arch: 'arm64', kernel: '6.1' });
  assert.deepEqual(arm['architectures'], ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
  assert.ok(!syscallsOf(arm).includes('arch_prctl'));
});
