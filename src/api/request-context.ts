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
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req) {
      size += (chunk as Buffer).length;
      if (size > limit) throw invalidArgument('request body too large');
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8').trim();
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (e: unknown) {
      throw invalidArgument(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
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
