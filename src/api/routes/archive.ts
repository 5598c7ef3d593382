import type { ContainerService } from '../../containers/container-service.js';
import { extractInto, statPath, tarOf, type PathStat } from '../../containers/container-archive.js';
import { invalidArgument } from '../../engine-error.js';
import type { RequestContext } from '../request-context.js';
import type { Router } from '../router.js';

type FilesystemBackend = Pick<ContainerService, 'withFilesystem'>;

function statHeader(s: PathStat): string {
  return Buffer.from(JSON.stringify({ name: s.name, size: s.size, mode: s.mode, mtime: s.mtime, linkTarget: s.linkTarget })).toString('base64');
}

function pathParam(ctx: RequestContext): string {
  const p = ctx.query('path') ?? '';
  if (p === '') throw invalidArgument('path cannot be empty');
  return p;
}

/** docker cp and docker export: the archive API, with every path resolved inside the container. */
export function archiveRoutes(router: Router, svc: FilesystemBackend): void {
  const head = async (ctx: RequestContext): Promise<void> => {
    const p = pathParam(ctx);
    await svc.withFilesystem(ctx.param('id'), async (toHost) => {
      const { stat } = await statPath(toHost, p, ctx.param('id'));
      const res = ctx.res;
      if (res === undefined) return;
      res.writeHead(200, { 'X-Docker-Container-Path-Stat': statHeader(stat), 'Content-Length': '0' });
      res.end();
    });
  };
  router
    .add('HEAD', '/containers/{id}/archive', head)
    .add('GET', '/containers/{id}/archive', async (ctx) => {
      if (ctx.req.method === 'HEAD') return head(ctx);
      const p = pathParam(ctx);
      await svc.withFilesystem(ctx.param('id'), async (toHost) => {
        const { stat, hostPath } = await statPath(toHost, p, ctx.param('id'));
        const res = ctx.res;
        if (res === undefined) return;
        res.writeHead(200, { 'Content-Type': 'application/x-tar', 'X-Docker-Container-Path-Stat': statHeader(stat) });
        const tar = tarOf(hostPath, stat.name === '/' ? '.' : stat.name);
        await new Promise<void>((resolve) => {
          tar.on('end', resolve);
          tar.on('error', resolve);
          res.on('close', resolve);
          tar.pipe(res);
        });
      }, 'archive-path');
    })
    .add('PUT', '/containers/{id}/archive', async (ctx) => {
      const p = pathParam(ctx);
      await svc.withFilesystem(ctx.param('id'), async (toHost) => {
        await extractInto(toHost, p, ctx.param('id'), ctx.req, {
          copyUidGid: ctx.bool('copyUIDGID'),
          noOverwriteDirNonDir: ctx.bool('noOverwriteDirNonDir'),
        });
      }, 'extract-to-dir');
      ctx.sendStatus(200);
    })
    .add('GET', '/containers/{id}/export', async (ctx) => {
      await svc.withFilesystem(ctx.param('id'), async (toHost) => {
        const res = ctx.res;
        if (res === undefined) return;
        res.writeHead(200, { 'Content-Type': 'application/x-tar' });
        const tar = tarOf(toHost('/'), '.', { wholeDir: true });
        await new Promise<void>((resolve) => {
          tar.on('end', resolve);
          tar.on('error', resolve);
          res.on('close', resolve);
          tar.pipe(res);
        });
      }, 'export');
    });
}
