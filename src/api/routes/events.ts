import { invalidArgument } from '../../engine-error.js';
import type { EngineEvent, EventBus } from '../../events/event-bus.js';
import { eventMatches } from '../../events/event-filter.js';
import { eventJson } from '../convert/event-json.js';
import type { Router } from '../router.js';

/**
 * `GET /events`: the kept events between `since` and `until` that match the
 * filters, then (unless `until` has passed) new ones as they happen, until
 * `until` comes or the client goes.
 */
export function eventRoutes(router: Router, bus: Pick<EventBus, 'subscribeWindow'>): void {
  router.add('GET', '/events', async (ctx) => {
    const sinceRaw = ctx.query('since') ?? '';
    const untilRaw = ctx.query('until') ?? '';
    const sinceNano = parseEventTime(sinceRaw);
    const untilNano = parseEventTime(untilRaw);
    const filters = ctx.filters();
    if (untilNano !== undefined && sinceNano !== undefined && untilNano < sinceNano) {
      throw invalidArgument(`\`since\` time (${sinceRaw}) cannot be after \`until\` time (${untilRaw})`);
    }
    const res = ctx.res;
    if (res === undefined) return;
    const nowNano = BigInt(Date.now()) * 1_000_000n;
    const onlyPast = untilNano !== undefined && untilNano < nowNano;
    const queue: EngineEvent[] = [];
    let wake: (() => void) | undefined;
    const { past, unsubscribe } = bus.subscribeWindow({ sinceNano, untilNano }, (e) => eventMatches(filters, e), (e) => {
      queue.push(e);
      wake?.();
    });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    for (const e of past) res.write(`${eventJson(e)}\n`);
    if (onlyPast || ctx.signal.aborted) {
      unsubscribe();
      res.end();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const stopped = new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      ctx.signal.addEventListener('abort', stop, { once: true });
      if (untilNano !== undefined) timer = setTimeout(stop, Number((untilNano - nowNano) / 1_000_000n) + 1);
    });
    let done = false;
    void stopped.then(() => {
      done = true;
      wake?.();
    });
    try {
      while (!done) {
        for (const e of queue.splice(0)) {
          if (!res.write(`${eventJson(e)}\n`)) await Promise.race([new Promise((r) => res.once('drain', r)), stopped]);
        }
        if (done) break;
        await new Promise<void>((r) => { wake = r; });
        wake = undefined;
      }
    } finally {
      unsubscribe();
      clearTimeout(timer);
      if (!res.writableEnded) res.end();
    }
  });
}

/**
 * Docker's timestamp parameter: "seconds[.fraction]" (the CLI turns durations and
 * dates into that form); empty means no bound.
 */
export function parseEventTime(v: string): bigint | undefined {
  if (v === '') return undefined;
  const m = /^(-?\d+)(?:\.(\d+))?$/.exec(v);
  if (m === null) throw invalidArgument(`invalid value for time: ${JSON.stringify(v)}: expected Unix seconds with an optional fraction`);
  const frac = (m[2] ?? '').slice(0, 9).padEnd(9, '0');
  return BigInt(m[1] ?? '0') * 1_000_000_000n + BigInt(frac);
}
