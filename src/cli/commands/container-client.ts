import { writeFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { ApiError } from '../../client/api-error.js';
import { demux } from '../../client/demux.js';
import type { EngineClient } from '../../client/engine-client.js';
import type { WaitResponse } from '../../client/engine-types.js';
import { errorText } from '../cli-errors.js';
import { ExitError, type CliContext } from '../command.js';
import type { CreatePlan } from './container-options.js';
import { parseReference, withDefaultTag } from '../../reference/image-reference.js';
import { pullImage as pullRequest, terminal } from './image-pull.js';

/**
 * Creates the container of a `run`/`create`; a missing image is pulled first, as
 * docker does. `run` reports failures as "<prog>: ..." with status 125; `create`
 * as a plain daemon error with status 1.
 */
export async function createContainer(ctx: CliContext, client: EngineClient, plan: CreatePlan, cmdPath: 'run' | 'create'): Promise<string> {
  const fail = (e: unknown): unknown => (cmdPath === 'run' ? runFailure(ctx, cmdPath, e, 125) : e);
  const create = (): Promise<{ Id: string; Warnings: string[] | null }> =>
    client.json('POST', '/containers/create', { query: { name: plan.name, platform: plan.platform }, body: plan.body });
  let created;
  try {
    if (plan.pull === 'always') await pullImage(ctx, client, plan.body.Image);
    created = await create();
  } catch (e: unknown) {
    if (e instanceof ApiError && e.status === 404 && e.message.startsWith('No such image') && plan.pull !== 'never') {
      ctx.err(`Unable to find image '${withTag(plan.body.Image)}' locally\n`);
      try {
        await pullImage(ctx, client, plan.body.Image);
        created = await create();
      } catch (e2: unknown) {
        throw fail(e2);
      }
    } else {
      throw fail(e);
    }
  }
  for (const w of created.Warnings ?? []) ctx.err(`WARNING: ${w}\n`);
  if (plan.cidfile !== undefined) {
    try {
      writeFileSync(plan.cidfile, created.Id, { flag: 'wx' });
    } catch {
      throw new ExitError(125, `${ctx.prog}: container ID file found, make sure the other container isn't running or delete ${plan.cidfile}`);
    }
  }
  return created.Id;
}

function withTag(image: string): string {
  const lastSlash = image.lastIndexOf('/');
  return image.includes('@') || image.slice(lastSlash + 1).includes(':') ? image : `${image}:latest`;
}

async function pullImage(ctx: CliContext, client: EngineClient, image: string): Promise<void> {
  // Like docker run, the pull's progress goes to stderr.
  await pullRequest(client, { ref: withDefaultTag(parseReference(image)), allTags: false }, (t) => ctx.err(t), terminal(ctx, 'err'));
}

/** The docker CLI's report of a failed run/create/start: "<prog>: <error>" and a hint, with its status. */
export function runFailure(ctx: CliContext, cmdPath: string, e: unknown, status: number): ExitError {
  if (e instanceof ExitError) return e;
  return new ExitError(status, `${ctx.prog}: ${errorText(e)}\n\nRun '${ctx.prog} ${cmdPath} --help' for more information`);
}

/** Starts waiting for the container now (before it starts); resolves with its exit status. */
export async function waitFor(client: EngineClient, id: string, condition: 'next-exit' | 'removed' | 'not-running'): Promise<{ status: Promise<number> }> {
  const res = await client.request('POST', `/containers/${id}/wait`, { query: { condition } });
  const status = (async () => {
    let text = '';
    for await (const c of res) text += (c as Buffer).toString('utf8');
    if (text.trim() === '') throw new Error('wait: no answer from the daemon');
    const r = JSON.parse(text) as WaitResponse;
    if (r.Error !== undefined && r.Error !== null && r.Error.Message !== '') throw new Error(r.Error.Message);
    return r.StatusCode;
  })();
  return { status };
}

/**
 * Attaches to the container (before it starts, for run/start): copies its output
 * to our stdout and stderr and, with `stdin`, our input to it (in raw mode on a
 * terminal, for TTY containers; our end of input closes its stdin otherwise).
 * `done` resolves when the daemon ends the stream: the container stopped, or
 * the detach keys were typed.
 */
export async function attachSession(client: EngineClient, id: string, opts: {
  stdout: boolean; stderr: boolean; stdin?: boolean; tty: boolean; logs?: boolean; detachKeys?: string;
}): Promise<{ done: Promise<void>; socket: Duplex; close(): void }> {
  const hijacked = await client.hijack('POST', `/containers/${id}/attach`, {
    query: {
      stream: true, stdout: opts.stdout, stderr: opts.stderr, stdin: opts.stdin === true,
      ...(opts.logs === true ? { logs: true } : {}),
      ...(opts.detachKeys !== undefined && opts.detachKeys !== '' ? { detachKeys: opts.detachKeys } : {}),
    },
  });
  return streamSession(hijacked, { stdin: opts.stdin === true, tty: opts.tty });
}

/**
 * Runs a hijacked stream (attach, exec start) against our terminal: its output
 * to our stdout and stderr and, with `stdin`, our input to it (raw mode on a
 * terminal for TTY sessions; the end of piped input half-closes the stream).
 */
export function streamSession(hijacked: { socket: Duplex; head: Buffer }, opts: { stdin: boolean; tty: boolean }): { done: Promise<void>; socket: Duplex; close(): void } {
  const { socket, head } = hijacked;
  socket.on('error', () => undefined);
  const input = process.stdin;
  const raw = opts.stdin === true && opts.tty && input.isTTY;
  if (opts.stdin === true) {
    if (raw) input.setRawMode(true);
    input.on('data', (d: Buffer) => socket.write(d));
    // On a terminal the end of input is typed (^D) and passed on; a pipe's end closes the container's stdin.
    input.on('end', () => { if (!opts.tty) (socket as unknown as { end(): void }).end(); });
  }
  const close = (): void => {
    if (opts.stdin === true) {
      if (raw) input.setRawMode(false);
      input.removeAllListeners('data');
      input.pause();
      input.unref?.();
    }
  };
  const write = (target: NodeJS.WriteStream, data: Buffer): Promise<void> =>
    new Promise((resolve) => {
      if (target.write(data)) resolve();
      else target.once('drain', resolve);
    });
  const done = (async () => {
    try {
      if (opts.tty) {
        if (head.length > 0) await write(process.stdout, head);
        for await (const chunk of socket) await write(process.stdout, chunk as Buffer);
      } else {
        await demux(socket as AsyncIterable<Buffer>, (s, data) => write(s === 2 ? process.stderr : process.stdout, data), head);
      }
    } finally {
      close();
    }
  })();
  return { done, socket, close };
}

/** Whether the container still runs (after an attach ended: then the user detached). */
export async function stillRunning(client: EngineClient, id: string): Promise<boolean> {
  try {
    const c = await client.json<{ State?: { Running?: boolean } }>('GET', `/containers/${id}/json`);
    return c.State?.Running === true;
  } catch {
    return false;
  }
}

/** Keeps the container's terminal the size of ours (now, and on every change). */
export function followTerminalSize(client: EngineClient, id: string): () => void {
  if (!process.stdout.isTTY) return () => undefined;
  const send = (): void => {
    void client.call('POST', `/containers/${id}/resize`, { query: { h: process.stdout.rows, w: process.stdout.columns } }).catch(() => undefined);
  };
  send();
  process.stdout.on('resize', send);
  return () => process.stdout.off('resize', send);
}

/** Forwards SIGINT/SIGTERM/SIGHUP/... to the container while we are attached (`--sig-proxy`). */
export function proxySignals(client: EngineClient, id: string): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];
  const handler = (sig: NodeJS.Signals): void => {
    void client.call('POST', `/containers/${id}/kill`, { query: { signal: sig } }).catch(() => undefined);
  };
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
