import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CAPABILITIES, effectiveCapabilities, generateSpec, type SpecInput } from './oci-spec.js';

const base: SpecInput = {
  rootfs: '/r', args: ['sh'], env: ['PATH=/bin'], cwd: '/', uid: 0, gid: 0, additionalGids: [], hostname: 'h',
  terminal: false, readonlyRootfs: false, network: { kind: 'private' }, privileged: false, capAdd: [], capDrop: [],
  cgroupsPath: '/berth/x', cgroupNamespace: false, shmSize: 67108864, binds: [],
};

test('effectiveCapabilities() gives Docker\'s 14 defaults, minus drops, plus adds in any spelling', () => {
  assert.deepEqual(effectiveCapabilities(false, [], []), [...DEFAULT_CAPABILITIES]);
  const caps = effectiveCapabilities(false, ['net_admin'], ['CAP_CHOWN', 'kill']);
  assert.ok(caps.includes('CAP_NET_ADMIN'));
  assert.ok(!caps.includes('CAP_CHOWN') && !caps.includes('CAP_KILL'));
  assert.deepEqual(effectiveCapabilities(false, ['NET_ADMIN'], ['ALL']), ['CAP_NET_ADMIN']);
});

test('generateSpec() masks Docker\'s paths and mounts /dev/shm with the requested size', () => {
  const spec = generateSpec(base) as { linux: { maskedPaths: string[]; namespaces: Array<{ type: string }> }; mounts: Array<{ destination: string; options: string[] }> };
  assert.ok(spec.linux.maskedPaths.includes('/proc/kcore'));
  const shm = spec.mounts.find((m) => m.destination === '/dev/shm');
  assert.ok(shm?.options.includes('size=67108864'));
  assert.ok(spec.linux.namespaces.some((n) => n.type === 'network'));
});

test('generateSpec() shares the host network namespace for --network host and unmasks for --privileged', () => {
  const spec = generateSpec({ ...base, network: { kind: 'host' }, privileged: true }) as { linux: Record<string, unknown> & { namespaces: Array<{ type: string }> } };
  assert.ok(!spec.linux.namespaces.some((n) => n.type === 'network'));
  assert.equal(spec.linux['maskedPaths'], undefined);
});

test('--privileged and --cap-add ALL give only the capabilities the daemon holds (a host may lack CAP_SYS_RESOURCE)', () => {
  const withoutSysResource = ((1n << 41n) - 1n) & ~(1n << 24n);
  const all = effectiveCapabilities(true, [], [], withoutSysResource);
  assert.equal(all.length, 40);
  assert.ok(!all.includes('CAP_SYS_RESOURCE') && all.includes('CAP_SYS_ADMIN') && all.includes('CAP_CHECKPOINT_RESTORE'));
  assert.ok(!effectiveCapabilities(false, ['ALL'], [], withoutSysResource).includes('CAP_SYS_RESOURCE'));
  assert.equal(effectiveCapabilities(true, [], [], (1n << 41n) - 1n).length, 41);
});
