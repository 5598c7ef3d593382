import type { ImageService } from '../../images/image-service.js';
import { validateImageFilters } from '../../images/image-filters.js';
import { invalidArgument, notImplemented } from '../../engine-error.js';
import { historyJson, imageInspectJson, imageListJson, removeReportJson } from '../convert/image-json.js';
import type { Router } from '../router.js';

type ImageBackend = Pick<ImageService, 'list' | 'inspect' | 'history' | 'tag' | 'remove' | 'import' | 'prune'>;

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
          throw notImplemented(`pulling images is not supported yet: cannot pull ${fromImage}${ctx.query('tag') !== undefined && ctx.query('tag') !== '' ? `:${ctx.query('tag') ?? ''}` : ''}`);
        }
        throw invalidArgument('either fromSrc or fromImage must be given');
      }
      if (fromSrc !== '-') throw notImplemented('importing from a URL is not supported yet');
      const repo = ctx.query('repo');
      const tag = ctx.query('tag');
      const message = ctx.query('message');
      const platform = ctx.query('platform');
      const id = await svc.import(ctx.req, {
        changes: ctx.queryAll('changes'),
        ...(repo !== undefined ? { repo } : {}),
        ...(tag !== undefined ? { tag } : {}),
        ...(message !== undefined ? { message } : {}),
        ...(platform !== undefined ? { platform } : {}),
      });
      const res = ctx.res;
      if (res === undefined) return;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: id }) + '\r\n');
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
    .add('DELETE', '/images/{name*}', async (ctx) => {
      const report = await svc.remove(ctx.param('name'), { force: ctx.bool('force'), noPrune: ctx.bool('noprune') });
      ctx.sendJson(200, removeReportJson(report));
    });
}
