import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { RequestContext } from './request-context.js';
import { DetachDetector } from './detach-keys.js';

/**
 * Takes the connection over for a bidirectional stream (attach, exec start):
 * `101 UPGRADED` when the client asked to upgrade, as the docker CLI does, or a
 * plain `200` whose body is the stream for clients that do not.
 */
export function hijack(ctx: RequestContext, contentType: string): Duplex {
  let socket: Duplex;
  if (ctx.upgrade !== undefined) {
    socket = ctx.upgrade.socket;
    socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nApi-Version: ${ctx.apiVersion}\r\n\r\n`);
    if (ctx.upgrade.head.length > 0) socket.unshift(ctx.upgrade.head);
  } else {
    socket = ctx.req.socket;
    ctx.res?.detachSocket(ctx.req.socket);
    socket.write(`HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\n\r\n`);
  }
  socket.on('error', () => undefined);
  // Reading a request body may have paused the connection.
  socket.resume();
  return socket;
}

/** Writes to the hijacked connection, waiting when the client reads slower than the process writes. */
export async function writeTo(socket: Duplex, data: Buffer): Promise<void> {
  if (!socket.writable) return;
  if (!socket.write(data)) await new Promise((r) => socket.once('drain', r));
}

/** Where the client's input goes once it has somewhere to go. */
export interface StdinTarget {
  write(data: Buffer): void;
  end(): void;
  close(): void;
}

/**
 * Copies the client's input (`data` events, then `end`) to `open()`'s pipe once `ready` resolves (input that
 * comes earlier is kept), ends it when the client ends its input, and aborts
 * `done` when the detach keys come.
 */
export function forwardInput(
  socket: Pick<EventEmitter, 'on'>, detector: DetachDetector, done: AbortController, ready: Promise<void>, open: () => Promise<StdinTarget>,
): { close(): void } {
  const pending: Buffer[] = [];
  let pipe: StdinTarget | undefined;
  let ended = false;
  socket.on('data', (chunk: Buffer) => {
    const { data, detached } = detector.feed(chunk);
    if (data.length > 0) {
      if (pipe !== undefined) pipe.write(data);
      else pending.push(data);
    }
    if (detached) done.abort();
  });
  socket.on('end', () => {
    ended = true;
    pipe?.end();
  });
  void ready.then(async () => {
    pipe = await open();
    for (const b of pending.splice(0)) pipe.write(b);
    if (ended) pipe.end();
  }).catch(() => undefined);
  return { close: () => pipe?.close() };
}
