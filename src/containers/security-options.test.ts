import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDevice, parseSecurityOpts, validateSysctls } from './security-options.js';

describe('security options', () => {
  it('reads seccomp and no-new-privileges in Docker\'s spellings', () => {
    assert.deepEqual(parseSecurityOpts([]), { seccomp: 'default', noNewPrivileges: false });
    assert.deepEqual(parseSecurityOpts(['seccomp=unconfined', 'no-new-privileges']), { seccomp: 'unconfined', noNewPrivileges: true });
    assert.deepEqual(parseSecurityOpts(['no-new-privileges:true', 'apparmor=unconfined']), { seccomp: 'default', noNewPrivileges: true });
    assert.deepEqual(parseSecurityOpts(['no-new-privileges=false']).noNewPrivileges, false);
  });

  it('refuses unknown options with Docker\'s messages', () => {
    assert.throws(() => parseSecurityOpts(['bogus']), /invalid --security-opt 1: "bogus"/);
    assert.throws(() => parseSecurityOpts(['foo=bar']), /invalid --security-opt 2: "foo=bar"/);
    assert.throws(() => parseSecurityOpts(['no-new-privileges=maybe']), /invalid --security-opt 2/);
  });

  it('allows only namespaced sysctls, and no net.* ones on the host network', () => {
    validateSysctls({ 'net.ipv4.ip_forward': '1', 'kernel.shmmax': '1', 'fs.mqueue.msg_max': '10' }, 'bridge');
    assert.throws(() => validateSysctls({ 'kernel.hostname': 'x' }, 'bridge'), /sysctl 'kernel.hostname' is not allowed/);
    assert.throws(() => validateSysctls({ 'net.ipv4.ip_forward': '1' }, 'host'), /not allowed in host network namespace/);
  });

  it('parses --device in its three forms', () => {
    assert.deepEqual(parseDevice('/dev/fuse'), { pathOnHost: '/dev/fuse', pathInContainer: '/dev/fuse', cgroupPermissions: 'rwm' });
    assert.deepEqual(parseDevice('/dev/null:/dev/mynull'), { pathOnHost: '/dev/null', pathInContainer: '/dev/mynull', cgroupPermissions: 'rwm' });
    assert.deepEqual(parseDevice('/dev/null:r'), { pathOnHost: '/dev/null', pathInContainer: '/dev/null', cgroupPermissions: 'r' });
    assert.deepEqual(parseDevice('/dev/null:/dev/n:rw'), { pathOnHost: '/dev/null', pathInContainer: '/dev/n', cgroupPermissions: 'rw' });
    assert.throws(() => parseDevice('/dev/null:/dev/n:xyz'), /invalid device mode: xyz/);
  });
});
