import { errorText } from '../cli-errors.js';
import type { CliContext } from '../command.js';

/**
 * The API path of a container, checked as docker's Go client does before any request: the
 * name or ID is trimmed, and an empty one is refused.
 */
export function containerPath(ref: string, rest = ''): string {
  const id = ref.trim();
  if (id === '') throw new Error('invalid container name or ID: value is empty');
  return `/containers/${encodeURIComponent(id)}${rest}`;
}

export interface BatchOptions {
  /**
   * Make the calls at once, at most 50 at a time, like docker's parallelOperation (stop, kill,
   * rm). Results are still reported in argument order.
   */
  readonly parallel?: boolean;
  /** Print each error when it happens (start) instead of all of them after the last call. */
  readonly errorsImmediately?: boolean;
  /** Errors only worth a message, printed when they happen and not counted as failures (rm --force). */
  readonly tolerate?: (e: unknown) => boolean;
}

const MAX_PARALLEL = 50;

/**
 * Runs `op` for each container argument, as docker's stop/kill/rm/restart/wait/start do: prints
 * the line `op` returns (the argument itself if it returns nothing) for each success and
 * "Error response from daemon: ..." for each failure. Returns the arguments that failed; most
 * commands then exit 1. `op` connects itself (`ctx.client()` is shared), so that an unreachable
 * daemon is reported once per argument, as docker does.
 */
export async function forEachContainer(
  ctx: CliContext,
  refs: readonly string[],
  op: (ref: string) => Promise<string | void>,
  options: BatchOptions = {},
): Promise<string[]> {
  const failed: string[] = [];
  const errors: string[] = [];
  const report = (ref: string, result: PromiseSettledResult<string | void>): void => {
    if (result.status === 'fulfilled') {
      ctx.out(`${result.value ?? ref}\n`);
      return;
    }
    const text = errorText(result.reason);
    const tolerated = options.tolerate?.(result.reason) === true;
    if (!tolerated) failed.push(ref);
    if (tolerated || options.errorsImmediately === true) ctx.err(`${text}\n`);
    else errors.push(text);
  };
  const settle = (ref: string): Promise<PromiseSettledResult<string | void>> =>
    op(ref).then((value) => ({ status: 'fulfilled', value }), (reason: unknown) => ({ status: 'rejected', reason }));

  if (options.parallel === true) {
    const results = withLimit(refs, MAX_PARALLEL, settle);
    for (const [i, ref] of refs.entries()) report(ref, await (results[i] as Promise<PromiseSettledResult<string | void>>));
  } else {
    for (const ref of refs) report(ref, await settle(ref));
  }
  if (errors.length > 0) ctx.err(`${errors.join('\n')}\n`);
  return failed;
}

/** Calls `fn` on every item, at most `limit` at a time, in order; one promise per item. */
function withLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Array<Promise<R>> {
  let running = 0;
  const waiting: Array<() => void> = [];
  const slot = (): Promise<void> =>
    new Promise((resolve) => {
      if (running < limit) {
        running++;
        resolve();
      } else {
        waiting.push(resolve);
      }
    });
  const release = (): void => {
    const next = waiting.shift();
    if (next !== undefined) next();
    else running--;
  };
  return items.map((item) => slot().then(() => fn(item)).finally(release));
}
