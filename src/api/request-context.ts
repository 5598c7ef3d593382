import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { invalidArgument } from '../engine-error.js';
import { compareVersions } from './api-version.js';

/** One API request as handlers see it. */
export class RequestContext {
  readonly url: URL;

  constructor(
    readonly req: IncomingMessage,
    /** The response, or undefined for an upgraded (hijacked) connection. */
    readonly res: ServerResponse | undefined,
    readonly params: Readonly<Record<string, string>>,
    readonly apiVersion: string,
    /** The raw connection when the client asked to upgrade it (attach, exec start). */
    readonly upgrade: { socket: Duplex; head: Buffer } | undefined,
    /** Aborted when the client goes away. */
    readonly signal: AbortSignal,
  ) {
    this.url = new URL(req.url ?? '/', 'http://berth');
  }

  param(name: string): string {
    return this.params[name] ?? '';
  }

  query(name: string): string | undefined {
    return this.url.searchParams.get(name) ?? undefined;
  }

  queryAll(name: string): string[] {
    return this.url.searchParams.getAll(name);
  }

  /** Docker's boolean query values: "1", "true", "True" are true; "0", "false", "" false. */
  bool(name: string, dflt = false): boolean {
    const v = this.query(name);
    if (v === undefined) return dflt;
    const l = v.toLowerCase();
    if (l === '' || l === '0' || l === 'false' || l === 'no') return false;
    return true;
  }

  int(name: string): number | undefined {
    const v = this.query(name);
    if (v === undefined || v === '') return undefined;
    if (!/^-?\d+$/.test(v)) throw invalidArgument(`invalid value for ${name}: ${JSON.stringify(v)}: strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
    return Number(v);
  }

  /** The `filters` query parameter: `{"name": ["a"]}` or the legacy `{"name": {"a": true}}`. */
  filters(): Record<string, string[]> {
    const raw = this.query('filters');
    if (raw === undefined || raw === '') return {};
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      throw invalidArgument(`invalid filter: ${raw}`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidArgument(`invalid filter: ${raw}`);
    const out: Record<string, string[]> = {};
    for (const [k, val] of Object.entries(v)) {
      if (Array.isArray(val)) out[k] = val.map(String);
      else if (typeof val === 'object' && val !== null) out[k] = Object.entries(val).filter(([, on]) => on === true).map(([s]) => s);
      else throw invalidArgument(`invalid filter: ${raw}`);
    }
    return out;
  }

  atLeast(version: string): boolean {
    return compareVersions(this.apiVersion, version) >= 0;
  }

  /** Reads a JSON body (at most `limit` bytes). An empty body is undefined. */
  async json(limit = 16 * 1024 * 1024): Promise<unknown> {
    let body: Buffer;
    if (this.upgrade !== undefined) {
      body = await this.upgradeBody(limit);
    } else {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of this.req) {
        size += (chunk as Buffer).length;
        if (size > limit) throw invalidArgument('request body too large');
        chunks.push(chunk as Buffer);
      }
      body = Buffer.concat(chunks);
    }
    const text = body.toString('utf8').trim();
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (e: unknown) {
      throw invalidArgument(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * Node leaves the body of an upgrade request (exec start's JSON) on the raw
   * connection: takes its Content-Length bytes off, leaving what follows (the
   * client's input) for the stream.
   */
  private async upgradeBody(limit: number): Promise<Buffer> {
    const up = this.upgrade;
    const length = Number.parseInt(String(this.req.headers['content-length'] ?? '0'), 10);
    if (up === undefined || !Number.isInteger(length) || length <= 0) return Buffer.alloc(0);
    if (length > limit) throw invalidArgument('request body too large');
    let buf = up.head;
    if (buf.length < length) {
      buf = await new Promise<Buffer>((resolve, reject) => {
        let acc = buf;
        const onData = (chunk: Buffer): void => {
          acc = Buffer.concat([acc, chunk]);
          if (acc.length < length) return;
          up.socket.pause();
          cleanup();
          resolve(acc);
        };
        const onClose = (): void => {
          cleanup();
          reject(invalidArgument('the request body ended early'));
        };
        const cleanup = (): void => {
          up.socket.off('data', onData);
          up.socket.off('close', onClose);
        };
        up.socket.on('data', onData);
        up.socket.on('close', onClose);
      });
    }
    up.head = buf.subarray(length);
    return buf.subarray(0, length);
  }

  sendJson(status: number, body: unknown): void {
    const res = this.mustRes();
    const text = JSON.stringify(body) + '\n';
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  sendStatus(status: number): void {
    const res = this.mustRes();
    res.writeHead(status);
    res.end();
  }

  private mustRes(): ServerResponse {
    if (this.res === undefined) throw new Error('no response object on an upgraded connection');
    return this.res;
  }
}
