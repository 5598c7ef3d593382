import type { CommitService } from '../../build/commit-service.js';
import type { ContainerService } from '../../containers/container-service.js';
import { invalidArgument } from '../../engine-error.js';
import type { Router } from '../router.js';

/** `POST /commit` (docker commit) and `GET /containers/{id}/changes` (docker diff). */
export function commitRoutes(router: Router, commits: Pick<CommitService, 'commit'>, containers: Pick<ContainerService, 'changes'>): void {
  router
    .add('POST', '/commit', async (ctx) => {
      const container = ctx.query('container') ?? '';
      if (container === '') throw invalidArgument('container is required');
      const repo = ctx.query('repo') ?? '';
      const tag = ctx.query('tag') ?? '';
      if (repo === '' && tag !== '') throw invalidArgument('repository name must have at least one component');
      const comment = ctx.query('comment');
      const author = ctx.query('author');
      const id = await commits.commit({
        container,
        tags: repo === '' ? [] : [tag === '' ? repo : `${repo}:${tag}`],
        changes: ctx.queryAll('changes'),
        ...(comment !== undefined ? { comment } : {}),
        ...(author !== undefined ? { author } : {}),
      });
      ctx.sendJson(201, { Id: id });
    })
    .add('GET', '/containers/{id}/changes', async (ctx) => {
      const list = await containers.changes(ctx.param('id'));
      ctx.sendJson(200, list.map((c) => ({ Path: c.path, Kind: c.kind })));
    });
}
