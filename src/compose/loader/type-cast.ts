import { ComposeError, keyPath } from '../compose-error.js';
import { matchesPath as matches } from '../path-pattern.js';

type Cast = 'int' | 'float' | 'bool';

/** Keys whose values are numbers or booleans once interpolated (compose-go's interpolation type casts). */
const CASTS: ReadonlyArray<[string, Cast]> = [
  ['services.*.configs.*.mode', 'int'], ['services.*.secrets.*.mode', 'int'],
  ['services.*.cpu_count', 'int'], ['services.*.cpu_percent', 'float'], ['services.*.cpu_period', 'int'],
  ['services.*.cpu_quota', 'int'], ['services.*.cpu_rt_period', 'int'], ['services.*.cpu_rt_runtime', 'int'],
  ['services.*.cpus', 'float'], ['services.*.cpu_shares', 'int'], ['services.*.init', 'bool'],
  ['services.*.deploy.replicas', 'int'], ['services.*.deploy.restart_policy.max_attempts', 'int'],
  ['services.*.deploy.update_config.parallelism', 'int'], ['services.*.deploy.rollback_config.parallelism', 'int'],
  ['services.*.healthcheck.retries', 'int'], ['services.*.healthcheck.disable', 'bool'],
  ['services.*.mem_swappiness', 'int'], ['services.*.oom_kill_disable', 'bool'], ['services.*.oom_score_adj', 'int'],
  ['services.*.pids_limit', 'int'], ['services.*.ports.*.target', 'int'], ['services.*.privileged', 'bool'],
  ['services.*.read_only', 'bool'], ['services.*.scale', 'int'], ['services.*.stdin_open', 'bool'], ['services.*.tty', 'bool'],
  ['services.*.ulimits.*', 'int'], ['services.*.ulimits.*.hard', 'int'], ['services.*.ulimits.*.soft', 'int'],
  ['services.*.volumes.*.read_only', 'bool'], ['services.*.volumes.*.volume.nocopy', 'bool'],
  ['services.*.depends_on.*.required', 'bool'], ['services.*.depends_on.*.restart', 'bool'],
  ['networks.*.external', 'bool'], ['networks.*.internal', 'bool'], ['networks.*.attachable', 'bool'],
  ['networks.*.enable_ipv6', 'bool'], ['volumes.*.external', 'bool'], ['secrets.*.external', 'bool'], ['configs.*.external', 'bool'],
];


function cast(value: string, kind: Cast): number | boolean {
  switch (kind) {
    case 'bool': {
      const v = value.toLowerCase();
      if (['true', 'yes', 'y', 'on'].includes(v)) return true;
      if (['false', 'no', 'n', 'off'].includes(v)) return false;
      throw new Error(`failed to cast to expected type: invalid boolean: ${value}`);
    }
    case 'int':
      if (!/^[-+]?\d+$/.test(value)) throw new Error(`failed to cast to expected type: strconv.Atoi: parsing "${value}": invalid syntax`);
      return Number(value);
    default:
      if (value.trim() === '' || Number.isNaN(Number(value))) throw new Error(`failed to cast to expected type: strconv.ParseFloat: parsing "${value}": invalid syntax`);
      return Number(value);
  }
}

/** After interpolation, turns the strings of numeric and boolean keys into numbers and booleans. */
export function castTypes(tree: unknown, file: string): unknown {
  const walk = (node: unknown, path: string[]): unknown => {
    if (typeof node === 'string') {
      const rule = CASTS.find(([p]) => matches(p, path));
      if (rule === undefined) return node;
      try {
        return cast(node, rule[1]);
      } catch (e: unknown) {
        throw new ComposeError(`${file}: error while interpolating ${keyPath(path)}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }
    if (Array.isArray(node)) return node.map((v, i) => walk(v, [...path, String(i)]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return node;
  };
  return walk(tree, []);
}
