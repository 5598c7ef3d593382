import os from 'node:os';
import { promises as fs } from 'node:fs';
import { API_VERSION, MIN_API_VERSION } from '../api-version.js';
import type { Router } from '../router.js';

/** What `/version` and `/info` report, gathered by the daemon. */
export interface SystemInfo {
  readonly version: string;
  readonly gitCommit: string;
  readonly runtimeName: string;
  readonly runtimes: Readonly<Record<string, string>>;
  readonly dataRoot: string;
  readonly cgroupVersion: '1' | '2';
  readonly daemonId: string;
  /** daemon.json insecure-registries (names and CIDRs) and registry-mirrors. */
  readonly registry?: { readonly insecureRegistries: readonly string[]; readonly mirrors: readonly string[] };
  counts(): { containers: number; running: number; paused: number; stopped: number; images: number };
}

function dockerArch(): string {
  switch (process.arch) {
    case 'x64': return 'amd64';
    case 'ia32': return '386';
    default: return process.arch;
  }
}

/** Docker's RegistryConfig: insecure CIDRs, one IndexConfig per named registry, mirrors with a trailing slash. */
function registryConfigJson(reg: SystemInfo['registry']): Record<string, unknown> {
  const insecure = reg?.insecureRegistries ?? [];
  const mirrors = (reg?.mirrors ?? []).map((m) => (m.endsWith('/') ? m : `${m}/`));
  const cidrs = insecure.filter((e) => /\/\d+$/.test(e));
  const names = insecure.filter((e) => !/\/\d+$/.test(e));
  const indexConfigs: Record<string, unknown> = {
    'docker.io': { Name: 'docker.io', Mirrors: mirrors, Secure: true, Official: true },
  };
  for (const n of names) indexConfigs[n] = { Name: n, Mirrors: [], Secure: false, Official: false };
  return { IndexConfigs: indexConfigs, InsecureRegistryCIDRs: [...cidrs, '::1/128', '127.0.0.0/8'], Mirrors: mirrors };
}

export function systemRoutes(router: Router, info: SystemInfo): void {
  const ping = async (ctx: Parameters<Parameters<Router['add']>[2]>[0]): Promise<void> => {
    const res = ctx.res;
    if (res === undefined) return;
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-cache, no-store, must-revalidate',
      Pragma: 'no-cache',
      'Builder-Version': '1',
      Swarm: 'inactive',
      'Content-Length': ctx.req.method === 'HEAD' ? '0' : '2',
    });
    res.end(ctx.req.method === 'HEAD' ? undefined : 'OK');
  };
  router
    .add('GET', '/_ping', ping)
    .add('HEAD', '/_ping', ping)
    .add('GET', '/version', async (ctx) => {
      const kernel = os.release();
      ctx.sendJson(200, {
        Platform: { Name: 'berth' },
        Components: [
          {
            Name: 'Engine',
            Version: info.version,
            Details: {
              ApiVersion: API_VERSION, Arch: dockerArch(), BuildTime: '', Experimental: 'false', GitCommit: info.gitCommit,
              GoVersion: `node${process.versions.node}`, KernelVersion: kernel, MinAPIVersion: MIN_API_VERSION, Os: 'linux',
            },
          },
          { Name: info.runtimeName, Version: '', Details: { GitCommit: '' } },
        ],
        Version: info.version,
        ApiVersion: API_VERSION,
        MinAPIVersion: MIN_API_VERSION,
        GitCommit: info.gitCommit,
        GoVersion: `node${process.versions.node}`,
        Os: 'linux',
        Arch: dockerArch(),
        KernelVersion: kernel,
        BuildTime: '',
      });
    })
    .add('GET', '/info', async (ctx) => {
      const c = info.counts();
      const osRelease = await fs.readFile('/etc/os-release', 'utf8').catch(() => '');
      const prettyName = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease)?.[1] ?? 'Linux';
      ctx.sendJson(200, {
        ID: info.daemonId,
        Containers: c.containers,
        ContainersRunning: c.running,
        ContainersPaused: c.paused,
        ContainersStopped: c.stopped,
        Images: c.images,
        Driver: 'overlay2',
        DriverStatus: [['Backing Filesystem', 'extfs'], ['Supports d_type', 'true'], ['Using metacopy', 'false'], ['Native Overlay Diff', 'true']],
        Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'none'], Authorization: null, Log: ['json-file'] },
        MemoryLimit: true,
        SwapLimit: true,
        CpuCfsPeriod: true,
        CpuCfsQuota: true,
        CPUShares: true,
        CPUSet: true,
        PidsLimit: true,
        IPv4Forwarding: true,
        Debug: false,
        NFd: 0,
        OomKillDisable: false,
        NGoroutines: 0,
        SystemTime: new Date().toISOString(),
        LoggingDriver: 'json-file',
        CgroupDriver: 'cgroupfs',
        CgroupVersion: info.cgroupVersion,
        NEventsListener: 0,
        KernelVersion: os.release(),
        OperatingSystem: prettyName,
        OSVersion: /^VERSION_ID="?([^"\n]*)"?/m.exec(osRelease)?.[1] ?? '',
        OSType: 'linux',
        Architecture: os.machine(),
        IndexServerAddress: 'https://index.docker.io/v1/',
        RegistryConfig: registryConfigJson(info.registry),
        NCPU: os.cpus().length,
        MemTotal: os.totalmem(),
        GenericResources: null,
        DockerRootDir: info.dataRoot,
        HttpProxy: '',
        HttpsProxy: '',
        NoProxy: '',
        Name: os.hostname(),
        Labels: [],
        ExperimentalBuild: false,
        ServerVersion: info.version,
        Runtimes: Object.fromEntries(Object.entries(info.runtimes).map(([name, path]) => [name, { path }])),
        DefaultRuntime: info.runtimeName,
        Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
        LiveRestoreEnabled: true,
        Isolation: '',
        InitBinary: 'tini',
        ContainerdCommit: { ID: '' },
        RuncCommit: { ID: '' },
        InitCommit: { ID: '' },
        SecurityOptions: [`name=cgroupns`].filter(() => info.cgroupVersion === '2'),
        Warnings: null,
      });
    });
}
