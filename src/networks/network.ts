/** Networks and the endpoints containers have on them (native model; Docker's JSON is in api/). */

export type NetworkDriver = 'bridge' | 'host' | 'null';

export interface IpamConfig {
  readonly subnet: string;
  readonly gateway: string;
  readonly ipRange?: string;
}

export interface NetworkRecord {
  readonly id: string;
  readonly name: string;
  readonly driver: NetworkDriver;
  readonly created: string;
  readonly internal: boolean;
  readonly attachable: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly options: Readonly<Record<string, string>>;
  readonly ipam: readonly IpamConfig[];
  /** The bridge device (bridge driver only). */
  readonly bridgeName?: string;
  /** One of the networks every daemon has: bridge, host, none. */
  readonly predefined: boolean;
}

export type PortProtocol = 'tcp' | 'udp' | 'sctp';

/** A published port as the user asked for it ("" host IP: all addresses; 0 host port: any free one). */
export interface PortBinding {
  readonly containerPort: number;
  readonly protocol: PortProtocol;
  readonly hostIp: string;
  readonly hostPort: number;
  /** A range to pick the host port from ("8000-8010"); undefined: exactly hostPort, or ephemeral when 0. */
  readonly hostPortEnd?: number;
}

/** A published port as it was set up. */
export interface PortMapping {
  readonly containerPort: number;
  readonly protocol: PortProtocol;
  readonly hostIp: string;
  readonly hostPort: number;
}

export interface Endpoint {
  readonly networkId: string;
  readonly networkName: string;
  readonly endpointId: string;
  readonly ipAddress: string;
  readonly prefixLen: number;
  readonly gateway: string;
  readonly macAddress: string;
  readonly aliases: readonly string[];
  /** The network's embedded DNS server, for user-defined networks (the default bridge has none). */
  readonly dnsServer?: string;
}

/** What a running container holds on the network side; released when it stops. */
export interface NetworkAttachment {
  readonly netnsPath: string;
  readonly endpoints: readonly Endpoint[];
  readonly ports: readonly PortMapping[];
}
