import { promises as fs, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OciRuntime } from '../runtime/oci-runtime.js';
import { DEFAULT_PATH, generateSpec, type BindMount, type NetworkNamespace } from '../runtime/oci-spec.js';
import type { CgroupInfo } from '../runtime/runtime-select.js';
import { resolveInRoot } from '../rootfs/resolve-in-root.js';
import { resolveUser } from '../rootfs/user-lookup.js';
import { mountAt, unmount } from '../snapshots/mounter.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';
import { mergeEnv } from './container-config.js';
import type { ContainerConfig } from './container.js';
import { hostsFile, resolvConf } from './etc-files.js';

export interface ContainerPaths {
  readonly dir: string;
  readonly rootfs: string;
  readonly logPath: string;
  readonly hostsPath: string;
  readonly hostnamePath: string;
  readonly resolvConfPath: string;
}

export function containerPaths(dir: string): ContainerPaths {
  return {
    dir,
    rootfs: path.join(dir, 'rootfs'),
    logPath: path.join(dir, 'container.log'),
    hostsPath: path.join(dir, 'hosts'),
    hostnamePath: path.join(dir, 'hostname'),
    resolvConfPath: path.join(dir, 'resolv.conf'),
  };
}

/**
 * Turns a container's config into a running process: mounts its root
 * filesystem, writes its /etc files and OCI bundle, and has the runtime start
 * it; and undoes that when it has stopped.
 */
export class ContainerRunner {
  private readonly thermalPaths: string[];

  constructor(
    private readonly runtime: OciRuntime,
    private readonly snapshots: Snapshotter,
    private readonly cgroups: CgroupInfo,
  ) {
    this.thermalPaths = [];
    for (let cpu = 0; cpu < os.cpus().length; cpu++) {
      const p = `/sys/devices/system/cpu/cpu${cpu}/thermal_throttle`;
      if (existsSync(p)) this.thermalPaths.push(p);
    }
  }

  get runtimeName(): string {
    return this.runtime.name;
  }

  async start(config: ContainerConfig, name: string, paths: ContainerPaths): Promise<{ pid: number }> {
    await mountAt(this.snapshots.mounts(config.id), paths.rootfs);
    try {
      const user = await resolveUser(paths.rootfs, config.user);
      const cwd = config.workingDir === '' ? '/' : path.posix.resolve('/', config.workingDir);
      if (cwd !== '/') await fs.mkdir(await resolveInRoot(paths.rootfs, cwd), { recursive: true, mode: 0o755 });
      await this.writeEtcFiles(config, paths);
      const env = mergeEnv(
        [...(config.env.some((e) => e.startsWith('PATH=')) ? [] : [`PATH=${DEFAULT_PATH}`]), `HOSTNAME=${config.hostname}`, ...(config.tty ? ['TERM=xterm'] : [])],
        config.env,
      );
      const binds: BindMount[] = [
        { source: paths.hostnamePath, destination: '/etc/hostname', readonly: false },
        { source: paths.hostsPath, destination: '/etc/hosts', readonly: false },
        { source: paths.resolvConfPath, destination: '/etc/resolv.conf', readonly: false },
      ];
      const spec = generateSpec({
        rootfs: paths.rootfs,
        args: [config.path, ...config.args],
        env,
        cwd,
        uid: user.uid,
        gid: user.gid,
        additionalGids: user.additionalGids,
        hostname: config.hostname,
        domainname: config.domainname,
        terminal: config.tty,
        readonlyRootfs: config.host.readonlyRootfs,
        network: networkNamespace(config.host.networkMode),
        privileged: config.host.privileged,
        capAdd: config.host.capAdd,
        capDrop: config.host.capDrop,
        cgroupsPath: `/berth/${config.id}`,
        cgroupNamespace: this.cgroups.layout === 'v2',
        shmSize: config.host.shmSize,
        binds,
        thermalThrottlePaths: this.thermalPaths,
      });
      await fs.writeFile(path.join(paths.dir, 'config.json'), JSON.stringify(spec));
      return await this.runtime.start({
        id: config.id, name, bundle: paths.dir, logPath: paths.logPath, terminal: config.tty, stdin: config.openStdin,
      });
    } catch (e: unknown) {
      await unmount(paths.rootfs).catch(() => undefined);
      throw e;
    }
  }

  /** Releases what a stopped container held: the runtime's state and the rootfs mount. */
  async cleanup(id: string, paths: ContainerPaths): Promise<void> {
    await Promise.all([this.runtime.delete(id), unmount(paths.rootfs)]);
  }

  private async writeEtcFiles(config: ContainerConfig, paths: ContainerPaths): Promise<void> {
    const hostNet = config.host.networkMode === 'host';
    const hostResolv = await fs.readFile('/etc/resolv.conf', 'utf8').catch(() => '');
    const hosts = hostNet
      ? await fs.readFile('/etc/hosts', 'utf8').catch(() => hostsFile({ hostname: config.hostname, domainname: '', extraHosts: [] }))
      : hostsFile({ hostname: config.hostname, domainname: config.domainname, extraHosts: config.host.extraHosts });
    await Promise.all([
      fs.writeFile(paths.hostnamePath, `${config.hostname}\n`),
      fs.writeFile(paths.hostsPath, hosts),
      fs.writeFile(paths.resolvConfPath, resolvConf(hostResolv, {
        dns: config.host.dns, dnsSearch: config.host.dnsSearch, dnsOptions: config.host.dnsOptions, keepLoopback: hostNet,
      })),
    ]);
  }
}

function networkNamespace(mode: string): NetworkNamespace {
  if (mode === 'host') return { kind: 'host' };
  // none, and until the bridge network lands, bridge too: a private namespace with loopback only.
  return { kind: 'private' };
}
