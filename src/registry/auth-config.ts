import { invalidArgument } from '../engine-error.js';

/** Credentials for one registry, as the `X-Registry-Auth` header and `POST /auth` carry them. */
export interface AuthConfig {
  readonly username?: string;
  readonly password?: string;
  /** A refresh token from an earlier login (OAuth2). */
  readonly identitytoken?: string;
  /** A bearer token to send as is. */
  readonly registrytoken?: string;
  readonly serveraddress?: string;
}

/** Reads an AuthConfig from a parsed JSON value (field names matched case-insensitively, as Go does). */
export function parseAuthConfig(v: unknown): AuthConfig {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    const key = k.toLowerCase();
    if (typeof val === 'string' && val !== '' && ['username', 'password', 'identitytoken', 'registrytoken', 'serveraddress'].includes(key)) out[key] = val;
  }
  // "auth": base64 of "user:password", as config.json stores it
  const auth = Object.entries(v).find(([k]) => k.toLowerCase() === 'auth')?.[1];
  if (typeof auth === 'string' && auth !== '' && out['username'] === undefined) {
    const plain = Buffer.from(auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon > 0) {
      out['username'] = plain.slice(0, colon);
      out['password'] = plain.slice(colon + 1);
    }
  }
  return out as AuthConfig;
}

/** Decodes `X-Registry-Auth`: base64url (or standard base64) of a JSON AuthConfig. An empty header is no credentials. */
export function decodeRegistryAuth(header: string | undefined): AuthConfig {
  if (header === undefined || header.trim() === '') return {};
  const text = Buffer.from(header.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalidArgument('invalid X-Registry-Auth header: failed to decode JSON');
  }
  return parseAuthConfig(v);
}

export function hasCredentials(a: AuthConfig): boolean {
  return (a.username !== undefined && a.username !== '') || a.identitytoken !== undefined || a.registrytoken !== undefined;
}
