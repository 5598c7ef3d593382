import { createHash } from 'node:crypto';
import { serviceJsonValue } from '../canonical-output.js';
import type { Dict } from '../normalize/long-syntax.js';

/** JSON as Go's encoding/json writes it: no spaces, and <, >, &, U+2028, U+2029 escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The `com.docker.compose.config-hash` label, as compose v2's ServiceHash computes it: the
 * sha256 of the service's JSON without build, pull_policy, scale, deploy.replicas, depends_on
 * and profiles (changing those alone does not recreate a container).
 */
export function serviceConfigHash(service: Dict): string {
  const s: Dict = { ...service };
  for (const k of ['build', 'pull_policy', 'scale', 'depends_on', 'profiles']) delete s[k];
  const deploy = s['deploy'];
  if (deploy !== null && typeof deploy === 'object' && !Array.isArray(deploy)) {
    const d: Dict = { ...(deploy as Dict) };
    delete d['replicas'];
    s['deploy'] = d;
  }
  return createHash('sha256').update(goJson(serviceJsonValue(s))).digest('hex');
}
