import { ComposeError } from '../compose-error.js';
import { isDict, type Dict } from '../normalize/long-syntax.js';

/** The services a service needs started first: depends_on, `network_mode: service:x`, `volumes_from: x`, links. */
export function dependenciesOf(service: Dict): string[] {
  const deps = new Set<string>(Object.keys(isDict(service['depends_on']) ? service['depends_on'] : {}));
  const mode = service['network_mode'];
  if (typeof mode === 'string' && mode.startsWith('service:')) deps.add(mode.slice('service:'.length));
  for (const v of Array.isArray(service['volumes_from']) ? service['volumes_from'] : []) {
    const s = String(v);
    if (!s.startsWith('container:')) deps.add(s.split(':')[0] ?? s);
  }
  for (const l of Array.isArray(service['links']) ? service['links'] : []) deps.add(String(l).split(':')[0] ?? String(l));
  return [...deps].sort();
}

/**
 * Orders services so each comes after what it depends on (ties by name), as `up` creates them;
 * `down` uses the reverse. A cycle is an error naming it.
 */
export function dependencyOrder(services: Readonly<Record<string, Dict>>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, chain: readonly string[]): void => {
    const st = state.get(name);
    if (st === 'done') return;
    if (st === 'visiting') throw new ComposeError(`dependency cycle detected: ${[...chain, name].join(' -> ')}`);
    state.set(name, 'visiting');
    const svc = services[name];
    if (svc !== undefined) for (const d of dependenciesOf(svc)) if (d in services) visit(d, [...chain, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(services).sort()) visit(name, []);
  return order;
}
