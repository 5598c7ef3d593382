import type { NetworkRecord } from '../../networks/network.js';
import type { NetworkService } from '../../networks/network-service.js';

/** Docker's JSON shape of a network (list and inspect). */
export function networkJson(n: NetworkRecord, containers: ReturnType<NetworkService['containersOn']>, withContainers: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Name: n.name,
    Id: n.id,
    Created: n.created,
    Scope: 'local',
    Driver: n.driver,
    EnableIPv4: true,
    EnableIPv6: false,
    IPAM: {
      Driver: 'default',
      Options: n.predefined ? null : {},
      Config: n.ipam.map((i) => ({ Subnet: i.subnet, Gateway: i.gateway, ...(i.ipRange !== undefined ? { IPRange: i.ipRange } : {}) })),
    },
    Internal: n.internal,
    Attachable: n.attachable,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
  };
  if (withContainers) {
    out['Containers'] = Object.fromEntries(containers.map((c) => [c.containerId, {
      Name: c.name,
      EndpointID: c.endpoint.endpointId,
      MacAddress: c.endpoint.macAddress,
      IPv4Address: c.endpoint.ipAddress === '' ? '' : `${c.endpoint.ipAddress}/${c.endpoint.prefixLen}`,
      IPv6Address: '',
    }]));
  } else {
    out['Containers'] = {};
  }
  // Go encodes maps with sorted keys.
  out['Options'] = sortedKeys(n.options);
  out['Labels'] = sortedKeys(n.labels);
  return out;
}

function sortedKeys(m: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
