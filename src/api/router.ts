import type { RequestContext } from './request-context.js';

export type Handler = (ctx: RequestContext) => Promise<void>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly handler: Handler;
}

/** Method + path routing with `{name}` parameters (a parameter matches one segment, or the rest with `{name*}`). */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const src = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)(\\\*)?\}/g, (_m, key: string, rest: string | undefined) => {
      keys.push(key);
      return rest === undefined ? '([^/]+)' : '(.+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${src}$`), keys, handler });
    return this;
  }

  /** The handler and parameters for a request; `methodMismatch` when only the method is wrong. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | { methodMismatch: boolean } {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (m === null) continue;
      pathMatched = true;
      if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => {
        params[k] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { handler: r.handler, params };
    }
    return { methodMismatch: pathMatched };
  }
}
