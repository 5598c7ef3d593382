import { isDict, type Dict } from '../normalize/long-syntax.js';
import { matchesPath as matches } from '../path-pattern.js';

type Merger = (base: unknown, over: unknown, path: readonly string[]) => unknown;

const override: Merger = (_b, o) => o;

/** Sequences whose entries are unique by a key: a later entry with the same key replaces the earlier one in place. */
const UNIQUE_BY: ReadonlyArray<[string, (v: unknown) => string]> = [
  ['services.*.ports', (p) => (isDict(p) ? `${String(p['host_ip'] ?? '')}:${String(p['published'] ?? '')}:${String(p['target'])}/${String(p['protocol'] ?? 'tcp')}` : JSON.stringify(p))],
  ['services.*.volumes', (v) => (isDict(v) ? String(v['target']) : JSON.stringify(v))],
  ['services.*.secrets', (v) => (isDict(v) ? String(v['target'] ?? v['source']) : JSON.stringify(v))],
  ['services.*.configs', (v) => (isDict(v) ? String(v['target'] ?? v['source']) : JSON.stringify(v))],
  ['services.*.env_file', (v) => (isDict(v) ? String(v['path']) : JSON.stringify(v))],
  ['services.*.devices', (v) => (isDict(v) ? String(v['target']) : JSON.stringify(v))],
];

const SPECIAL: ReadonlyArray<[string, Merger]> = [
  ['services.*.command', override],
  ['services.*.entrypoint', override],
  ['services.*.healthcheck.test', override],
  ['services.*.logging', (b, o, path) => {
    // Another driver replaces the options; the same driver merges them.
    if (isDict(b) && isDict(o) && o['driver'] !== undefined && b['driver'] !== undefined && o['driver'] !== b['driver']) return o;
    return mergeValue(b, o, path, true);
  }],
  ['services.*.networks', (b, o, path) => {
    if (!isDict(b) || !isDict(o)) return o;
    const out: Dict = { ...b };
    for (const [k, v] of Object.entries(o)) out[k] = v === null && k in b ? b[k] : mergeValue(b[k], v, [...path, k]);
    return out;
  }],
];


function mergeValue(base: unknown, over: unknown, path: readonly string[], skipSpecial = false): unknown {
  if (base === undefined) return over;
  if (over === undefined) return base;
  if (!skipSpecial) {
    const special = SPECIAL.find(([p]) => matches(p, path));
    if (special !== undefined) return special[1](base, over, path);
  }
  if (isDict(base) && isDict(over)) {
    const out: Dict = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = mergeValue(base[k], v, [...path, k]);
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over)) {
    const keyed = UNIQUE_BY.find(([p]) => matches(p, path));
    const keyOf = keyed?.[1] ?? ((v: unknown) => JSON.stringify(v));
    const out: unknown[] = [];
    const index = new Map<string, number>();
    for (const item of [...base, ...over]) {
      const k = keyOf(item);
      const at = index.get(k);
      if (at === undefined) {
        index.set(k, out.length);
        out.push(item);
      } else {
        out[at] = item;
      }
    }
    return out;
  }
  return over;
}

/**
 * Merges compose files in their long syntax with the Compose Specification's rules, as compose v2
 * does: mappings merge key by key, sequences append with duplicates (by their key: a port's
 * binding, a mount's target) replaced by the later file, command/entrypoint/healthcheck.test
 * and a logging driver change replace.
 */
export function mergeFiles(base: Dict, over: Dict): Dict {
  return mergeValue(base, over, []) as Dict;
}
