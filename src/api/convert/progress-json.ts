import type { ServerResponse } from 'node:http';
import type { ProgressEvent } from '../../images/progress.js';
import { progressBar } from '../../units/progress-bar.js';

/** One progress event as a Docker JSON message. */
export function progressJson(e: ProgressEvent): Record<string, unknown> {
  if (e.pushed !== undefined) return { progressDetail: {}, aux: { Tag: e.pushed.tag, Digest: e.pushed.digest, Size: e.pushed.size } };
  if (e.stream !== undefined) return { stream: e.stream };
  const out: Record<string, unknown> = { status: e.status };
  if (e.layer === true) {
    out['progressDetail'] = e.current !== undefined && e.total !== undefined ? { current: e.current, total: e.total } : {};
    if (e.current !== undefined && e.total !== undefined) out['progress'] = progressBar(e.current, e.total);
  }
  if (e.id !== undefined) out['id'] = e.id;
  return out;
}

/**
 * A JSON message stream on `res`, started by the first message. An error before it is
 * the caller's to throw (a normal error response); after it, `fail` ends the stream with
 * an `errorDetail` message, as dockerd does.
 */
export class ProgressStream {
  private started = false;

  constructor(private readonly res: ServerResponse | undefined) {}

  get hasStarted(): boolean {
    return this.started;
  }

  readonly write = (e: ProgressEvent): void => {
    this.writeRaw(progressJson(e));
  };

  writeRaw(message: Record<string, unknown>): void {
    const res = this.res;
    if (res === undefined || res.writableEnded) return;
    if (!this.started) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      this.started = true;
    }
    res.write(`${JSON.stringify(message)}\r\n`);
  }

  /** Ends the stream with an error (and its code, a failed build step's exit code). */
  fail(message: string, code?: number): void {
    this.writeRaw({ errorDetail: code !== undefined ? { code, message } : { message }, error: message });
    this.end();
  }

  end(): void {
    const res = this.res;
    if (res === undefined || res.writableEnded) return;
    if (!this.started) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      this.started = true;
    }
    res.end();
  }
}
