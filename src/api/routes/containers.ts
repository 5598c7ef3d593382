import type { ContainerService, WaitCondition } from '../../containers/container-service.js';
import { invalidArgument } from '../../engine-error.js';
import { parseTimestamp } from '../../runtime/container-log.js';
import { containerInspectJson, containerListJson } from '../convert/container-json.js';
import { parseCreateBody, parseResources, parseRestartPolicy } from '../convert/container-create.js';
import { asObject } from '../convert/json-fields.js';
import type { RequestContext } from '../request-context.js';
import type { Router } from '../router.js';
import { frame, MULTIPLEXED, RAW_STREAM } from '../stream-framing.js';
import { DetachDetector, parseDetachKeys } from '../detach-keys.js';
import { forwardInput, hijack, writeTo } from '../hijack.js';
import { WebSocket, WebSocketServer } from 'ws';
import { EventEmitter } from 'node:events';
import type { ExecService } from '../../containers/exec-service.js';

type ContainerBackend = Pick<ContainerService,
  'create' | 'start' | 'stop' | 'kill' | 'restart' | 'remove' | 'rename' | 'wait' | 'list' | 'inspect' | 'logs' | 'attach' | 'prune' | 'resolve'
  | 'whenRunning' | 'openStdin' | 'resize' | 'top' | 'update' | 'pause' | 'unpause'>;

const WAIT_CONDITIONS: readonly WaitCondition[] = ['not-running', 'next-exit', 'removed'];

export function containerRoutes(router: Router, svc: ContainerBackend, execs?: Pick<ExecService, 'idsOf'>): void {
  router
    .add('POST', '/containers/create', async (ctx) => {
      const opts = parseCreateBody(await ctx.json(), ctx.query('name'));
      const { id, warnings } = await svc.create(opts);
      ctx.sendJson(201, { Id: id, Warnings: warnings });
    })
    .add('GET', '/containers/json', async (ctx) => {
      const limit = ctx.int('limit');
      const views = await svc.list({
        all: ctx.bool('all'), size: ctx.bool('size'), filters: ctx.filters(),
        ...(limit !== undefined ? { limit } : {}),
      });
      const now = new Date();
      ctx.sendJson(200, views.map((v) => containerListJson(v, now)));
    })
    .add('POST', '/containers/prune', async (ctx) => {
      const r = await svc.prune(ctx.filters());
      ctx.sendJson(200, { ContainersDeleted: r.deleted.length > 0 ? r.deleted : null, SpaceReclaimed: r.spaceReclaimed });
    })
    .add('GET', '/containers/{id}/json', async (ctx) => {
      const view = await svc.inspect(ctx.param('id'), { size: ctx.bool('size') });
      ctx.sendJson(200, containerInspectJson(view, execs?.idsOf(view.record.config.id) ?? []));
    })
    .add('POST', '/containers/{id}/start', async (ctx) => {
      await svc.start(ctx.param('id'));
      ctx.sendStatus(204);
    })
    .add('POST', '/containers/{id}/stop', async (ctx) => {
      const t = ctx.int('t') ?? ctx.int('timeout');
      const signal = ctx.query('signal');
      await svc.stop(ctx.param('id'), { ...(t !== undefined ? { timeout: t } : {}), ...(signal !== undefined && signal !== '' ? { signal } : {}) });
      ctx.sendStatus(204);
    })
    .add('POST', '/containers/{id}/restart', async (ctx) => {
      const t = ctx.int('t') ?? ctx.int('timeout');
      const signal = ctx.query('signal');
      await svc.restart(ctx.param('id'), { ...(t !== undefined ? { timeout: t } : {}), ...(signal !== undefined && signal !== '' ? { signal } : {}) });
      ctx.sendStatus(204);
    })
    .add('POST', '/containers/{id}/kill', async (ctx) => {
      const signal = ctx.query('signal');
      await svc.kill(ctx.param('id'), signal !== undefined && signal !== '' ? signal : 'SIGKILL');
      ctx.sendStatus(204);
    })
    .add('POST', '/containers/{id}/pause', async (ctx) => {
      await svc.pause(ctx.param('id'));
      ctx.sendStatus(204);
    })
    .add('POST', '/containers/{id}/unpause', async (ctx) => {
      await svc.unpause(ctx.param('id'));
      ctx.sendStatus(204);
    })
    .add('DELETE', '/containers/{id}', async (ctx) => {
      await svc.remove(ctx.param('id'), { force: ctx.bool('force'), volumes: ctx.bool('v') });
      ctx.sendStatus(204);
    })
    .add('POST', '/containers/{id}/rename', async (ctx) => {
      await svc.rename(ctx.param('id'), ctx.query('name') ?? '');
      ctx.sendStatus(204);
    })
    .add('POST', '/containers/{id}/update', async (ctx) => {
      const body = asObject(await ctx.json(), 'UpdateConfig') ?? {};
      const warnings = await svc.update(ctx.param('id'), {
        resources: parseResources(body),
        ...(body['RestartPolicy'] !== undefined && body['RestartPolicy'] !== null ? { restartPolicy: parseRestartPolicy(body['RestartPolicy']) } : {}),
      });
      ctx.sendJson(200, { Warnings: warnings });
    })
    .add('GET', '/containers/{id}/top', async (ctx) => {
      const r = await svc.top(ctx.param('id'), ctx.query('ps_args'));
      ctx.sendJson(200, { Titles: r.titles, Processes: r.processes });
    })
    .add('POST', '/containers/{id}/resize', async (ctx) => {
      await svc.resize(ctx.param('id'), ctx.int('h') ?? 0, ctx.int('w') ?? 0);
      ctx.sendStatus(200);
    })
    .add('POST', '/containers/{id}/wait', async (ctx) => {
      const condition = (ctx.query('condition') ?? '') === '' ? 'not-running' : (ctx.query('condition') as WaitCondition);
      if (!WAIT_CONDITIONS.includes(condition)) throw invalidArgument(`invalid condition: "${condition}"`);
      const result = svc.wait(ctx.param('id'), condition, ctx.signal);
      const res = ctx.res;
      if (res === undefined) return;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      const r = await result.catch(() => undefined);
      if (r === undefined) {
        res.end();
        return;
      }
      res.end(JSON.stringify(r.error !== undefined ? { Error: { Message: r.error }, StatusCode: r.statusCode } : { StatusCode: r.statusCode }) + '\n');
    })
    .add('GET', '/containers/{id}/logs', async (ctx) => {
      const stdout = ctx.bool('stdout');
      const stderr = ctx.bool('stderr');
      if (!stdout && !stderr) throw invalidArgument('Bad parameters: you must choose at least one stream');
      const tailRaw = ctx.query('tail');
      const tail = tailRaw === undefined || tailRaw === '' || tailRaw === 'all' ? undefined : Number.parseInt(tailRaw, 10);
      const since = timeParam(ctx.query('since'));
      const until = timeParam(ctx.query('until'));
      const { tty, entries } = svc.logs(ctx.param('id'), {
        follow: ctx.bool('follow'), stdout, stderr, signal: ctx.signal,
        ...(tail !== undefined && !Number.isNaN(tail) ? { tail } : {}),
        ...(since !== undefined && since > 0n ? { sinceNano: since } : {}),
        ...(until !== undefined && until > 0n ? { untilNano: until } : {}),
      });
      const timestamps = ctx.bool('timestamps');
      const res = ctx.res;
      if (res === undefined) return;
      res.writeHead(200, { 'Content-Type': tty ? RAW_STREAM : ctx.atLeast('1.42') ? MULTIPLEXED : RAW_STREAM });
      res.flushHeaders();
      for await (const e of entries) {
        const data = timestamps ? Buffer.concat([Buffer.from(`${e.timestamp} `), e.data]) : e.data;
        const ok = res.write(tty ? data : frame(e.stream === 'stdout' ? 1 : 2, data));
        if (!ok) await new Promise((r) => res.once('drain', r));
        if (ctx.signal.aborted) break;
      }
      res.end();
    })
    .add('POST', '/containers/{id}/attach', async (ctx) => {
      await attach(ctx, svc);
    })
    .add('GET', '/containers/{id}/attach/ws', async (ctx) => {
      await attachWebsocket(ctx, svc);
    });
}

/** Docker's `since`/`until`: Unix seconds with an optional fraction, or an RFC 3339 time. */
function timeParam(v: string | undefined): bigint | undefined {
  if (v === undefined || v === '') return undefined;
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(v);
  if (m !== null) return BigInt(m[1] ?? '0') * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
  const t = parseTimestamp(v);
  if (t === undefined) throw invalidArgument(`invalid value for time: ${v}`);
  return t.nano;
}

async function attach(ctx: RequestContext, svc: ContainerBackend): Promise<void> {
  const wantStdout = ctx.bool('stdout');
  const wantStderr = ctx.bool('stderr');
  const stream = ctx.bool('stream');
  const logs = ctx.bool('logs');
  const rec = svc.resolve(ctx.param('id'));
  const id = rec.config.id;
  const tty = rec.config.tty;
  const wantStdin = ctx.bool('stdin') && rec.config.openStdin;
  const detector = new DetachDetector(parseDetachKeys(ctx.query('detachKeys') ?? 'ctrl-p,ctrl-q'));
  const contentType = tty || !ctx.atLeast('1.42') ? RAW_STREAM : MULTIPLEXED;
  const socket = hijack(ctx, contentType);
  // The attach ends when the container stops, the client goes, or the client types the detach keys.
  const done = new AbortController();
  const end = (): void => done.abort();
  ctx.signal.addEventListener('abort', end);
  const input = wantStdin ? forwardInput(socket, detector, done, svc.whenRunning(id, done.signal), () => svc.openStdin(id)) : undefined;
  if (!wantStdin) socket.on('data', () => undefined);
  const write = async (s: 'stdout' | 'stderr', data: Buffer): Promise<void> => {
    if ((s === 'stdout' && !wantStdout) || (s === 'stderr' && !wantStderr)) return;
    await writeTo(socket, tty ? data : frame(s === 'stdout' ? 1 : 2, data));
  };
  try {
    await copyOutput(svc, id, { logs, stream }, done.signal, write);
  } finally {
    input?.close();
    ctx.signal.removeEventListener('abort', end);
    if (socket.writable) socket.end();
  }
}

/** The container's past output (`logs`) and then its live output (`stream`) until it stops or `signal` aborts. */
async function copyOutput(
  svc: ContainerBackend, id: string, opts: { logs: boolean; stream: boolean }, signal: AbortSignal,
  write: (s: 'stdout' | 'stderr', data: Buffer) => Promise<void>,
): Promise<void> {
  // Subscribed before the past is read, so nothing falls between the two.
  const live = opts.stream ? await svc.attach(id, signal) : undefined;
  if (opts.logs) {
    for await (const e of svc.logs(id, { signal }).entries) await write(e.stream, e.data);
  }
  if (live !== undefined) {
    for await (const e of live.entries) await write(e.stream, e.data);
  }
}

/**
 * The websocket flavour of attach: output as binary messages (text before API
 * 1.28), never multiplexed; messages from the client go to the container's stdin.
 */
async function attachWebsocket(ctx: RequestContext, svc: ContainerBackend): Promise<void> {
  const upgrade = ctx.upgrade;
  if (upgrade === undefined || String(ctx.req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    throw invalidArgument('this endpoint needs a websocket upgrade');
  }
  const rec = svc.resolve(ctx.param('id'));
  const id = rec.config.id;
  const wantStdout = ctx.bool('stdout');
  const wantStderr = ctx.bool('stderr');
  const wantStdin = ctx.bool('stdin') && rec.config.openStdin;
  const binary = ctx.atLeast('1.28');
  const server = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const ws = await new Promise<WebSocket>((resolve) => server.handleUpgrade(ctx.req, upgrade.socket, upgrade.head, resolve));
  const done = new AbortController();
  const end = (): void => done.abort();
  ws.on('close', end);
  ws.on('error', end);
  ctx.signal.addEventListener('abort', end);
  // The client's messages are its input: the same forwarding (and detach keys) as a hijacked attach.
  const messages = new EventEmitter();
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    messages.emit('data', Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer));
  });
  const detector = new DetachDetector(parseDetachKeys(ctx.query('detachKeys') ?? 'ctrl-p,ctrl-q'));
  const input = wantStdin ? forwardInput(messages, detector, done, svc.whenRunning(id, done.signal), () => svc.openStdin(id)) : undefined;
  try {
    await copyOutput(svc, id, { logs: ctx.bool('logs'), stream: ctx.bool('stream') }, done.signal, async (s, data) => {
      if ((s === 'stdout' && !wantStdout) || (s === 'stderr' && !wantStderr)) return;
      if (ws.readyState !== WebSocket.OPEN) return;
      await new Promise<void>((resolve) => ws.send(data, { binary }, () => resolve()));
    });
  } finally {
    input?.close();
    ctx.signal.removeEventListener('abort', end);
    if (ws.readyState === WebSocket.OPEN) ws.close(1000);
    server.close();
  }
}
