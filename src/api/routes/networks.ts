import { invalidArgument, notImplemented } from '../../engine-error.js';
import type { NetworkRecord } from '../../networks/network.js';
import type { NetworkService } from '../../networks/network-service.js';
import { asObject, optBool, optString, optStringMap, optStrings, type JsonObject } from '../convert/json-fields.js';
import { networkJson } from '../convert/network-json.js';
import type { Router } from '../router.js';
import { parseTimeFilter } from '../../units/time-filter.js';

type NetworkBackend = Pick<NetworkService, 'list' | 'resolve' | 'create' | 'remove' | 'prune' | 'containersOn'>;

/** What network connect/disconnect need from the containers. */
export interface ContainerNetworking {
  connectNetwork(idOrName: string, network: { id: string; name: string }, aliases: readonly string[], ipv4Address: string): Promise<void>;
  disconnectNetwork(idOrName: string, network: { id: string; name: string }): Promise<void>;
}

const FILTERS = new Set(['driver', 'id', 'label', 'name', 'scope', 'type', 'dangling']);

/** Docker matches name and id filters as regular expressions. */
function regexMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return value.includes(pattern);
  }
}

function matches(n: NetworkRecord, filters: Record<string, string[]>, inUse: boolean): boolean {
  for (const [k, values] of Object.entries(filters)) {
    if (!FILTERS.has(k)) throw invalidArgument(`invalid filter '${k}'`);
    if (k === 'dangling' && (values.length > 1 || values.some((v) => !['true', 'false', '1', '0'].includes(v)))) {
      throw invalidArgument(`invalid value for filter 'dangling', must be "true" (or "1"), or "false" (or "0")`);
    }
    if (values.length === 0) continue;
    const ok = values.some((v) => {
      switch (k) {
        case 'driver': return n.driver === v;
        case 'id': return regexMatch(v, n.id);
        case 'name': return regexMatch(v, n.name);
        case 'scope': return v === 'local';
        case 'type':
          if (v !== 'custom' && v !== 'builtin') throw invalidArgument(`invalid filter: 'type'='${v}'`);
          return (v === 'builtin') === n.predefined;
        case 'dangling': return (v === 'true' || v === '1') === (!inUse && !n.predefined);
        case 'label': {
          const i = v.indexOf('=');
          return i < 0 ? v in n.labels : n.labels[v.slice(0, i)] === v.slice(i + 1);
        }
        default: return false;
      }
    });
    if (!ok) return false;
  }
  return true;
}

export function networkRoutes(router: Router, svc: NetworkBackend, containers: ContainerNetworking): void {
  router
    .add('GET', '/networks', async (ctx) => {
      const filters = ctx.filters();
      const list = svc.list().filter((n) => matches(n, filters, svc.containersOn(n.id).length > 0));
      ctx.sendJson(200, list.map((n) => networkJson(n, [], false)));
    })
    .add('POST', '/networks/create', async (ctx) => {
      const body = asObject(await ctx.json(), 'NetworkCreateRequest');
      if (body === undefined) throw invalidArgument('network name cannot be empty');
      if (optBool(body, 'EnableIPv6') === true) throw notImplemented('IPv6 networks are not supported yet');
      if (optBool(body, 'EnableIPv4') === false) throw notImplemented('networks without IPv4 are not supported yet');
      const ipam = asObject(body['IPAM'], 'NetworkCreateRequest.IPAM');
      const configs = ipam !== undefined && Array.isArray(ipam['Config']) ? (ipam['Config'] as unknown[]) : [];
      const name = optString(body, 'Name') ?? '';
      const driver = optString(body, 'Driver');
      const internal = optBool(body, 'Internal');
      const attachable = optBool(body, 'Attachable');
      const labels = optStringMap(body, 'Labels');
      const options = optStringMap(body, 'Options');
      const r = await svc.create({
        name,
        ...(driver !== undefined ? { driver } : {}),
        ...(internal !== undefined ? { internal } : {}),
        ...(attachable !== undefined ? { attachable } : {}),
        ...(labels !== undefined ? { labels } : {}),
        ...(options !== undefined ? { options } : {}),
        ipam: configs.map((c) => {
          const o = asObject(c, 'IPAMConfig') ?? ({} as JsonObject);
          const subnet = optString(o, 'Subnet');
          const gateway = optString(o, 'Gateway');
          const ipRange = optString(o, 'IPRange');
          return { ...(subnet !== undefined ? { subnet } : {}), ...(gateway !== undefined ? { gateway } : {}), ...(ipRange !== undefined ? { ipRange } : {}) };
        }),
      });
      ctx.sendJson(201, { Id: r.id, Warning: r.warning });
    })
    .add('POST', '/networks/prune', async (ctx) => {
      const filters = ctx.filters();
      for (const k of Object.keys(filters)) if (k !== 'label' && k !== 'label!' && k !== 'until') throw invalidArgument(`invalid filter '${k}'`);
      const until = (filters['until'] ?? []).map((v) => parseTimeFilter(v));
      const removed = await svc.prune((n) =>
        !matches(n, { label: filters['label'] ?? [] }, false) ||
        (filters['label!'] ?? []).some((l) => matches(n, { label: [l] }, false)) ||
        until.some((t) => !(Date.parse(n.created) < t)));
      ctx.sendJson(200, { NetworksDeleted: removed.length > 0 ? removed : null });
    })
    .add('GET', '/networks/{id}', async (ctx) => {
      const n = svc.resolve(ctx.param('id'));
      ctx.sendJson(200, networkJson(n, svc.containersOn(n.id), true));
    })
    .add('DELETE', '/networks/{id}', async (ctx) => {
      await svc.remove(ctx.param('id'));
      ctx.sendStatus(204);
    })
    .add('POST', '/networks/{id}/connect', async (ctx) => {
      const n = svc.resolve(ctx.param('id'));
      const body = asObject(await ctx.json(), 'NetworkConnectRequest') ?? {};
      const container = optString(body, 'Container') ?? '';
      if (container === '') throw invalidArgument('no container specified');
      const ep = asObject(body['EndpointConfig'], 'NetworkConnectRequest.EndpointConfig') ?? {};
      const ipam = asObject(ep['IPAMConfig'], 'EndpointSettings.IPAMConfig');
      const ip = ipam === undefined ? '' : optString(ipam, 'IPv4Address', 'EndpointIPAMConfig.IPv4Address') ?? '';
      await containers.connectNetwork(container, { id: n.id, name: n.name }, optStrings(ep, 'Aliases', 'EndpointSettings.Aliases') ?? [], ip);
      ctx.sendStatus(200);
    })
    .add('POST', '/networks/{id}/disconnect', async (ctx) => {
      const n = svc.resolve(ctx.param('id'));
      const body = asObject(await ctx.json(), 'NetworkDisconnectRequest') ?? {};
      const container = optString(body, 'Container') ?? '';
      if (container === '') throw invalidArgument('no container specified');
      await containers.disconnectNetwork(container, { id: n.id, name: n.name });
      ctx.sendStatus(200);
    });
}
