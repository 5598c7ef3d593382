import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectCgroups, selectRuntime } from './runtime-select.js';

async function fakeCgroupRoot(layout: 'v2' | 'hybrid-busy' | 'hybrid-empty' | 'v1'): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-cg-'));
  if (layout === 'v2') await fs.writeFile(path.join(root, 'cgroup.controllers'), 'cpu memory pids\n');
  if (layout.startsWith('hybrid')) {
    await fs.mkdir(path.join(root, 'unified'));
    await fs.writeFile(path.join(root, 'unified', 'cgroup.controllers'), layout === 'hybrid-busy' ? 'hugetlb\n' : '\n');
  }
  return root;
}

test('detectCgroups() tells pure v2, hybrid with and without v2 controllers, and v1 apart', async () => {
  for (const [layout, want] of [
    ['v2', { layout: 'v2', v2ControllersInUse: true }],
    ['hybrid-busy', { layout: 'hybrid', v2ControllersInUse: true }],
    ['hybrid-empty', { layout: 'hybrid', v2ControllersInUse: false }],
    ['v1', { layout: 'v1', v2ControllersInUse: false }],
  ] as const) {
    const root = await fakeCgroupRoot(layout);
    assert.deepEqual(await detectCgroups(root), want);
    await fs.rm(root, { recursive: true });
  }
});

test('selectRuntime() avoids crun on a hybrid host with v2 controllers and honours an explicit choice', async () => {
  const hybrid = await selectRuntime(undefined, { layout: 'hybrid', v2ControllersInUse: true });
  assert.equal(hybrid.name, 'runc');
  const v2 = await selectRuntime(undefined, { layout: 'v2', v2ControllersInUse: true });
  assert.equal(v2.name, 'crun');
  assert.equal((await selectRuntime('runc', { layout: 'v2', v2ControllersInUse: true })).name, 'runc');
  await assert.rejects(selectRuntime('no-such-runtime', { layout: 'v2', v2ControllersInUse: true }), /not found/);
});
