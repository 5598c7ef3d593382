import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { EngineError } from '../engine-error.js';
import { API_VERSION, checkRequestedVersion } from './api-version.js';
import { ERROR_STATUS } from './error-status.js';
import { RequestContext } from './request-context.js';
import type { Router } from './router.js';

export interface ApiServerOptions {
  readonly router: Router;
  /** "berth/0.1.0 (linux)" */
  readonly serverHeader: string;
  readonly log: (message: string) => void;
}

const VERSION_PREFIX = /^\/v(\d+\.\d+)(\/.*)$/;

/** The Engine API over HTTP: version prefixes, common headers, errors as `{"message": ...}`, upgrades. */
export function createApiServer(opts: ApiServerOptions): http.Server {
  const server = http.createServer({ requestTimeout: 0, keepAliveTimeout: 60_000 });
  server.timeout = 0;

  const commonHeaders: Record<string, string> = {
    'Api-Version': API_VERSION,
    'Docker-Experimental': 'false',
    Ostype: 'linux',
    Server: opts.serverHeader,
  };

  const dispatch = async (req: IncomingMessage, res: ServerResponse | undefined, upgrade: { socket: Duplex; head: Buffer } | undefined): Promise<void> => {
    const ac = new AbortController();
    const abort = (): void => ac.abort();
    if (res !== undefined) {
      res.on('close', () => { if (!res.writableFinished) abort(); });
      for (const [k, v] of Object.entries(commonHeaders)) res.setHeader(k, v);
    } else {
      upgrade?.socket.on('close', abort);
    }
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    let path = rawPath;
    let version = API_VERSION;
    const vm = VERSION_PREFIX.exec(rawPath);
    if (vm !== null) {
      version = vm[1] ?? API_VERSION;
      path = vm[2] ?? '/';
    }
    const ctx = new RequestContext(req, res, {}, version, upgrade, ac.signal);
    try {
      if (vm !== null) checkRequestedVersion(version);
      const m = opts.router.match(req.method ?? 'GET', path.length > 1 ? path.replace(/\/+$/, '') : path);
      if (!('handler' in m)) {
        writeError(ctx, 404, 'page not found');
        return;
      }
      await m.handler(new RequestContext(req, res, m.params, version, upgrade, ac.signal));
    } catch (e: unknown) {
      if (e instanceof EngineError) {
        if (e.kind === 'internal') opts.log(`${req.method ?? ''} ${req.url ?? ''}: ${describe(e)}`);
        writeError(ctx, ERROR_STATUS[e.kind], e.message);
      } else {
        opts.log(`${req.method ?? ''} ${req.url ?? ''}: ${describe(e)}`);
        writeError(ctx, 500, e instanceof Error ? e.message : String(e));
      }
    }
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void dispatch(req, res, undefined);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    void dispatch(req, undefined, { socket, head });
  });
  server.on('clientError', (_err, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

function writeError(ctx: RequestContext, status: number, message: string): void {
  const body = status === 304 ? '' : JSON.stringify({ message }) + '\n';
  if (ctx.res !== undefined) {
    const res = ctx.res;
    if (res.headersSent) {
      // The error came in the middle of a stream: all that can be done is to stop it.
      res.destroy();
      return;
    }
    res.writeHead(status, status === 304 ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  const socket = ctx.upgrade?.socket;
  if (socket === undefined || !socket.writable) return;
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nApi-Version: ${API_VERSION}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function describe(e: unknown): string {
  const parts: string[] = [];
  for (let cur: unknown = e; cur !== undefined && cur !== null && parts.length < 8; ) {
    parts.push(cur instanceof Error ? (cur.stack ?? cur.message) : String(cur));
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return parts.join('\ncaused by: ');
}
