import type { NetworkCreateRequest, VolumeCreateRequest } from '../../client/engine-types.js';
import type { ComposeProject } from '../loader/load-project.js';
import { isDict, type Dict } from '../normalize/long-syntax.js';
import { LABEL } from './labels.js';

export interface NetworkPlan {
  readonly key: string;
  readonly name: string;
  /** External networks must exist; compose never creates or removes them. */
  readonly external: boolean;
  readonly body: NetworkCreateRequest;
}

export interface VolumePlan {
  readonly key: string;
  readonly name: string;
  readonly external: boolean;
  readonly body: VolumeCreateRequest;
}

const dict = (v: unknown): Dict => (isDict(v) ? v : {});
const stringMap = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries(dict(v)).map(([k, x]) => [k, String(x ?? '')]));

/** The networks of the project with compose v2's create bodies and labels. */
export function planNetworks(project: ComposeProject, composeVersion: string): NetworkPlan[] {
  return Object.entries(dict(project.model['networks'])).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, raw]) => {
    const n = dict(raw);
    const name = typeof n['name'] === 'string' ? n['name'] : `${project.name}_${key}`;
    const ipam = dict(n['ipam']);
    const body: NetworkCreateRequest = {
      Name: name,
      Driver: typeof n['driver'] === 'string' ? n['driver'] : 'bridge',
      Scope: '',
      IPAM: {
        Driver: typeof ipam['driver'] === 'string' ? ipam['driver'] : 'default',
        Config: (Array.isArray(ipam['config']) ? (ipam['config'] as Dict[]) : []).map((c) => ({
          ...(typeof c['subnet'] === 'string' ? { Subnet: c['subnet'] } : {}),
          ...(typeof c['ip_range'] === 'string' ? { IPRange: c['ip_range'] } : {}),
          ...(typeof c['gateway'] === 'string' ? { Gateway: c['gateway'] } : {}),
          ...(isDict(c['aux_addresses']) ? { AuxiliaryAddresses: stringMap(c['aux_addresses']) } : {}),
        })),
        Options: stringMap(ipam['options']),
      },
      Internal: n['internal'] === true,
      Attachable: n['attachable'] === true,
      Ingress: false,
      ConfigOnly: false,
      ConfigFrom: null,
      Options: stringMap(n['driver_opts']),
      Labels: { ...stringMap(n['labels']), [LABEL.network]: key, [LABEL.project]: project.name, [LABEL.version]: composeVersion },
      ...(n['enable_ipv6'] === true ? { EnableIPv6: true } : {}),
    };
    return { key, name, external: n['external'] === true, body };
  });
}

/** The named volumes of the project with compose v2's create bodies and labels. */
export function planVolumes(project: ComposeProject, composeVersion: string): VolumePlan[] {
  return Object.entries(dict(project.model['volumes'])).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, raw]) => {
    const v = dict(raw);
    const name = typeof v['name'] === 'string' ? v['name'] : `${project.name}_${key}`;
    const body: VolumeCreateRequest = {
      Name: name,
      Driver: typeof v['driver'] === 'string' ? v['driver'] : 'local',
      DriverOpts: stringMap(v['driver_opts']),
      Labels: { ...stringMap(v['labels']), [LABEL.project]: project.name, [LABEL.version]: composeVersion, [LABEL.volume]: key },
    };
    return { key, name, external: v['external'] === true, body };
  });
}
