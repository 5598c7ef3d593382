import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { Readable } from 'node:stream';
import { EngineError, errnoCode } from '../engine-error.js';
import { hasCredentials, type AuthConfig } from './auth-config.js';
import type { Endpoint } from './registry-hosts.js';
import { isInsecureRegistry, isLoopbackHost } from './registry-hosts.js';
import { registryError } from './registry-error.js';
import { parseWwwAuthenticate, type Challenge } from './www-authenticate.js';

export const USER_AGENT = 'berth/0.1.0 (linux)';

export interface SendOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** Made again for a retry after a 401, so a stream body can be sent twice. */
  readonly body?: () => Buffer | Readable;
  /** Scopes the request needs ("repository:app:pull"). */
  readonly scopes: readonly string[];
  readonly signal?: AbortSignal;
  /** A token request: its credentials go to the realm's host. */
  readonly toRealm?: boolean;
}

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

/** Node errors that mean "the server does not speak TLS here": try plain HTTP. */
function isNotTls(e: unknown): boolean {
  const code = errnoCode(e) ?? '';
  return code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || /wrong version number|packet length too long/i.test(String(e));
}

/**
 * Talks HTTP to one registry endpoint with one set of credentials: picks HTTPS or (where
 * allowed) HTTP, answers `WWW-Authenticate` challenges (Bearer tokens per scope, Basic),
 * and follows redirects for reads. Credentials never appear in errors.
 */
export class RegistrySession {
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, CachedToken>();
  private baseUrl: string;
  private schemeSettled = false;
  private readonly agent: https.Agent;
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });

  constructor(
    readonly endpoint: Endpoint,
    private readonly auth: AuthConfig,
    private readonly insecureRegistries: readonly string[] = [],
  ) {
    this.baseUrl = endpoint.baseUrl;
    const ca = endpoint.tls.ca !== undefined ? [...tls.rootCertificates, ...endpoint.tls.ca] : undefined;
    this.agent = new https.Agent({
      keepAlive: true, maxSockets: 16, rejectUnauthorized: endpoint.verifyTls,
      ...(ca !== undefined ? { ca } : {}),
      ...(endpoint.tls.cert !== undefined ? { cert: endpoint.tls.cert } : {}),
      ...(endpoint.tls.key !== undefined ? { key: endpoint.tls.key } : {}),
    });
  }

  get base(): string {
    return this.baseUrl;
  }

  close(): void {
    this.agent.destroy();
    this.httpAgent.destroy();
  }

  /** Absolute URL for a path ("/v2/...") or a Location header (relative or absolute). */
  url(pathOrUrl: string): URL {
    return new URL(pathOrUrl, this.baseUrl);
  }

  /**
   * Sends a request with authorization, answering one 401 challenge. Redirects (GET/HEAD)
   * are followed without credentials. The caller reads or discards the response.
   */
  async send(method: string, pathOrUrl: string, opts: SendOptions): Promise<IncomingMessage> {
    let res = await this.sendOnce(method, this.url(pathOrUrl), opts, await this.authorization(opts.scopes, false));
    if (res.statusCode === 401) {
      const header = res.headers['www-authenticate'];
      const challenges = parseWwwAuthenticate(Array.isArray(header) ? header.join(', ') : header ?? '');
      const chosen = challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
      if (chosen !== undefined) {
        const body = await drain(res);
        this.challenge = chosen;
        const auth = await this.authorization(scopesWith(opts.scopes, chosen.params['scope']), true);
        if (auth === undefined) throw registryError(401, body, this.endpoint.host);
        res = await this.sendOnce(method, this.url(pathOrUrl), opts, auth);
      }
    }
    for (let hops = 0; (method === 'GET' || method === 'HEAD') && isRedirect(res.statusCode) && hops < 5; hops++) {
      const location = res.headers.location;
      res.resume();
      if (location === undefined) break;
      res = await this.sendOnce(method, new URL(location, this.url(pathOrUrl)), { scopes: opts.scopes, ...(opts.signal !== undefined ? { signal: opts.signal } : {}) }, undefined);
    }
    return res;
  }

  /** Checks that the credentials work (`GET /v2/`, as `docker login` does). */
  async ping(signal?: AbortSignal): Promise<void> {
    const res = await this.send('GET', '/v2/', { scopes: [], ...(signal !== undefined ? { signal } : {}) });
    const body = await drain(res);
    if (res.statusCode === 200) return;
    if (res.statusCode === 401 || res.statusCode === 403) {
      throw new EngineError('unauthorized', `login attempt to ${this.baseUrl}/v2/ failed with status: ${res.statusCode} ${http.STATUS_CODES[res.statusCode] ?? ''}`);
    }
    throw registryError(res.statusCode ?? 500, body, this.endpoint.host);
  }

  private async authorization(scopes: readonly string[], fresh: boolean): Promise<string | undefined> {
    const c = this.challenge;
    if (c === undefined) {
      return this.auth.registrytoken !== undefined ? `Bearer ${this.auth.registrytoken}` : undefined;
    }
    if (c.scheme === 'basic') {
      if (this.auth.username === undefined) return undefined;
      return `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password ?? ''}`).toString('base64')}`;
    }
    if (this.auth.registrytoken !== undefined) return `Bearer ${this.auth.registrytoken}`;
    const key = [...scopes].sort().join(' ');
    const cached = this.tokens.get(key);
    if (!fresh && cached !== undefined && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
    const token = await this.fetchToken(c, scopes);
    return `Bearer ${token}`;
  }

  private async fetchToken(c: Challenge, scopes: readonly string[]): Promise<string> {
    const realm = c.params['realm'];
    if (realm === undefined || realm === '') throw new EngineError('unauthorized', `${this.endpoint.host}: bearer challenge without a realm`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new EngineError('unauthorized', `${this.endpoint.host}: invalid token realm ${JSON.stringify(realm)}`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (isLoopbackHost(url.host) || isInsecureRegistry(url.host, this.insecureRegistries)))) {
      throw new EngineError('unauthorized', `${this.endpoint.host}: refusing token realm ${url.origin} (HTTPS is required)`);
    }
    const service = c.params['service'];
    let res: IncomingMessage;
    if (this.auth.identitytoken !== undefined) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.auth.identitytoken, client_id: 'berth', access_type: 'offline' });
      if (service !== undefined) form.set('service', service);
      if (scopes.length > 0) form.set('scope', scopes.join(' '));
      const body = Buffer.from(form.toString());
      res = await this.sendOnce('POST', url, { scopes: [], toRealm: true, body: () => body, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(body.length) } }, undefined);
    } else {
      if (service !== undefined) url.searchParams.set('service', service);
      for (const s of scopes) url.searchParams.append('scope', s);
      if (this.auth.username !== undefined) url.searchParams.set('account', this.auth.username);
      const basic = hasCredentials(this.auth) && this.auth.username !== undefined
        ? `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password ?? ''}`).toString('base64')}` : undefined;
      res = await this.sendOnce('GET', url, { scopes: [], toRealm: true }, basic);
    }
    const text = await readLimited(res, 1024 * 1024);
    if (res.statusCode !== 200) {
      if (res.statusCode === 401 || res.statusCode === 403) {
        throw new EngineError('unauthorized', `Get "${url.origin}${url.pathname}": unauthorized: incorrect username or password`);
      }
      throw registryError(res.statusCode ?? 500, text, url.host);
    }
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      throw new EngineError('unauthorized', `${url.host}: invalid token response`);
    }
    const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
    const token = typeof o['token'] === 'string' && o['token'] !== '' ? o['token'] : o['access_token'];
    if (typeof token !== 'string' || token === '') throw new EngineError('unauthorized', `${url.host}: token response without a token`);
    const expiresIn = typeof o['expires_in'] === 'number' && o['expires_in'] > 0 ? o['expires_in'] : 60;
    this.tokens.set([...scopes].sort().join(' '), { token, expiresAt: Date.now() + (expiresIn - 5) * 1000 });
    return token;
  }

  private async sendOnce(method: string, url: URL, opts: SendOptions, authorization: string | undefined): Promise<IncomingMessage> {
    try {
      return await this.rawSend(method, url, opts, authorization);
    } catch (e: unknown) {
      // A registry allowed plain HTTP that answered TLS with plain text: use HTTP from now on.
      // (Requests sent in parallel before the switch fail the same way: they follow it.)
      const ours = this.endpoint.httpFallback && url.protocol === 'https:' && url.host === new URL(this.baseUrl).host;
      const switched = this.baseUrl.startsWith('http:');
      if (ours && (switched || (!this.schemeSettled && (isNotTls(e) || errnoCode(e) === 'ECONNRESET')))) {
        this.baseUrl = this.baseUrl.replace(/^https:/, 'http:');
        this.schemeSettled = true;
        const plain = new URL(url);
        plain.protocol = 'http:';
        return this.rawSend(method, plain, opts, authorization);
      }
      throw connectionError(method, url, e);
    }
  }

  private rawSend(method: string, url: URL, opts: SendOptions, authorization: string | undefined): Promise<IncomingMessage> {
    const sameOrigin = url.origin === new URL(this.baseUrl).origin;
    const isHttps = url.protocol === 'https:';
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT, ...(opts.headers ?? {}) };
    // Credentials only ever go to the registry itself (or its token realm), never to a host a Location names.
    if (authorization !== undefined && (url.host === new URL(this.baseUrl).host || opts.toRealm === true)) headers['Authorization'] = authorization;
    const body = opts.body?.();
    if (Buffer.isBuffer(body)) headers['Content-Length'] = String(body.length);
    else if (body === undefined && (method === 'PUT' || method === 'POST' || method === 'PATCH') && headers['Content-Length'] === undefined) headers['Content-Length'] = '0';
    if (headers['Content-Length'] !== undefined) delete headers['Transfer-Encoding'];
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = (isHttps ? https : http).request(url, {
        method, headers,
        agent: isHttps ? (sameOrigin ? this.agent : undefined) : this.httpAgent,
        ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
      });
      req.setTimeout(60_000, () => req.destroy(Object.assign(new Error('connection timed out'), { code: 'ETIMEDOUT' })));
      req.on('response', (res) => {
        if (isHttps) this.schemeSettled = true;
        resolve(res);
      });
      req.on('error', reject);
      if (body === undefined) req.end();
      else if (Buffer.isBuffer(body)) req.end(body);
      else {
        body.on('error', (e) => req.destroy(e));
        body.pipe(req);
      }
    });
  }
}

function connectionError(method: string, url: URL, e: unknown): Error {
  if (e instanceof EngineError || (e instanceof Error && e.name === 'AbortError')) return e;
  let text = e instanceof Error ? e.message : String(e);
  if (isNotTls(e)) text = 'http: server gave HTTP response to HTTPS client';
  const code = errnoCode(e) ?? '';
  if (code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'SELF_SIGNED_CERT_IN_CHAIN' || code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY') {
    text = 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
  }
  const clean = `${url.origin}${url.pathname}`;
  return new EngineError('unavailable', `${method === 'HEAD' ? 'Head' : method === 'GET' ? 'Get' : method.charAt(0) + method.slice(1).toLowerCase()} "${clean}": ${text}`, { cause: e });
}

function isRedirect(status: number | undefined): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function scopesWith(scopes: readonly string[], extra: string | undefined): string[] {
  const out = [...scopes];
  for (const s of (extra ?? '').split(' ')) if (s !== '' && !out.includes(s)) out.push(s);
  return out;
}

/** Reads a small response body, refusing more than `limit` bytes. */
export async function readLimited(res: Readable, limit: number): Promise<string> {
  return (await readLimitedBuffer(res, limit)).toString('utf8');
}

export async function readLimitedBuffer(res: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res) {
    size += (c as Buffer).length;
    if (size > limit) {
      res.destroy();
      throw new EngineError('invalid-argument', `response larger than ${limit} bytes`);
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads an error body (at most 64 KiB), for the message. */
export async function drain(res: Readable): Promise<string> {
  try {
    return await readLimited(res, 64 * 1024);
  } catch {
    return '';
  }
}
