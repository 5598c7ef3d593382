import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_RESOURCES, ociResources, ociRlimits, parseCpuList, validateResources, validateUlimits, type ResourceOptions } from './resources.js';

const host = { cpus: 2, swapLimit: true };
const r = (over: Partial<ResourceOptions>): ResourceOptions => ({ ...NO_RESOURCES, ...over });
const MB = 1024 * 1024;

describe('resource limits', () => {
  it('gives a memory limit as much swap again, as Docker does, or none with a warning when the kernel cannot limit swap', () => {
    assert.equal(validateResources(r({ memory: 100 * MB }), host).resources.memorySwap, 200 * MB);
    const noSwap = validateResources(r({ memory: 100 * MB }), { cpus: 2, swapLimit: false });
    assert.equal(noSwap.resources.memorySwap, -1);
    assert.match(noSwap.warnings[0] ?? '', /does not support swap limit capabilities/);
  });

  it('refuses what Docker refuses, with its messages', () => {
    assert.throws(() => validateResources(r({ memory: 1 * MB }), host), /Minimum memory limit allowed is 6MB/);
    assert.throws(() => validateResources(r({ memorySwap: 100 * MB }), host), /You should always set the Memory limit when using Memoryswap limit/);
    assert.throws(() => validateResources(r({ memory: 100 * MB, memorySwap: 50 * MB }), host), /Minimum memoryswap limit should be larger than memory limit/);
    assert.throws(() => validateResources(r({ memory: 10 * MB, memoryReservation: 20 * MB }), host), /can not be less than memory reservation limit/);
    assert.throws(() => validateResources(r({ nanoCpus: 3e9 }), host), /Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available/);
    assert.throws(() => validateResources(r({ nanoCpus: 1e9, cpuQuota: 50000 }), host), /Nano CPUs and CPU Quota cannot both be set/);
    assert.throws(() => validateResources(r({ cpuPeriod: 10 }), host), /CPU cfs period can not be less than 1ms/);
    assert.throws(() => validateResources(r({ cpusetCpus: '0-3' }), host), /Requested CPUs are not available - requested 0-3, available: 0-1/);
    assert.throws(() => validateResources(r({ cpusetCpus: 'a' }), host), /Invalid value a for cpuset cpus/);
  });

  it('turns settings into the OCI resources: --cpus as quota over a 100 ms period', () => {
    assert.deepEqual(ociResources(r({ memory: 100 * MB, memorySwap: 200 * MB, nanoCpus: 1.5e9, cpuShares: 512, pidsLimit: 50 })), {
      memory: { limit: 100 * MB, swap: 200 * MB },
      cpu: { shares: 512, period: 100_000, quota: 150_000 },
      pids: { limit: 50 },
    });
    assert.deepEqual(ociResources(NO_RESOURCES), {});
    assert.deepEqual(ociResources(r({ cpusetCpus: '0', pidsLimit: -1 })), { cpu: { cpus: '0' }, pids: { limit: -1 } });
  });

  it('parses cpu lists', () => {
    assert.deepEqual(parseCpuList('0-2,5'), [0, 1, 2, 5]);
    assert.equal(parseCpuList('2-1'), undefined);
  });

  it('keeps --ulimit within the host\'s hard limits', () => {
    const hard = (n: string): number | undefined => (n === 'nofile' ? 20000 : -1);
    validateUlimits([{ name: 'nofile', soft: 1024, hard: 20000 }, { name: 'nproc', soft: 10, hard: 10 }], hard);
    assert.throws(() => validateUlimits([{ name: 'nofile', soft: 1024, hard: 30000 }], hard), /hard limit 30000 is above the host's hard limit 20000/);
    assert.throws(() => validateUlimits([{ name: 'nofile', soft: 10, hard: 5 }], hard), /soft limit must be less than or equal to hard limit/);
    assert.throws(() => validateUlimits([{ name: 'bogus', soft: 1, hard: 1 }], hard), /invalid ulimit type: bogus/);
    assert.deepEqual(ociRlimits([{ name: 'nofile', soft: 1, hard: 2 }]), [{ type: 'RLIMIT_NOFILE', soft: 1, hard: 2 }]);
  });
});
