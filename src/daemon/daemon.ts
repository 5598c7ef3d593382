import { promises as fs } from 'node:fs';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createApiServer } from '../api/http-server.js';
import { containerRoutes } from '../api/routes/containers.js';
import { execRoutes } from '../api/routes/exec.js';
import { ExecService } from '../containers/exec-service.js';
import { HealthMonitor } from '../containers/health-monitor.js';
import { LogRotator } from '../containers/log-rotator.js';
import { logPolicy } from '../containers/log-policy.js';
import { hostHardLimit, hostResources } from '../runtime/host-limits.js';
import { imageRoutes } from '../api/routes/images.js';
import { networkRoutes } from '../api/routes/networks.js';
import { volumeRoutes } from '../api/routes/volumes.js';
import { archiveRoutes } from '../api/routes/archive.js';
import { buildRoutes } from '../api/routes/build.js';
import { commitRoutes } from '../api/routes/commit.js';
import { CommitService } from '../build/commit-service.js';
import { BuildCache } from '../build/build-cache.js';
import { BuildService } from '../build/build-service.js';
import { ContainerStepRunner, TransientImages } from '../build/container-step-runner.js';
import { VolumeService } from '../volumes/volume-service.js';
import { VolumeStore } from '../volumes/volume-store.js';
import { systemRoutes } from '../api/routes/system.js';
import { eventRoutes } from '../api/routes/events.js';
import { statsRoutes } from '../api/routes/stats.js';
import { systemDfRoutes } from '../api/routes/system-df.js';
import { StatsService } from '../containers/stats/stats-service.js';
import { Router } from '../api/router.js';
import { ContainerRunner } from '../containers/container-runner.js';
import { ContainerService, type ImageLookup } from '../containers/container-service.js';
import { ContainerStore } from '../containers/container-store.js';
import { isRunningStatus } from '../containers/container.js';
import { LocalContentStore } from '../content/local-content-store.js';
import { EngineError, errnoCode, invalidArgument } from '../engine-error.js';
import { EventBus } from '../events/event-bus.js';
import { ImageService } from '../images/image-service.js';
import { ImageStore, type LayerRef } from '../images/image-store.js';
import type { ImageConfig } from '../images/image-config.js';
import { RegistryClient } from '../registry/registry-client.js';
import { ConmonRuntime } from '../runtime/conmon-runtime.js';
import { detectCgroups, findExecutable, selectRuntime } from '../runtime/runtime-select.js';
import { OverlaySnapshotter } from '../snapshots/overlay-snapshotter.js';
import { CniBridgeDriver, type BridgeEndpointState } from '../networks/cni/bridge-driver.js';
import { NetnsManager } from '../networks/netns.js';
import { NetworkService } from '../networks/network-service.js';
import { NetworkStore } from '../networks/network-store.js';
import { PortAllocator } from '../networks/port-allocator.js';
import { layoutFor, prepareLayout } from '../storage/layout.js';
import { socketPath, type DaemonConfig } from './daemon-config.js';
import { BERTH_VERSION } from './version.js';

export interface RunningDaemon {
  readonly servers: readonly Server[];
  shutdown(): Promise<void>;
}

/** Builds the engine from its parts, recovers state, and serves the API. */
export async function startDaemon(cfg: DaemonConfig, log: (msg: string) => void): Promise<RunningDaemon> {
  const layout = layoutFor(cfg.dataRoot, cfg.execRoot);
  await prepareLayout(layout);
  await takePidfile(cfg.pidfile);

  const conmon = await findExecutable('conmon');
  if (conmon === undefined) throw new EngineError('internal', 'conmon not found in PATH: run scripts/setup.sh');
  const cgroups = await detectCgroups();
  const runtimeChoice = await selectRuntime(cfg.runtime, cgroups);
  log(`using runtime ${runtimeChoice.name} (${runtimeChoice.path}), cgroups ${cgroups.layout}`);

  const events = new EventBus();
  const content = new LocalContentStore(layout.blobsDir, layout.ingestDir);
  await content.recover();
  const snapshots = new OverlaySnapshotter(layout.snapshotsDir);
  await snapshots.load();
  const imageStore = new ImageStore(layout.imagesDir, content);
  await imageStore.load();
  const containerStore = new ContainerStore(layout.containersDir);
  await containerStore.load();

  const runtime = new ConmonRuntime({
    runtimeName: runtimeChoice.name,
    runtimePath: runtimeChoice.path,
    conmonPath: conmon,
    stateDir: path.join(layout.runtimeStateDir, runtimeChoice.name),
    exitsDir: layout.exitsDir,
    conmonPidDir: layout.conmonPidDir,
    containerPidDir: layout.containerPidDir,
    socketsDir: layout.socketsDir,
  });
  const cniDir = await findCniPlugins();
  const networkStore = new NetworkStore(layout.networksDir);
  await networkStore.load();
  const networks = new NetworkService(
    networkStore,
    new CniBridgeDriver(cniDir, path.join(layout.networksDir, 'ipam')),
    new PortAllocator(),
    new NetnsManager(layout.netnsDir),
    events,
    { bridgeName: cfg.bridge, addressPools: cfg.addressPools, ...(cfg.bip !== undefined ? { bip: cfg.bip } : {}) },
    (networkId) => containerStore.all().flatMap((r) => (r.state.network?.endpoints ?? [])
      .filter((e) => e.networkId === networkId)
      .map((e) => ({ containerId: r.config.id, name: r.name, endpoint: e as BridgeEndpointState, dns: r.config.host.dns }))),
    log,
  );
  await networks.init();
  const volumeStore = new VolumeStore(layout.volumesDir);
  await volumeStore.load();
  const volumes = new VolumeService(volumeStore, events, (name) => containers?.usersOfVolume(name) ?? []);
  const runner = new ContainerRunner(runtime, snapshots, cgroups, networks, volumes);

  // The two services need each other (an image in use cannot be removed; a
  // container is made from an image): each gets a narrow view of the other.
  let containers: ContainerService | undefined;
  const images = new ImageService(imageStore, content, snapshots, events, (id) => containers?.usersOfImage(id) ?? [], new RegistryClient(cfg.registry));
  // Build steps run in containers made from states that are not images (yet).
  const transientImages = new TransientImages();
  const buildCache = new BuildCache(path.join(cfg.dataRoot, 'build', 'cache'), content, snapshots);
  await buildCache.load();
  images.setRetainer(() => buildCache.retained());
  const imageLookup: ImageLookup = {
    resolveForContainer: (nameOrId) => {
      const transient = transientImages.get(nameOrId);
      if (transient !== undefined) return transient;
      const image = images.resolve(nameOrId);
      return { id: image.record.id, defaults: image.config.config ?? {}, topChainId: images.topChainId(image) };
    },
    currentId: (nameOrId) => images.find(nameOrId)?.record.id,
    isAncestor: (imageId, nameOrId) => {
      const ancestor = images.find(nameOrId);
      const mine = imageStore.get(imageId);
      if (ancestor === undefined || mine === undefined) return false;
      const a = ancestor.config.rootfs.diff_ids;
      const m = mine.config.rootfs.diff_ids;
      return ancestor.record.id === imageId || (a.length > 0 && a.length <= m.length && a.every((d, i) => m[i] === d));
    },
  };
  // Refuse bad daemon.json log settings now rather than at the first container.
  logPolicy({ type: '', config: {} }, cfg.logDefaults);
  const hostInfo = hostResources(cgroups);
  containers = new ContainerService({
    store: containerStore, runner, runtime, snapshots, images: imageLookup, events, volumes,
    host: { resources: () => hostInfo, hardLimit: (name) => hostHardLimit(name) },
    logDefaults: cfg.logDefaults,
    // Docker answers 400 here, not 404: a 404 would make clients try to pull the image.
    resolveNetwork: (mode, endpoint) => {
      const n = networks.find(mode);
      if (n === undefined) throw invalidArgument(`network ${mode} not found`);
      networks.validateEndpoint(n, endpoint);
      return n.name;
    },
    onRemoved: () => { void images.collectGarbage().catch((e: unknown) => log(`layer cleanup: ${String(e)}`)); },
    imageSize: (id) => {
      const image = imageStore.get(id);
      return image === undefined ? 0 : images.inspect(id).size;
    },
  });
  const containerService = containers;
  const execs = new ExecService({ containers: containerService, runtime, events, sessionsDir: layout.execSessionsDir });
  await execs.sweep();
  runtime.onExit((id) => {
    void containerService.handleExit(id).catch((e: unknown) => log(`exit of ${id}: ${String(e)}`));
  });
  await containerService.recover();
  const health = new HealthMonitor(containerService, execs);
  const running = containerStore.all().filter((r) => r.state.status === 'running').map((r) => r.config.id);
  health.resume(running);
  const rotator = new LogRotator(log);
  const watchLog = (id: string): void => {
    const rec = containerStore.get(id);
    if (rec === undefined) return;
    const paths = containerService.paths(id);
    rotator.watch(id, paths.logPath, logPolicy(rec.config.host.logConfig), () => runtime.reopenLog(id, paths.dir));
  };
  containerService.onStarted(watchLog);
  containerService.onStopped((id) => rotator.unwatch(id));
  for (const id of running) watchLog(id);
  await networks.sweepNamespaces((id) => containerStore.get(id)?.state.network !== undefined);

  const imageRecords = {
    find: (nameOrId: string) => {
      const image = images.find(nameOrId);
      return image === undefined ? undefined : { id: image.record.id, config: image.config, layers: image.record.layers };
    },
    validateTag: (tag: string) => images.validateTag(tag),
    createImage: (config: ImageConfig, layers: readonly LayerRef[], tags: readonly string[]) => images.createImage(config, layers, tags),
  };
  const builder = new BuildService({
    images: {
      ...imageRecords,
      tag: async (id, tags) => { for (const t of tags) await images.tag(id, t, undefined); },
      imageBlobs: () => images.imageBlobs(),
      collectGarbage: () => images.collectGarbage(),
    },
    content,
    snapshots,
    runner: new ContainerStepRunner(containerService, transientImages, (id) => snapshots.upperDir(id)),
    cache: buildCache,
    root: path.join(cfg.dataRoot, 'build'),
    secretsRoot: path.join(cfg.execRoot, 'build-secrets'),
  });
  await builder.recover();

  const router = new Router();
  systemRoutes(router, {
    version: BERTH_VERSION,
    gitCommit: '',
    runtimeName: runtimeChoice.name,
    runtimes: { [runtimeChoice.name]: runtimeChoice.path },
    dataRoot: cfg.dataRoot,
    cgroupVersion: cgroups.layout === 'v2' ? '2' : '1',
    daemonId: createHash('sha256').update(`${os.hostname()}:${cfg.dataRoot}`).digest('hex').slice(0, 36),
    registry: { insecureRegistries: cfg.registry.insecureRegistries, mirrors: cfg.registry.mirrors },
    counts: () => {
      const all = containerStore.all();
      const running = all.filter((r) => r.state.status === 'running' || r.state.status === 'restarting').length;
      const paused = all.filter((r) => r.state.status === 'paused').length;
      return {
        containers: all.length, running, paused,
        stopped: all.filter((r) => !isRunningStatus(r.state.status)).length,
        images: imageStore.all().length,
      };
    },
  });
  containerRoutes(router, containerService, execs);
  execRoutes(router, execs);
  imageRoutes(router, images);
  networkRoutes(router, networks, containerService);
  volumeRoutes(router, volumes);
  archiveRoutes(router, containerService);
  eventRoutes(router, events);
  systemDfRoutes(router, { images, containers: containerService, volumes });
  statsRoutes(router, new StatsService({ resolve: (id) => containerService.resolve(id), layout: cgroups.layout, hostMemory: os.totalmem() }));
  buildRoutes(router, builder);
  commitRoutes(router, new CommitService({ containers: containerService, images: imageRecords, content, snapshots, hold: (held) => buildCache.hold(held) }), containerService);

  const servers: Server[] = [];
  const upgraded = new Set<Duplex>();
  for (const host of cfg.hosts) {
    const server = createApiServer({ router, serverHeader: `berth/${BERTH_VERSION} (linux)`, log });
    server.on('upgrade', (_req, socket: Duplex) => {
      upgraded.add(socket);
      socket.on('close', () => upgraded.delete(socket));
    });
    await listenUnix(server, socketPath(host));
    servers.push(server);
    log(`API listening on ${host}`);
  }

  // Containers whose restart policy brings them back after a daemon restart.
  await containerService.restartAfterBoot().catch((e: unknown) => log(`restart policies: ${String(e)}`));

  return {
    servers,
    shutdown: async () => {
      containerService.shutdown();
      health.close();
      rotator.close();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
      })));
      runtime.close();
      networks.close();
      for (const host of cfg.hosts) await fs.rm(socketPath(host), { force: true });
      await fs.rm(cfg.pidfile, { force: true });
    },
  };
}

/** Where the distribution put the CNI plugins. */
async function findCniPlugins(): Promise<string> {
  for (const dir of ['/usr/lib/cni', '/opt/cni/bin', '/usr/libexec/cni']) {
    if (await fs.access(path.join(dir, 'bridge')).then(() => true, () => false)) return dir;
  }
  throw new EngineError('internal', 'CNI plugins not found (/usr/lib/cni or /opt/cni/bin): run scripts/setup.sh');
}

async function listenUnix(server: Server, file: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.rm(file, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await fs.chmod(file, 0o660);
}

/** Refuses to start when another daemon holds the pid file. */
async function takePidfile(file: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    const pid = Number.parseInt(await fs.readFile(file, 'utf8'), 10);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (cmdline.includes('daemon')) {
          throw new EngineError('conflict', `pid file found, ensure berth is not running or delete ${file}`);
        }
      } catch (e: unknown) {
        if (e instanceof EngineError) throw e;
      }
    }
  } catch (e: unknown) {
    if (e instanceof EngineError) throw e;
    if (errnoCode(e) !== 'ENOENT') throw e;
  }
  await fs.writeFile(file, `${process.pid}`);
}
