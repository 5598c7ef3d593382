import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256Digest, type Digest } from '../content/digest.js';
import { isEngineError } from '../engine-error.js';
import { EventBus, type EngineEvent } from '../events/event-bus.js';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import type { LayerApply, MountSpec, Snapshotter } from '../snapshots/snapshotter.js';
import { ContainerService } from './container-service.js';
import { ContainerStore } from './container-store.js';

/** Writable layers as a set of keys: enough for the service's bookkeeping. */
class MemorySnapshotter implements Snapshotter {
  readonly active = new Set<string>();
  hasCommitted(): boolean { return true; }
  applyLayer(): Promise<LayerApply> { throw new Error('not used'); }
  async prepare(key: string): Promise<void> { this.active.add(key); }
  mounts(): MountSpec { return { type: 'overlay', source: 'overlay', options: [] }; }
  upperDir(): string { return ''; }
  hasActive(key: string): boolean { return this.active.has(key); }
  activeKeys(): string[] { return [...this.active]; }
  chainsInUse(): Set<Digest> { return new Set(); }
  committedChains(): Digest[] { return []; }
  async usage(): Promise<number> { return 0; }
  async remove(key: string): Promise<void> { this.active.delete(key); }
  async removeCommitted(): Promise<void> { /* none */ }
  committedSize(): number { return 0; }
}

describe('ContainerService', () => {
  let dir: string;
  let runtime: FakeRuntime;
  let snapshots: MemorySnapshotter;
  let events: EventBus;
  let seen: EngineEvent[];
  let svc: ContainerService;
  const imageId = sha256Digest('image');

  const make = async (): Promise<ContainerService> => {
    const store = new ContainerStore(dir);
    await store.load();
    const s = new ContainerService({
      store,
      runtime,
      snapshots,
      events,
      runner: {
        runtimeName: 'fake',
        start: async (config, name, paths) => {
          const { pid } = await runtime.create({ id: config.id, name, bundle: paths.dir, logPath: paths.logPath, terminal: false, stdin: false });
          await runtime.startCreated(config.id);
          return { pid, network: undefined };
        },
        cleanup: (id) => runtime.delete(id),
        restore: () => undefined,
        connectRunning: async (_c, _p, network) => network,
        disconnectRunning: async (_id, network) => network,
      },
      images: {
        resolveForContainer: (name) => {
          if (name !== 'busybox' && name !== imageId) throw Object.assign(new Error(`No such image: ${name}`));
          return { id: imageId, defaults: { Cmd: ['sh'] }, topChainId: undefined };
        },
        isAncestor: () => false,
        currentId: (name) => (name === 'busybox' ? imageId : undefined),
      },
      imageSize: () => 0,
    });
    runtime.onExit((id) => { void s.handleExit(id); });
    await s.recover();
    return s;
  };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-svc-'));
    runtime = new FakeRuntime();
    snapshots = new MemorySnapshotter();
    events = new EventBus();
    seen = [];
    events.subscribe((e) => seen.push(e));
    svc = await make();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const status = (id: string): string => `${svc.resolve(id).state.status} ${svc.resolve(id).state.exitCode}`;

  it('records the exit code when the container exits and wakes next-exit waiters', async () => {
    const { id } = await svc.create({ image: 'busybox', name: 'one' });
    assert.equal(status('one'), 'created 0');
    const waited = svc.wait(id, 'next-exit');
    await svc.start('one');
    assert.equal(status(id), 'running 0');
    runtime.exit(id, 3);
    assert.deepEqual(await waited, { statusCode: 3 });
    assert.equal(status(id), 'exited 3');
    assert.deepEqual(seen.map((e) => e.action), ['create', 'start', 'die']);
    assert.deepEqual(await svc.wait(id, 'not-running'), { statusCode: 3 });
  });

  it('removes an --rm container when it exits and wakes `removed` waiters', async () => {
    const { id } = await svc.create({ image: 'busybox', host: { autoRemove: true } });
    const removed = svc.wait(id, 'removed');
    await svc.start(id);
    runtime.exit(id, 0);
    assert.deepEqual(await removed, { statusCode: 0 });
    assert.equal(svc.find(id), undefined);
    assert.ok(!snapshots.hasActive(id), 'its writable layer is gone');
    assert.deepEqual(seen.map((e) => e.action), ['create', 'start', 'die', 'destroy']);
  });

  it('keeps a failed start as created with Docker\'s 127, and removes it at once with --rm', async () => {
    const { id } = await svc.create({ image: 'busybox', name: 'bad' });
    runtime.failNextStart = 'exec: "nope": executable file not found in $PATH';
    await assert.rejects(svc.start(id), (e: unknown) => isEngineError(e, 'invalid-argument'));
    assert.equal(status(id), 'created 127');
    assert.match(svc.resolve(id).state.error, /executable file not found/);
    const auto = await svc.create({ image: 'busybox', host: { autoRemove: true } });
    runtime.failNextStart = 'exec: "/etc": permission denied';
    await assert.rejects(svc.start(auto.id));
    assert.equal(svc.find(auto.id), undefined);
  });

  it('stop signals, waits for the exit and is a no-op (304) on a stopped container', async () => {
    const { id } = await svc.create({ image: 'busybox' });
    await svc.start(id);
    await svc.stop(id, { timeout: 5 });
    assert.equal(status(id), 'exited 143');
    assert.ok(runtime.calls.includes(`kill ${id} 15`));
    await assert.rejects(svc.stop(id), (e: unknown) => isEngineError(e, 'not-modified'));
    await assert.rejects(svc.kill(id), (e: unknown) => isEngineError(e, 'conflict'));
  });

  it('refuses to remove a running container unless forced', async () => {
    const { id } = await svc.create({ image: 'busybox', name: 'busy' });
    await svc.start(id);
    await assert.rejects(svc.remove(id), /cannot remove container "\/busy": container is running/);
    await svc.remove(id, { force: true });
    assert.equal(svc.find('busy'), undefined);
    assert.ok(runtime.calls.includes(`kill ${id} 9`));
  });

  it('keeps names unique, frees them on rename and remove', async () => {
    const a = await svc.create({ image: 'busybox', name: 'web' });
    await assert.rejects(svc.create({ image: 'busybox', name: 'web' }), (e: unknown) => isEngineError(e, 'conflict'));
    await svc.rename('web', 'web2');
    await svc.create({ image: 'busybox', name: 'web' });
    assert.equal(svc.resolve('web2').config.id, a.id);
    await assert.rejects(svc.rename('web2', 'bad/name'), (e: unknown) => isEngineError(e, 'invalid-argument'));
  });

  it('recover() reconciles: exits recorded meanwhile, monitors gone without a trace (255), survivors kept', async () => {
    const ids = await Promise.all(['exits', 'vanishes', 'survives'].map((name) => svc.create({ image: 'busybox', name })));
    for (const { id } of ids) await svc.start(id);
    const [exits, vanishes, survives] = ids.map((c) => c.id);
    // The daemon is gone while these happen: nobody hears of them.
    runtime.exit(exits ?? '', 4, false);
    runtime.vanish(vanishes ?? '');
    svc = await make();
    assert.equal(status(exits ?? ''), 'exited 4');
    assert.equal(status(vanishes ?? ''), 'exited 255');
    assert.equal(status(survives ?? ''), 'running 0');
  });
  it('pause() and unpause() freeze and thaw a running container, with Docker\'s errors otherwise', async () => {
    const { id } = await svc.create({ image: 'busybox', name: 'pz' });
    await assert.rejects(svc.pause('pz'), { message: `Container ${id} is not running` });
    await svc.start('pz');
    await assert.rejects(svc.unpause('pz'), { message: `Container ${id} is not paused` });
    await svc.pause('pz');
    assert.equal(status(id), 'paused 0');
    assert.equal((await runtime.state(id))?.status, 'paused');
    await assert.rejects(svc.pause('pz'), (e: unknown) => isEngineError(e, 'conflict') && (e as Error).message === `Container ${id} is already paused`);
    await assert.rejects(svc.start('pz'), { message: 'cannot start a paused container, try unpause instead' });
    await svc.unpause('pz');
    assert.equal(status(id), 'running 0');
    assert.deepEqual(seen.map((e) => e.action), ['create', 'start', 'pause', 'unpause']);
  });

  it('kill of a paused container thaws it after the signal, so that it can die', async () => {
    const { id } = await svc.create({ image: 'busybox', name: 'pk' });
    await svc.start(id);
    await svc.pause(id);
    const exited = svc.wait(id, 'next-exit');
    await svc.kill(id, 'SIGKILL');
    assert.deepEqual(await exited, { statusCode: 137 });
    assert.deepEqual(runtime.calls.filter((c) => /^(pause|kill|resume)/.test(c)), [`pause ${id}`, `kill ${id} 9`, `resume ${id}`]);
  });

  it('die events carry the exit code and the run\'s duration in seconds', async () => {
    const { id } = await svc.create({ image: 'busybox' });
    await svc.start(id);
    const exited = svc.wait(id, 'next-exit');
    runtime.exit(id, 2);
    await exited;
    const die = seen.find((e) => e.action === 'die');
    assert.equal(die?.actor.attributes['exitCode'], '2');
    assert.equal(die?.actor.attributes['execDuration'], '0');
  });
});
