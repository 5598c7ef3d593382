import http, { type IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { ApiError, ConnectionError } from './api-error.js';

export const CLIENT_API_VERSION = '1.47';

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;
  readonly body?: unknown;
  /** A raw request body (tar streams). */
  readonly stream?: Readable;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

function compare(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am !== bm ? am - bm : an - bn;
}

/** A typed Engine API client over a unix socket, with Docker's version negotiation. */
export class EngineClient {
  private version: string | undefined;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

  constructor(
    readonly host: string,
    private readonly socketPath: string,
  ) {}

  /** Negotiates the API version once: the lower of ours and the daemon's. */
  async apiVersion(): Promise<string> {
    if (this.version !== undefined) return this.version;
    const res = await this.raw('GET', '/_ping', {}, false);
    res.resume();
    const server = res.headers['api-version'];
    const v = typeof server === 'string' && server !== '' && compare(server, CLIENT_API_VERSION) < 0 ? server : CLIENT_API_VERSION;
    this.version = v;
    return v;
  }

  /** Sends a request; errors (status >= 400) become ApiError. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<IncomingMessage> {
    const res = await this.raw(method, path, opts, true);
    if ((res.statusCode ?? 500) >= 400) throw await errorFrom(res);
    return res;
  }

  async json<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, opts);
    const text = await readAll(res);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Sends a request and discards the body; resolves with the status. */
  async call(method: string, path: string, opts: RequestOptions = {}): Promise<number> {
    const res = await this.request(method, path, opts);
    res.resume();
    await new Promise((r) => res.on('end', r));
    return res.statusCode ?? 0;
  }

  /** Upgrades the connection (attach, exec start): resolves with the raw socket after `101`. */
  async hijack(method: string, path: string, opts: RequestOptions = {}): Promise<{ socket: Duplex; head: Buffer; contentType: string }> {
    const version = await this.apiVersion();
    return new Promise((resolve, reject) => {
      const req = http.request({
        socketPath: this.socketPath,
        method,
        path: `/v${version}${path}${queryString(opts.query)}`,
        headers: { Connection: 'Upgrade', Upgrade: 'tcp', ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      });
      req.on('upgrade', (res: IncomingMessage, socket: Duplex, head: Buffer) => {
        resolve({ socket, head, contentType: String(res.headers['content-type'] ?? '') });
      });
      req.on('response', (res: IncomingMessage) => {
        void errorFrom(res).then(reject, reject);
      });
      req.on('error', (e) => reject(new ConnectionError(this.host, { cause: e })));
      req.end(opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private async raw(method: string, path: string, opts: RequestOptions, versioned: boolean): Promise<IncomingMessage> {
    const prefix = versioned ? `/v${await this.apiVersion()}` : '';
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    let payload: string | undefined;
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = http.request({
        socketPath: this.socketPath,
        agent: this.agent,
        method,
        path: `${prefix}${path}${queryString(opts.query)}`,
        headers,
        ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
      });
      req.on('response', resolve);
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED' || e.code === 'EACCES') reject(new ConnectionError(this.host, { cause: e }));
        else reject(e);
      });
      if (opts.stream !== undefined) opts.stream.pipe(req);
      else req.end(payload);
    });
  }
}

export function queryString(q: RequestOptions['query']): string {
  if (q === undefined) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v as readonly string[]) p.append(k, x);
    else if (typeof v === 'boolean') p.append(k, v ? '1' : '0');
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}

export async function readAll(res: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function errorFrom(res: IncomingMessage): Promise<ApiError> {
  const text = await readAll(res);
  let message = text.trim();
  try {
    const v = JSON.parse(text) as { message?: unknown };
    if (typeof v.message === 'string') message = v.message;
  } catch {
    // not JSON: keep the text
  }
  if (message === '') message = `${res.statusCode ?? 0} ${http.STATUS_CODES[res.statusCode ?? 0] ?? ''}`.trim();
  return new ApiError(res.statusCode ?? 500, message);
}
