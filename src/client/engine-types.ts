/** The Engine API's JSON shapes that the berth CLI sends and reads (subset, Docker's field names). */

export interface HostConfigRequest {
  Ulimits?: Array<{ Name: string; Soft: number; Hard: number }>;
  OomScoreAdj?: number;
  NetworkMode?: string;
  AutoRemove?: boolean;
  RestartPolicy?: { Name: string; MaximumRetryCount: number };
  Privileged?: boolean;
  CapAdd?: string[];
  CapDrop?: string[];
  ReadonlyRootfs?: boolean;
  ShmSize?: number;
  Dns?: string[];
  DnsSearch?: string[];
  DnsOptions?: string[];
  ExtraHosts?: string[];
  Init?: boolean;
  LogConfig?: { Type: string; Config: Record<string, string> };
  Binds?: string[];
  Tmpfs?: Record<string, string>;
  Mounts?: unknown[];
  VolumesFrom?: string[];
  PortBindings?: Record<string, Array<{ HostIp: string; HostPort: string }>>;
  PublishAllPorts?: boolean;
}

export interface ContainerCreateRequest {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  Hostname?: string;
  Domainname?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, object>;
  Volumes?: Record<string, object>;
  Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
  HostConfig: HostConfigRequest;
  NetworkingConfig?: { EndpointsConfig: Record<string, { Aliases?: string[]; IPAMConfig?: { IPv4Address: string }; MacAddress?: string }> };
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  Ports: Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }>;
  Labels: Record<string, string> | null;
  State: string;
  Status: string;
  SizeRw?: number;
  SizeRootFs?: number;
  Mounts: Array<{ Name?: string; Source?: string; Destination?: string }>;
  NetworkSettings?: { Networks?: Record<string, unknown> };
}

export interface ImageSummary {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created: number;
  Size: number;
  Labels: Record<string, string> | null;
  Containers: number;
}

export interface ContainerInspect {
  Id: string;
  Name: string;
  State: { Status: string; Running: boolean; ExitCode: number; Error: string };
  Config: { Tty: boolean; OpenStdin: boolean };
  [key: string]: unknown;
}

export interface WaitResponse {
  StatusCode: number;
  Error?: { Message: string } | null;
}

/** GET /containers/json items as `ps` reads them: ContainerSummary plus mount drivers and the image platform. */
export interface ContainerListEntry extends Omit<ContainerSummary, 'Mounts'> {
  Mounts: Array<{ Name?: string; Source?: string; Destination?: string; Driver?: string }> | null;
  ImageManifestDescriptor?: { platform?: { architecture: string; os: string; variant?: string } } | null;
}

/** What `start --attach` and `logs` need from GET /containers/{id}/json. */
export interface ContainerAttachInfo {
  Id: string;
  Config: { Tty: boolean; OpenStdin: boolean };
  HostConfig: { AutoRemove: boolean };
}

/** POST /containers/prune. */
export interface ContainerPruneResponse {
  ContainersDeleted: string[] | null;
  SpaceReclaimed: number;
}

/** GET /images/json items with the fields `images --format` reads beyond ImageSummary. */
export interface ImageListEntry extends ImageSummary {
  ParentId?: string;
  SharedSize?: number;
}

/** GET /images/{name}/history items. */
export interface ImageHistoryItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

/** DELETE /images/{name} items, and the ImagesDeleted of POST /images/prune. */
export interface ImageDeleteResponseItem {
  Untagged?: string;
  Deleted?: string;
}

/** POST /images/prune. */
export interface ImagePruneResponse {
  ImagesDeleted: ImageDeleteResponseItem[] | null;
  SpaceReclaimed: number;
}

/** One message of a JSON progress stream (POST /images/create, push, load). */
export interface JsonStreamMessage {
  status?: string;
  id?: string;
  stream?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { code?: number; message?: string };
  aux?: unknown;
}

/** GET /version. */
export interface SystemVersionResponse {
  Platform?: { Name: string };
  Components?: Array<{ Name: string; Version: string; Details?: Record<string, string> | null }>;
  Version: string;
  ApiVersion: string;
  MinAPIVersion?: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  KernelVersion?: string;
  Experimental?: boolean;
  BuildTime?: string;
}

/** GET /info: the fields the `info` text layout reads (the rest passes through to --format). */
export interface SystemInfoResponse {
  ID?: string;
  Containers?: number;
  ContainersRunning?: number;
  ContainersPaused?: number;
  ContainersStopped?: number;
  Images?: number;
  Driver?: string;
  DriverStatus?: Array<[string, string]> | null;
  SystemStatus?: Array<[string, string]> | null;
  Plugins?: { Volume?: string[] | null; Network?: string[] | null; Authorization?: string[] | null; Log?: string[] | null };
  Debug?: boolean;
  NFd?: number;
  NGoroutines?: number;
  SystemTime?: string;
  NEventsListener?: number;
  LoggingDriver?: string;
  CgroupDriver?: string;
  CgroupVersion?: string;
  KernelVersion?: string;
  OperatingSystem?: string;
  OSType?: string;
  Architecture?: string;
  NCPU?: number;
  MemTotal?: number;
  DockerRootDir?: string;
  HttpProxy?: string;
  HttpsProxy?: string;
  NoProxy?: string;
  Name?: string;
  Labels?: string[] | null;
  ExperimentalBuild?: boolean;
  ServerVersion?: string;
  Runtimes?: Record<string, unknown> | null;
  DefaultRuntime?: string;
  Swarm?: { NodeID?: string; NodeAddr?: string; LocalNodeState?: string; ControlAvailable?: boolean; Error?: string; RemoteManagers?: Array<{ Addr: string }> | null };
  LiveRestoreEnabled?: boolean;
  Isolation?: string;
  InitBinary?: string;
  ContainerdCommit?: { ID?: string };
  RuncCommit?: { ID?: string };
  InitCommit?: { ID?: string };
  SecurityOptions?: string[] | null;
  ProductLicense?: string;
  DefaultAddressPools?: Array<{ Base: string; Size: number }> | null;
  CDISpecDirs?: string[] | null;
  RegistryConfig?: {
    IndexConfigs?: Record<string, { Name: string; Secure: boolean }> | null;
    InsecureRegistryCIDRs?: string[] | null;
    Mirrors?: string[] | null;
  } | null;
  Warnings?: string[] | null;
  [key: string]: unknown;
}

/** GET /networks items: the fields `network ls` reads (network.Summary). */
export interface NetworkSummary {
  Name: string;
  Id: string;
  Created: string;
  Scope: string;
  Driver: string;
  EnableIPv4?: boolean;
  EnableIPv6: boolean;
  Internal: boolean;
  Labels: Record<string, string> | null;
}

/** One IPAM.Config entry of a network (network.IPAMConfig). */
export interface NetworkIpamConfig {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

/** POST /networks/create. */
export interface NetworkCreateRequest {
  Name: string;
  Driver: string;
  Scope: string;
  EnableIPv4?: boolean;
  EnableIPv6?: boolean;
  IPAM: { Driver: string; Config: NetworkIpamConfig[]; Options: Record<string, string> };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigOnly: boolean;
  ConfigFrom: { Network: string } | null;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

/** POST /networks/create answer. */
export interface NetworkCreateResponse {
  Id: string;
  Warning?: string;
}

/** POST /networks/prune. */
export interface NetworkPruneResponse {
  NetworksDeleted: string[] | null;
}

/** POST /networks/{id}/connect. */
export interface NetworkConnectRequest {
  Container: string;
  EndpointConfig: {
    IPAMConfig: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] };
    Links: string[] | null;
    Aliases: string[] | null;
    DriverOpts: Record<string, string>;
    GwPriority: number;
  };
}

/** POST /networks/{id}/disconnect. */
export interface NetworkDisconnectRequest {
  Container: string;
  Force: boolean;
}

/** A volume as GET /volumes/{name} and GET /volumes list it (docker's volume.Volume). */
export interface VolumeResponse {
  ClusterVolume?: VolumeClusterInfo | null;
  CreatedAt?: string;
  Driver: string;
  Labels: Record<string, string> | null;
  Mountpoint: string;
  Name: string;
  Options: Record<string, string> | null;
  Scope: string;
  Status?: Record<string, unknown> | null;
  UsageData?: { RefCount: number; Size: number } | null;
}

/** The parts of a cluster volume that `volume ls` shows. */
export interface VolumeClusterInfo {
  Spec?: { Group?: string; Availability?: string };
  Info?: { VolumeID?: string } | null;
  PublishStatus?: unknown[] | null;
}

/** GET /volumes. */
export interface VolumeListResponse {
  Volumes: VolumeResponse[] | null;
  Warnings: string[] | null;
}

/** A cluster volume's spec, as `volume create` sends it when a cluster option is set. */
export interface VolumeClusterSpecRequest {
  Group?: string;
  AccessMode: { Scope?: string; Sharing?: string; MountVolume?: Record<string, never>; BlockVolume?: Record<string, never> };
  AccessibilityRequirements: { Requisite?: Array<{ Segments: Record<string, string> }>; Preferred?: Array<{ Segments: Record<string, string> }> };
  CapacityRange: { RequiredBytes: number; LimitBytes: number };
  Secrets?: Array<{ Key: string; Secret: string }>;
  Availability?: string;
}

/** POST /volumes/create; Go leaves out empty fields. */
export interface VolumeCreateRequest {
  ClusterVolumeSpec?: VolumeClusterSpecRequest;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels?: Record<string, string>;
  Name?: string;
}

/** POST /volumes/prune. */
export interface VolumePruneResponse {
  VolumesDeleted: string[] | null;
  SpaceReclaimed: number;
}
