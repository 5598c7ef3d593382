import type { EngineClient } from '../../client/engine-client.js';
import type { ContainerListEntry } from '../../client/engine-types.js';
import { streamLines } from '../../client/json-lines.js';
import { errorText } from '../cli-errors.js';
import { ExitError, type Command } from '../command.js';
import { renderRows } from '../format/formatter.js';
import { containerPath } from './container-batch.js';
import { STATS_TABLE, statsEntry, statsRow, type StatsEntry, type StatsResponse } from './stats-entry.js';
import { FORMAT_HELP } from './system-format-flag.js';

const REFRESH_MS = 500;

/** Calls `onLine` with each reading of a stats stream. */
async function readJsonLines(res: AsyncIterable<unknown>, onLine: (v: StatsResponse) => void): Promise<void> {
  for await (const line of streamLines(res)) onLine(JSON.parse(line) as StatsResponse);
}

async function listContainers(client: EngineClient, all: boolean): Promise<string[]> {
  const list = await client.json<ContainerListEntry[]>('GET', '/containers/json', { query: { all: all || undefined } });
  return list.map((c) => c.Id.slice(0, 12));
}

function render(format: string, entries: readonly StatsEntry[], trunc: boolean): string {
  return renderRows(format, entries.map((e) => statsRow(e, trunc)), STATS_TABLE);
}

/**
 * One refresh of the streaming table, byte for byte as docker 28 writes it: the
 * table after a cursor-home, then (docker appends to the same buffer) the table
 * again with an erase-to-end-of-line after each line, and an erase-below.
 */
export function streamFrame(table: string): string {
  const first = `\x1b[H${table}`;
  return `${first}${first.split('\n').map((line) => `${line} \x1b[K\n`).join('')}\x1b[J`;
}

export const command: Command = {
  path: 'container stats',
  aliases: ['stats'],
  usage: '[OPTIONS] [CONTAINER...]',
  description: 'Display a live stream of container(s) resource usage statistics',
  flags: [
    { name: 'all', short: 'a', type: 'bool', usage: 'Show all containers (default shows just running)' },
    { name: 'format', type: 'string', usage: FORMAT_HELP },
    { name: 'no-stream', type: 'bool', usage: 'Disable streaming stats and only pull the first result' },
    { name: 'no-trunc', type: 'bool', usage: 'Do not truncate output' },
  ],
  interspersed: true,
  args: { kind: 'min', n: 0 },
  async run(ctx, flags, args) {
    const client = await ctx.client();
    const format = flags.getString('format');
    const trunc = !flags.getBool('no-trunc');
    const all = flags.getBool('all');
    const named = args.length > 0;
    const names = named ? [...args] : await listContainers(client, all);

    if (flags.getBool('no-stream')) {
      const results = await Promise.all(names.map(async (name) => {
        try {
          const s = await client.json<StatsResponse>('GET', containerPath(name, '/stats'), { query: { stream: false } });
          return { entry: statsEntry(name, s) };
        } catch (e: unknown) {
          return { error: errorText(e) };
        }
      }));
      const errors = results.flatMap((r) => ('error' in r && r.error !== undefined ? [r.error] : []));
      if (errors.length > 0) throw new ExitError(1, errors.join('\n'));
      ctx.out(render(format, results.flatMap((r) => ('entry' in r && r.entry !== undefined ? [r.entry] : [])), trunc));
      return 0;
    }

    // Streaming: one stats stream per container, the table redrawn twice a second.
    const latest = new Map<string, StatsEntry>();
    const streams = new Map<string, AbortController>();
    const failures: string[] = [];
    const follow = (name: string): void => {
      if (streams.has(name)) return;
      const ac = new AbortController();
      streams.set(name, ac);
      void client.request('GET', containerPath(name, '/stats'), { query: { stream: true }, signal: ac.signal })
        .then((res) => readJsonLines(res, (s) => latest.set(name, statsEntry(name, s))))
        .catch((e: unknown) => {
          if (!ac.signal.aborted && named) failures.push(errorText(e));
        })
        .finally(() => {
          streams.delete(name);
          if (!named) latest.delete(name);
        });
    };
    for (const n of names) follow(n);
    let lastList = Date.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, REFRESH_MS));
      if (failures.length > 0 && named && streams.size === 0) throw new ExitError(1, failures.join('\n'));
      if (!named && Date.now() - lastList > 2000) {
        lastList = Date.now();
        const current = await listContainers(client, all).catch(() => [...streams.keys()]);
        for (const n of current) follow(n);
        for (const [n, ac] of streams) if (!current.includes(n)) ac.abort();
      }
      const rows = names.length > 0 && named ? names.flatMap((n) => latest.get(n) ?? []) : [...latest.values()];
      ctx.out(streamFrame(render(format, rows, trunc)));
    }
  },
};
