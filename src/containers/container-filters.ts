import { invalidArgument } from '../engine-error.js';
import { parseTimeFilter } from '../units/time-filter.js';
import type { ContainerRecord, ContainerStatus } from './container.js';

/** Filters of `GET /containers/json` and `POST /containers/prune`, as `name -> values`. */
export type ContainerFilters = Readonly<Record<string, readonly string[]>>;

const KNOWN = new Set([
  'id', 'name', 'label', 'status', 'ancestor', 'exited', 'before', 'since', 'health', 'network', 'volume',
  'publish', 'expose', 'isolation', 'is-task', 'until',
]);
const STATUSES: readonly ContainerStatus[] = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

export function validateContainerFilters(filters: ContainerFilters): void {
  for (const [name, values] of Object.entries(filters)) {
    if (!KNOWN.has(name)) throw invalidArgument(`invalid filter '${name}'`);
    for (const v of values) {
      if (name === 'status' && !STATUSES.includes(v as ContainerStatus)) throw invalidArgument(`invalid filter 'status=${v}'`);
      if (name === 'exited' && !/^-?\d+$/.test(v)) throw invalidArgument(`invalid filter 'exited=${v}'`);
      if (name === 'health' && !['starting', 'healthy', 'unhealthy', 'none'].includes(v)) throw invalidArgument(`Unrecognised filter value for health: ${v}`);
    }
  }
}

export interface FilterContext {
  /** Whether the container's image is `nameOrId` or built on it. */
  readonly hasAncestor: (rec: ContainerRecord, nameOrId: string) => boolean;
  /** Creation time of another container (for before/since), or undefined when it does not exist. */
  readonly createdOf: (idOrName: string) => string | undefined;
}

function labelMatches(labels: Readonly<Record<string, string>>, filter: string): boolean {
  const i = filter.indexOf('=');
  if (i < 0) return filter in labels;
  return labels[filter.slice(0, i)] === filter.slice(i + 1);
}

/** Whether the container passes every filter; values of one filter are alternatives (OR). */
export function matchContainer(rec: ContainerRecord, filters: ContainerFilters, ctx: FilterContext): boolean {
  const any = (name: string, pred: (v: string) => boolean): boolean => {
    const values = filters[name] ?? [];
    return values.length === 0 || values.some(pred);
  };
  const labels = filters['label'] ?? [];
  if (!labels.every((l) => labelMatches(rec.config.labels, l))) return false;
  if (!any('id', (v) => rec.config.id.startsWith(v))) return false;
  if (!any('name', (v) => {
    try {
      return new RegExp(v).test(`/${rec.name}`);
    } catch {
      return `/${rec.name}`.includes(v);
    }
  })) return false;
  if (!any('status', (v) => v === rec.state.status)) return false;
  if (!any('exited', (v) => rec.state.status === 'exited' && rec.state.exitCode === Number(v))) return false;
  if (!any('ancestor', (v) => ctx.hasAncestor(rec, v))) return false;
  if (!any('health', (v) => v === (rec.state.health?.status ?? 'none'))) return false;
  if (!any('network', (v) => v === rec.config.host.networkMode)) return false;
  if (!any('volume', () => false)) return false;
  if (!any('publish', () => false)) return false;
  if (!any('expose', (v) => Object.keys(rec.config.exposedPorts).some((p) => p === v || p === `${v}/tcp`))) return false;
  if (!any('is-task', (v) => v === 'false')) return false;
  if (!any('isolation', (v) => v === 'default')) return false;
  for (const [name, cmp] of [['before', -1], ['since', 1]] as const) {
    for (const v of filters[name] ?? []) {
      const other = ctx.createdOf(v);
      if (other === undefined) throw invalidArgument(`No such container: ${v}`);
      const mine = Date.parse(rec.config.created);
      const theirs = Date.parse(other);
      if (cmp < 0 ? !(mine < theirs) : !(mine > theirs)) return false;
    }
  }
  for (const v of filters['until'] ?? []) {
    const t = parseTimeFilter(v);
    if (!(Date.parse(rec.config.created) < t)) return false;
  }
  return true;
}
