/**
 * `info --format` data: docker's dockerInfo struct, an embedded system.Info (API types v28)
 * followed by the client's part, as image-go-struct.ts models Go structs.
 */
import { BERTH_VERSION } from '../../daemon/version.js';
import { CLIENT_API_VERSION } from '../../client/engine-client.js';
import { goStruct, omitted, typedStruct, type GoField } from './image-go-struct.js';
import { goArch } from './version.js';

const s = (name: string, extra: Partial<GoField> = {}): GoField => ({ name, kind: 'string', ...extra });
const n = (name: string, extra: Partial<GoField> = {}): GoField => ({ name, kind: 'number', ...extra });
const b = (name: string, extra: Partial<GoField> = {}): GoField => ({ name, kind: 'bool', ...extra });
const slice = (name: string, extra: Partial<GoField> = {}): GoField => ({ name, kind: 'slice', ...extra });
const ptr = (name: string, extra: Partial<GoField> = {}): GoField => ({ name, kind: 'pointer', ...extra });
const commit = (name: string): GoField => ({ name, kind: 'struct', typeName: 'system.Commit', fields: [s('ID')] });

const SYSTEM_INFO: readonly GoField[] = [
  s('ID'), n('Containers'), n('ContainersRunning'), n('ContainersPaused'), n('ContainersStopped'), n('Images'),
  s('Driver'), slice('DriverStatus'), slice('SystemStatus', { omitempty: true }),
  {
    name: 'Plugins', kind: 'struct', typeName: 'system.PluginsInfo',
    fields: [slice('Volume'), slice('Network'), slice('Authorization'), slice('Log')],
  },
  b('MemoryLimit'), b('SwapLimit'), b('KernelMemory', { omitempty: true }), b('KernelMemoryTCP', { omitempty: true }),
  b('CpuCfsPeriod', { goName: 'CPUCfsPeriod' }), b('CpuCfsQuota', { goName: 'CPUCfsQuota' }), b('CPUShares'), b('CPUSet'),
  b('PidsLimit'), b('IPv4Forwarding'), b('BridgeNfIptables', { omitempty: true }),
  b('BridgeNfIp6tables', { omitempty: true, goName: 'BridgeNfIP6tables' }),
  b('Debug'), n('NFd'), b('OomKillDisable'), n('NGoroutines'), s('SystemTime'), s('LoggingDriver'), s('CgroupDriver'),
  s('CgroupVersion', { omitempty: true }), n('NEventsListener'), s('KernelVersion'), s('OperatingSystem'), s('OSVersion'),
  s('OSType'), s('Architecture'), s('IndexServerAddress'), ptr('RegistryConfig'), n('NCPU'), n('MemTotal'),
  slice('GenericResources'), s('DockerRootDir'), s('HttpProxy', { goName: 'HTTPProxy' }), s('HttpsProxy', { goName: 'HTTPSProxy' }),
  s('NoProxy'), s('Name'), slice('Labels'), b('ExperimentalBuild'), s('ServerVersion'), { name: 'Runtimes', kind: 'map' },
  s('DefaultRuntime'),
  {
    name: 'Swarm', kind: 'struct', typeName: 'swarm.Info',
    fields: [
      s('NodeID'), s('NodeAddr'), s('LocalNodeState'), b('ControlAvailable'), s('Error'), slice('RemoteManagers'),
      n('Nodes', { omitempty: true }), n('Managers', { omitempty: true }), ptr('Cluster', { omitempty: true }),
      slice('Warnings', { omitempty: true }),
    ],
  },
  b('LiveRestoreEnabled'), s('Isolation'), s('InitBinary'), commit('ContainerdCommit'), commit('RuncCommit'), commit('InitCommit'),
  slice('SecurityOptions'), s('ProductLicense', { omitempty: true }), slice('DefaultAddressPools', { omitempty: true }),
  ptr('FirewallBackend', { omitempty: true }), slice('CDISpecDirs'), ptr('Containerd', { omitempty: true }), slice('Warnings'),
];

/** Fields templates may read without asking the daemon (docker's sparseInfo). */
export function clientInfo(debug: boolean): object {
  return goStruct('*system.clientInfo', {
    Debug: debug,
    Version: BERTH_VERSION,
    APIVersion: omitted(''),
    DefaultAPIVersion: CLIENT_API_VERSION,
    GitCommit: omitted(''),
    NodeVersion: process.version,
    Os: process.platform,
    Arch: goArch(),
    BuildTime: omitted(''),
    Context: 'default',
    Plugins: [],
    Warnings: null,
  });
}

/** Only the client part, to find out whether a template needs the daemon. */
export function sparseInfoView(debug: boolean): object {
  return goStruct('system.sparseInfo', { ClientInfo: clientInfo(debug), ClientErrors: omitted([]) });
}

/** dockerInfo for a template: the daemon's /info answer (or zero values) and the client part. */
export function infoView(raw: Record<string, unknown>, debug: boolean): object {
  const info = typedStruct('system.Info', SYSTEM_INFO, raw);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(info)) out[key] = info[key];
  Object.assign(out, { ServerErrors: omitted([]), ClientInfo: clientInfo(debug), ClientErrors: omitted([]) });
  return goStruct('system.dockerInfo', out);
}
