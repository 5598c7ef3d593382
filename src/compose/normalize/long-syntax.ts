import { ComposeError } from '../compose-error.js';
import { parsePortShort } from './port-syntax.js';
import { parseVolumeShort } from './volume-syntax.js';

export type Dict = Record<string, unknown>;

export const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `["K=V", "K2"]` or `{K: V}` as a map of string (or null for a bare key), as compose-go's MappingWithEquals. */
export function toMapping(v: unknown, sep = '='): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const i = s.indexOf(sep);
      if (i < 0) out[s] = null;
      else out[s.slice(0, i)] = s.slice(i + 1);
    }
  } else if (isDict(v)) {
    for (const [k, val] of Object.entries(v)) out[k] = val === null || val === undefined ? null : scalarText(val);
  }
  return out;
}

/** A YAML scalar as compose prints it in string fields (numbers and booleans as Go formats them). */
export function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/**
 * Rewrites the short forms of one compose file into the long forms, like compose-go's
 * transform.Canonical, so that files can be merged key by key. Errors name service and key.
 */
export function toLongSyntax(file: Dict, fileName: string): Dict {
  const out: Dict = { ...file };
  if (isDict(file['services'])) {
    const services: Dict = {};
    for (const [name, svc] of Object.entries(file['services'])) {
      services[name] = isDict(svc) ? serviceLongSyntax(svc, name, fileName) : svc;
    }
    out['services'] = services;
  }
  for (const kind of ['networks', 'volumes', 'secrets', 'configs']) {
    const top = file[kind];
    if (!isDict(top)) continue;
    const res: Dict = {};
    for (const [k, v] of Object.entries(top)) {
      res[k] = v === null ? {} : isDict(v) && Array.isArray(v['labels']) ? { ...v, labels: toMapping(v['labels']) } : v;
    }
    out[kind] = res;
  }
  return out;
}

function serviceLongSyntax(svc: Dict, name: string, fileName: string): Dict {
  const s: Dict = { ...svc };
  const at = (key: string, f: () => unknown): void => {
    if (!(key in s) || s[key] === null) return;
    try {
      s[key] = f();
    } catch (e: unknown) {
      if (e instanceof ComposeError) throw e;
      throw new ComposeError(`${fileName}: services.${name}.${key}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  };
  at('build', () => (typeof s['build'] === 'string' ? { context: s['build'] } : longBuild(s['build'] as Dict)));
  at('environment', () => toMapping(s['environment']));
  at('labels', () => toMapping(s['labels']));
  at('annotations', () => toMapping(s['annotations']));
  at('sysctls', () => toMapping(s['sysctls']));
  at('extends', () => (typeof s['extends'] === 'string' ? { service: s['extends'] } : s['extends']));
  at('ports', () => asList(s['ports']).flatMap((p): unknown[] => (isDict(p) ? [longPort(p)] : parsePortShort(scalarText(p)))));
  at('expose', () => asList(s['expose']).map(scalarText));
  at('volumes', () => asList(s['volumes']).map((v) => (isDict(v) ? longVolume(v) : parseVolumeShort(scalarText(v)))));
  at('depends_on', () => {
    const d = s['depends_on'];
    const res: Dict = {};
    if (Array.isArray(d)) for (const n of d) res[String(n)] = { condition: 'service_started', required: true };
    else if (isDict(d)) for (const [n, v] of Object.entries(d)) res[n] = { condition: 'service_started', required: true, ...(isDict(v) ? v : {}) };
    return res;
  });
  at('networks', () => {
    const n = s['networks'];
    if (Array.isArray(n)) return Object.fromEntries(n.map((k) => [String(k), null]));
    return n;
  });
  at('env_file', () => asList(s['env_file']).map((e) => (isDict(e) ? { required: true, ...e } : { path: scalarText(e), required: true })));
  at('secrets', () => asList(s['secrets']).map((e) => (isDict(e) ? e : { source: scalarText(e) })));
  at('configs', () => asList(s['configs']).map((e) => (isDict(e) ? e : { source: scalarText(e) })));
  at('dns', () => asList(s['dns']).map(scalarText));
  at('dns_search', () => asList(s['dns_search']).map(scalarText));
  at('tmpfs', () => asList(s['tmpfs']).map(scalarText));
  at('extra_hosts', () => {
    const h = s['extra_hosts'];
    if (isDict(h)) return Object.entries(h).flatMap(([k, v]) => asList(v).map((ip) => `${k}=${scalarText(ip)}`));
    return asList(h).map((e) => scalarText(e).replace(/^([^=:]+):(?!.*=)/, '$1='));
  });
  at('ulimits', () => {
    const u = s['ulimits'] as Dict;
    return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, isDict(v) ? v : { single: v }]));
  });
  at('devices', () => asList(s['devices']).map((d) => {
    if (isDict(d)) return d;
    const p = scalarText(d).split(':');
    return { source: p[0], target: p[1] ?? p[0], permissions: p[2] ?? 'rwm' };
  }));
  return s;
}

function longBuild(b: Dict): Dict {
  const out: Dict = { ...b };
  if ('args' in b) out['args'] = toMapping(b['args']);
  if ('labels' in b) out['labels'] = toMapping(b['labels']);
  return out;
}

function longVolume(v: Dict): Dict {
  const out: Dict = { ...v };
  if (v['type'] === 'bind') out['bind'] = { create_host_path: true, ...(isDict(v['bind']) ? v['bind'] : {}) };
  if (v['type'] === 'volume' && !('volume' in v)) out['volume'] = {};
  return out;
}

function longPort(p: Dict): Dict {
  const out: Dict = { mode: 'ingress', protocol: 'tcp', ...p };
  if (out['published'] !== undefined && out['published'] !== null) out['published'] = scalarText(out['published']);
  return out;
}
