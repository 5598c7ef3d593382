import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostHardLimit } from './host-limits.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max processes             95581                95581                processes
Max open files            1024                 20000                files
`;

test('hostHardLimit() reads the hard column of /proc/self/limits', () => {
  assert.equal(hostHardLimit('nofile', LIMITS), 20000);
  assert.equal(hostHardLimit('nproc', LIMITS), 95581);
  assert.equal(hostHardLimit('cpu', LIMITS), -1);
  assert.equal(hostHardLimit('bogus', LIMITS), undefined);
});
