import type { ImageService } from '../../images/image-service.js';
import { validateImageFilters } from '../../images/image-filters.js';
import { invalidArgument } from '../../engine-error.js';
import { historyJson, imageInspectJson, imageListJson, removeReportJson } from '../convert/image-json.js';
import type { Router } from '../router.js';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RequestContext } from '../request-context.js';
import { ProgressStream } from '../convert/progress-json.js';
import { decodeRegistryAuth, parseAuthConfig } from '../../registry/auth-config.js';

async function sendArchive(ctx: RequestContext, archive: Readable): Promise<void> {
  const res = ctx.res;
  if (res === undefined) return;
  res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  try {
    await pipeline(archive, res);
  } catch {
    res.destroy();
  }
}

function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

type ImageBackend = Pick<ImageService, 'list' | 'inspect' | 'history' | 'tag' | 'remove' | 'import' | 'prune' | 'pull' | 'push' | 'login' | 'save' | 'load' | 'importFromUrl'>;

/** Runs a streamed operation: errors before the first message are normal error responses. */
async function streamed(ctx: RequestContext, run: (stream: ProgressStream) => Promise<void>): Promise<void> {
  const stream = new ProgressStream(ctx.res);
  try {
    await run(stream);
  } catch (e: unknown) {
    if (!stream.hasStarted) throw e;
    stream.fail(e instanceof Error ? e.message : String(e));
    return;
  }
  stream.end();
}

export function imageRoutes(router: Router, svc: ImageBackend): void {
  router
    .add('GET', '/images/json', async (ctx) => {
      const filters = ctx.filters();
      // Docker's legacy `filter` parameter is a reference filter.
      const legacy = ctx.query('filter');
      if (legacy !== undefined && legacy !== '') filters['reference'] = [...(filters['reference'] ?? []), legacy];
      validateImageFilters(filters);
      const images = svc.list({ filters });
      ctx.sendJson(200, images.map((i) => imageListJson(i, { apiVersion: (v) => ctx.atLeast(v), withContainers: true })));
    })
    .add('POST', '/images/create', async (ctx) => {
      const fromSrc = ctx.query('fromSrc');
      const fromImage = ctx.query('fromImage');
      if (fromSrc === undefined || fromSrc === '') {
        if (fromImage !== undefined && fromImage !== '') {
          const tag = ctx.query('tag');
          const platform = ctx.query('platform');
          const auth = decodeRegistryAuth(header(ctx, 'x-registry-auth'));
          await streamed(ctx, async (stream) => {
            await svc.pull({ reference: fromImage, auth, signal: ctx.signal, ...(tag !== undefined ? { tag } : {}), ...(platform !== undefined ? { platform } : {}) }, stream.write);
          });
          return;
        }
        throw invalidArgument('either fromSrc or fromImage must be given');
      }
      const repo = ctx.query('repo');
      const tag = ctx.query('tag');
      const message = ctx.query('message');
      const platform = ctx.query('platform');
      const opts = {
        changes: ctx.queryAll('changes'),
        ...(repo !== undefined ? { repo } : {}),
        ...(tag !== undefined ? { tag } : {}),
        ...(message !== undefined ? { message } : {}),
        ...(platform !== undefined ? { platform } : {}),
      };
      if (fromSrc !== '-') {
        await streamed(ctx, async (stream) => {
          const id = await svc.importFromUrl(fromSrc, opts, stream.write, ctx.signal);
          stream.write({ status: id });
        });
        return;
      }
      const id = await svc.import(ctx.req, opts);
      const res = ctx.res;
      if (res === undefined) return;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: id }) + '\r\n');
    })
    .add('GET', '/images/get', async (ctx) => {
      await sendArchive(ctx, await svc.save(ctx.queryAll('names')));
    })
    .add('POST', '/images/load', async (ctx) => {
      await streamed(ctx, async (stream) => {
        await svc.load(ctx.req, stream.write);
      });
    })
    .add('GET', '/images/{name*}/get', async (ctx) => {
      await sendArchive(ctx, await svc.save([ctx.param('name')]));
    })
    .add('POST', '/auth', async (ctx) => {
      const auth = parseAuthConfig(await ctx.json());
      await svc.login(auth, ctx.signal);
      ctx.sendJson(200, { Status: 'Login Succeeded', IdentityToken: '' });
    })
    .add('POST', '/images/prune', async (ctx) => {
      const filters = ctx.filters();
      const dangling = filters['dangling']?.[0];
      const all = dangling === 'false' || dangling === '0';
      // Docker's accepted prune filters; `label!` keeps images with that label.
      for (const k of Object.keys(filters)) if (!['dangling', 'label', 'label!', 'until'].includes(k)) throw invalidArgument(`invalid filter '${k}'`);
      const { 'label!': _notLabels, ...rest } = filters;
      validateImageFilters(rest);
      const r = await svc.prune({ all, filters });
      ctx.sendJson(200, { ImagesDeleted: r.deleted.length > 0 ? removeReportJson(r.deleted) : null, SpaceReclaimed: r.spaceReclaimed });
    })
    .add('GET', '/images/{name*}/json', async (ctx) => {
      ctx.sendJson(200, imageInspectJson(svc.inspect(ctx.param('name')), { apiVersion: (v) => ctx.atLeast(v) }));
    })
    .add('GET', '/images/{name*}/history', async (ctx) => {
      ctx.sendJson(200, historyJson(svc.history(ctx.param('name'))));
    })
    .add('POST', '/images/{name*}/tag', async (ctx) => {
      const repo = ctx.query('repo') ?? '';
      if (repo === '') throw invalidArgument('repository name must have at least one component');
      await svc.tag(ctx.param('name'), repo, ctx.query('tag'));
      ctx.sendStatus(201);
    })
    .add('POST', '/images/{name*}/push', async (ctx) => {
      const tag = ctx.query('tag');
      const auth = decodeRegistryAuth(header(ctx, 'x-registry-auth'));
      await streamed(ctx, async (stream) => {
        await svc.push({ name: ctx.param('name'), auth, signal: ctx.signal, ...(tag !== undefined && tag !== '' ? { tag } : {}) }, stream.write);
      });
    })
    .add('DELETE', '/images/{name*}', async (ctx) => {
      const report = await svc.remove(ctx.param('name'), { force: ctx.bool('force'), noPrune: ctx.bool('noprune') });
      ctx.sendJson(200, removeReportJson(report));
    });
}
