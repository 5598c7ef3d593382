import type { ExecCreateOptions, ExecService } from '../../containers/exec-service.js';
import { invalidArgument, isEngineError } from '../../engine-error.js';
import { DetachDetector, parseDetachKeys } from '../detach-keys.js';
import { forwardInput, hijack, writeTo } from '../hijack.js';
import type { Router } from '../router.js';
import { frame, MULTIPLEXED, RAW_STREAM } from '../stream-framing.js';

type ExecBackend = Pick<ExecService, 'create' | 'get' | 'start' | 'openStdin' | 'resize'>;

export function execRoutes(router: Router, svc: ExecBackend): void {
  router
    .add('POST', '/containers/{id}/exec', async (ctx) => {
      const opts = parseExecCreate(await ctx.json());
      const id = await svc.create(ctx.param('id'), opts);
      ctx.sendJson(201, { Id: id });
    })
    .add('GET', '/exec/{id}/json', async (ctx) => {
      const ex = svc.get(ctx.param('id'));
      const [entrypoint = '', ...args] = ex.opts.cmd;
      ctx.sendJson(200, {
        ID: ex.id,
        Running: ex.running,
        ExitCode: ex.exitCode ?? null,
        ProcessConfig: {
          tty: ex.opts.tty === true, entrypoint, arguments: args, privileged: ex.opts.privileged === true,
          ...(ex.opts.user !== undefined && ex.opts.user !== '' ? { user: ex.opts.user } : {}),
        },
        OpenStdin: ex.opts.attachStdin === true,
        OpenStderr: ex.opts.attachStderr === true,
        OpenStdout: ex.opts.attachStdout === true,
        CanRemove: false,
        ContainerID: ex.containerId,
        DetachKeys: ex.opts.detachKeys ?? '',
        Pid: ex.pid,
      });
    })
    .add('POST', '/exec/{id}/resize', async (ctx) => {
      await svc.resize(ctx.param('id'), ctx.int('h') ?? 0, ctx.int('w') ?? 0);
      ctx.sendStatus(200);
    })
    .add('POST', '/exec/{id}/start', async (ctx) => {
      const body = objectBody(await ctx.json());
      const execId = ctx.param('id');
      const ex = svc.get(execId);
      const detach = body['Detach'] === true;
      const tty = typeof body['Tty'] === 'boolean' ? body['Tty'] : ex.opts.tty === true;
      const consoleSize = parseConsoleSize(body['ConsoleSize']);
      if (detach) {
        await svc.start(execId, { tty, signal: ctx.signal, ...(consoleSize !== undefined ? { consoleSize } : {}) });
        ctx.sendStatus(200);
        return;
      }
      // Refused before the stream begins: the client sees an HTTP error.
      if (ex.started) await svc.start(execId, { signal: ctx.signal });
      const contentType = tty || !ctx.atLeast('1.42') ? RAW_STREAM : MULTIPLEXED;
      const socket = hijack(ctx, contentType);
      const done = new AbortController();
      const end = (): void => done.abort();
      ctx.signal.addEventListener('abort', end);
      const out = async (stream: 1 | 2, data: Buffer): Promise<void> => {
        if ((stream === 1 && ex.opts.attachStdout === false) || (stream === 2 && ex.opts.attachStderr === false)) return;
        await writeTo(socket, tty ? data : frame(stream, data));
      };
      const detector = new DetachDetector(parseDetachKeys(ex.opts.detachKeys !== undefined && ex.opts.detachKeys !== '' ? ex.opts.detachKeys : 'ctrl-p,ctrl-q'));
      const started = svc.start(execId, { tty, signal: done.signal, ...(consoleSize !== undefined ? { consoleSize } : {}) });
      const input = ex.opts.attachStdin === true
        ? forwardInput(socket, detector, done, started.then(() => undefined), () => svc.openStdin(execId))
        : undefined;
      if (input === undefined) socket.on('data', () => undefined);
      try {
        let session;
        try {
          session = await started;
        } catch (e: unknown) {
          // As Docker: the stream is open already, so the error goes down it (the exit code is in exec inspect).
          if (!isEngineError(e) && !(e instanceof Error)) throw e;
          await out(1, Buffer.from(`${e.message}\r\n`));
          return;
        }
        for await (const entry of session.output) await out(entry.stream === 'stdout' ? 1 : 2, entry.data);
      } finally {
        input?.close();
        ctx.signal.removeEventListener('abort', end);
        if (socket.writable) socket.end();
      }
    });
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidArgument('invalid JSON body: expected an object');
  return body as Record<string, unknown>;
}

function parseConsoleSize(v: unknown): [number, number] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((n) => Number.isInteger(n) && (n as number) >= 0)) {
    throw invalidArgument('ConsoleSize must be an array of two non-negative integers');
  }
  return [v[0] as number, v[1] as number];
}

function stringList(v: unknown, field: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw invalidArgument(`${field} must be an array of strings`);
  return v as string[];
}

function optString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidArgument(`${field} must be a string`);
  return v;
}

/** The body of `POST /containers/{id}/exec`. */
export function parseExecCreate(raw: unknown): ExecCreateOptions {
  const b = objectBody(raw);
  const cmd = stringList(b['Cmd'], 'Cmd') ?? [];
  const env = stringList(b['Env'], 'Env');
  const user = optString(b['User'], 'User');
  const workingDir = optString(b['WorkingDir'], 'WorkingDir');
  const detachKeys = optString(b['DetachKeys'], 'DetachKeys');
  if (detachKeys !== undefined && detachKeys !== '') parseDetachKeys(detachKeys);
  if (workingDir !== undefined && workingDir !== '' && !workingDir.startsWith('/')) {
    throw invalidArgument(`the working directory '${workingDir}' is invalid, it needs to be an absolute path`);
  }
  const consoleSize = parseConsoleSize(b['ConsoleSize']);
  return {
    cmd,
    ...(env !== undefined ? { env } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(workingDir !== undefined ? { workingDir } : {}),
    ...(detachKeys !== undefined ? { detachKeys } : {}),
    ...(consoleSize !== undefined ? { consoleSize } : {}),
    privileged: b['Privileged'] === true,
    tty: b['Tty'] === true,
    attachStdin: b['AttachStdin'] === true,
    attachStdout: b['AttachStdout'] === true,
    attachStderr: b['AttachStderr'] === true,
  };
}
