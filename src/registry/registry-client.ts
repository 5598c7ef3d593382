import type { AuthConfig } from './auth-config.js';
import { endpointsFor, type Endpoint, type RegistryOptions } from './registry-hosts.js';
import { RegistrySession } from './registry-session.js';
import { RepositoryClient } from './repository-client.js';

export type Purpose = 'pull' | 'push';

/** An open connection to a repository on one endpoint; close it when done. */
export interface RepositoryHandle {
  readonly endpoint: Endpoint;
  readonly repository: RepositoryClient;
  close(): void;
}

/** The entry point of the distribution client: endpoints, sessions and repositories for a domain. */
export class RegistryClient {
  constructor(readonly options: RegistryOptions) {}

  /** Where to reach `domain`: for pulls the mirrors first, then the registry. */
  endpoints(domain: string, purpose: Purpose): Promise<Endpoint[]> {
    return endpointsFor(domain, this.options, purpose);
  }

  /** A repository client on `endpoint`, authorized for `purpose` (push also needs pull). */
  open(endpoint: Endpoint, path: string, auth: AuthConfig, purpose: Purpose): RepositoryHandle {
    const session = new RegistrySession(endpoint, auth, this.options.insecureRegistries);
    const scopes = [`repository:${path}:${purpose === 'push' ? 'pull,push' : 'pull'}`];
    return { endpoint, repository: new RepositoryClient(session, path, scopes), close: () => session.close() };
  }

  /** Checks credentials against a registry (`POST /auth`). `server` is a host or a URL. */
  async login(server: string, auth: AuthConfig, signal?: AbortSignal): Promise<void> {
    const domain = loginDomain(server);
    const [endpoint] = await endpointsFor(domain, this.options, 'push');
    if (endpoint === undefined) return;
    const session = new RegistrySession(endpoint, auth, this.options.insecureRegistries);
    try {
      await session.ping(signal);
    } finally {
      session.close();
    }
  }
}

/** "https://index.docker.io/v1/" → "docker.io"; "localhost:5000" stays. */
export function loginDomain(server: string): string {
  let s = server.trim();
  if (s === '') return 'docker.io';
  s = s.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (s === 'index.docker.io' || s === 'registry-1.docker.io' || s === 'docker.io') return 'docker.io';
  return s;
}
