import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDuplicates, parseBind, parseTmpfs, tmpfsOptions } from './mounts.js';

test('parseBind() reads named volumes, host paths and anonymous volumes with their modes', () => {
  assert.deepEqual(parseBind('data:/var/lib/db'), { type: 'volume', name: 'data', destination: '/var/lib/db', readonly: false, noCopy: false, mode: '' });
  assert.deepEqual(parseBind('/srv/code:/app:ro,z'), { type: 'bind', source: '/srv/code', destination: '/app', readonly: true, propagation: 'rprivate', mode: 'ro,z', createSource: true });
  assert.equal((parseBind('/host:/c:rshared') as { propagation: string }).propagation, 'rshared');
  assert.deepEqual(parseBind('/scratch'), { type: 'volume', name: '', destination: '/scratch', readonly: false, noCopy: false, mode: '' });
  assert.equal((parseBind('v1:/d:nocopy') as { noCopy: boolean }).noCopy, true);
});

test('parseBind() refuses what Docker refuses', () => {
  assert.throws(() => parseBind('data:relative'), /mount path must be absolute/);
  assert.throws(() => parseBind('data:/x:bogus'), /invalid mode: bogus/);
  assert.throws(() => parseBind('bad name:/x'), /includes invalid characters for a local volume name/);
  assert.throws(() => parseBind('a:/b:ro:extra'), /invalid volume specification/);
  assert.throws(() => parseBind('/h:/'), /destination can't be '\/'/);
});

test('parseTmpfs() and tmpfsOptions() keep Docker\'s safe defaults unless asked', () => {
  const t = parseTmpfs('/run', 'rw,size=64m');
  assert.deepEqual(t, { type: 'tmpfs', destination: '/run', options: ['rw', 'size=64m'] });
  assert.deepEqual(tmpfsOptions(['rw', 'size=64m']), ['nosuid', 'nodev', 'noexec', 'rw', 'size=64m']);
  assert.deepEqual(tmpfsOptions(['exec']), ['nosuid', 'nodev']);
});

test('checkDuplicates() refuses two mounts on one path', () => {
  assert.throws(() => checkDuplicates([{ destination: '/d' }, { destination: '/d' }]), /Duplicate mount point: \/d/);
});
