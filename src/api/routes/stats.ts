import type { StatsSample, StatsService } from '../../containers/stats/stats-service.js';
import { invalidArgument } from '../../engine-error.js';
import { statsJson } from '../convert/stats-json.js';
import type { Router } from '../router.js';

/** Docker's collection interval. */
const INTERVAL_MS = 1000;

/**
 * `GET /containers/{id}/stats`: with `stream` (the default) a reading every
 * second, each with the one before as precpu_stats; without, one reading whose
 * precpu_stats is a second older (so CPU % can be computed), or at once with
 * `one-shot`. A container that does not run gives Docker's empty reading.
 */
export function statsRoutes(router: Router, svc: Pick<StatsService, 'sample'>, intervalMs = INTERVAL_MS): void {
  router.add('GET', '/containers/{id}/stats', async (ctx) => {
    const stream = ctx.bool('stream', true);
    const oneShot = ctx.bool('one-shot');
    if (stream && oneShot) throw invalidArgument('cannot have stream=true and one-shot=true');
    const id = ctx.param('id');
    let current = await svc.sample(id);
    const res = ctx.res;
    if (res === undefined) return;
    const running = current.read !== undefined;
    if (!stream && (oneShot || !running)) {
      ctx.sendJson(200, statsJson(current, undefined));
      return;
    }
    const wait = (): Promise<boolean> => new Promise((resolve) => {
      if (ctx.signal.aborted) {
        resolve(false);
        return;
      }
      const t = setTimeout(() => {
        ctx.signal.removeEventListener('abort', stop);
        resolve(true);
      }, intervalMs);
      const stop = (): void => {
        clearTimeout(t);
        resolve(false);
      };
      ctx.signal.addEventListener('abort', stop, { once: true });
    });
    let previous: StatsSample | undefined;
    if (!stream) {
      // Docker primes the CPU figures with a first reading, then answers with the next one.
      if (!(await wait())) return;
      previous = current;
      current = await svc.sample(id).catch(() => previous ?? current);
      ctx.sendJson(200, statsJson(current, previous));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    for (;;) {
      if (!res.write(`${JSON.stringify(statsJson(current, previous))}\n`)) await new Promise((r) => res.once('drain', r));
      if (!(await wait())) break;
      previous = current.read === undefined ? undefined : current;
      try {
        current = await svc.sample(id);
      } catch {
        break; // the container is gone
      }
    }
    res.end();
  });
}
