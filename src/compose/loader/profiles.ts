import { ComposeError } from '../compose-error.js';
import { isDict, type Dict } from '../normalize/long-syntax.js';

const profilesOf = (svc: unknown): string[] => (isDict(svc) && Array.isArray(svc['profiles']) ? svc['profiles'].map(String) : []);

/** Every profile named by some service, sorted (what `config --profiles` prints). */
export function allProfiles(model: Dict): string[] {
  const services = isDict(model['services']) ? model['services'] : {};
  return [...new Set(Object.values(services).flatMap(profilesOf))].sort();
}

/**
 * Keeps the services enabled by the active profiles (a service without `profiles` always is;
 * `*` enables all), as compose v2 does; a kept service that depends on a disabled one is an error.
 */
export function applyProfiles(model: Dict, active: readonly string[]): Dict {
  const services = isDict(model['services']) ? model['services'] : {};
  const enabled = (svc: unknown): boolean => {
    const p = profilesOf(svc);
    return p.length === 0 || active.includes('*') || p.some((x) => active.includes(x));
  };
  const kept: Dict = {};
  for (const [name, svc] of Object.entries(services)) if (enabled(svc)) kept[name] = svc;
  for (const [name, svc] of Object.entries(kept)) {
    const deps = isDict(svc) && isDict(svc['depends_on']) ? svc['depends_on'] : {};
    for (const [dep, spec] of Object.entries(deps)) {
      if (dep in kept || !(dep in services)) continue;
      if (isDict(spec) && spec['required'] === false) continue;
      throw new ComposeError(`service ${dep} is required by ${name} but is disabled. Can be enabled by profiles [${profilesOf(services[dep]).join(' ')}]`);
    }
  }
  return { ...model, services: kept };
}
