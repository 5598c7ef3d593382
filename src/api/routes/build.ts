import type { BuildService } from '../../build/build-service.js';
import { StepFailedError } from '../../build/stage-executor.js';
import { invalidArgument, isEngineError } from '../../engine-error.js';
import { ProgressStream } from '../convert/progress-json.js';
import { familiarString, parseReference } from '../../reference/image-reference.js';
import type { Router } from '../router.js';

type BuildBackend = Pick<BuildService, 'build' | 'prune'>;

/**
 * `POST /build` with the message stream of Docker's legacy builder, which the
 * official CLI renders (`stream`, `aux` with the image ID, `errorDetail`), and
 * `POST /build/prune`.
 */
export function buildRoutes(router: Router, svc: BuildBackend): void {
  router
    .add('POST', '/build', async (ctx) => {
      if (ctx.query('version') === '2') throw invalidArgument('BuildKit sessions are not supported by berth: build with DOCKER_BUILDKIT=0 (the legacy builder API)');
      const remote = ctx.query('remote');
      const buildArgs = new Map<string, string>();
      for (const [k, v] of Object.entries(jsonObject(ctx.query('buildargs'), 'buildargs'))) {
        if (typeof v === 'string') buildArgs.set(k, v);
      }
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(jsonObject(ctx.query('labels'), 'labels'))) if (typeof v === 'string') labels[k] = v;
      const quiet = ctx.bool('q');
      const filter = ctx.query('nocachefilter');
      const noCacheFilter = filter === undefined || filter === '' ? [] : jsonArray(filter, 'nocachefilter');
      const secrets = parseSecrets(ctx.req.headers['x-berth-build-secrets']);
      const tags = ctx.queryAll('t').filter((t) => t !== '');
      const target = ctx.query('target');
      const shm = ctx.int('shmsize');
      const out = new ProgressStream(ctx.res);
      const send = (msg: Record<string, unknown>): void => out.writeRaw(msg);
      const stream = (text: string): void => {
        if (!quiet) send({ stream: text });
      };
      try {
        const report = await svc.build(ctx.req, {
          tags, dockerfile: ctx.query('dockerfile') ?? 'Dockerfile', buildArgs, noCache: ctx.bool('nocache'), labels,
          networkMode: ctx.query('networkmode') ?? 'default', extraHosts: (ctx.query('extrahosts') ?? '').split(',').filter((h) => h !== ''),
          ...(target !== undefined && target !== '' ? { target } : {}),
          ...(shm !== undefined && shm > 0 ? { shmSize: shm } : {}),
          secrets,
          noCacheFilter,
          ...(remote !== undefined && remote !== '' ? { remote } : {}),
        }, {
          step: (n, total, text) => stream(`Step ${n}/${total} : ${text}\n`),
          info: (text) => stream(`${text}\n`),
          output: (_s, data) => stream(data.toString('utf8')),
        }, ctx.signal);
        for (const w of report.warnings) stream(`${w}\n`);
        send({ aux: { ID: report.id } });
        stream(`Successfully built ${report.id.slice(7, 19)}\n`);
        for (const t of report.tags) stream(`Successfully tagged ${familiar(t)}\n`);
      } catch (e: unknown) {
        if (!out.hasStarted && isEngineError(e) && !(e instanceof StepFailedError)) throw e;
        out.fail(e instanceof Error ? e.message : String(e), e instanceof StepFailedError ? e.exitCode : undefined);
        return;
      }
      out.end();
    })
    .add('POST', '/build/prune', async (ctx) => {
      const r = await svc.prune();
      ctx.sendJson(200, { CachesDeleted: r.deleted, SpaceReclaimed: r.spaceReclaimed });
    });
}

/**
 * Build secrets from the berth CLI: header `X-Berth-Build-Secrets` with a JSON
 * object of id → base64 value (the legacy build API has no session to carry them).
 */
function parseSecrets(header: string | string[] | undefined): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (typeof header !== 'string' || header === '') return out;
  for (const [id, v] of Object.entries(jsonObject(header, 'secrets header'))) {
    if (typeof v === 'string') out.set(id, Buffer.from(v, 'base64'));
  }
  return out;
}

function jsonArray(text: string, name: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalidArgument(`invalid ${name} parameter: ${text}`);
  }
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) throw invalidArgument(`invalid ${name} parameter: ${text}`);
  return v;
}

function jsonObject(text: string | undefined, name: string): Record<string, unknown> {
  if (text === undefined || text === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalidArgument(`invalid ${name} parameter: ${text}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidArgument(`invalid ${name} parameter: ${text}`);
  return v as Record<string, unknown>;
}

function familiar(tag: string): string {
  const ref = parseReference(tag);
  return familiarString(ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: 'latest' } : ref);
}
