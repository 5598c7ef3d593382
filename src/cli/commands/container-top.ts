import type { Command } from '../command.js';
import { formatTable } from '../format/tabwriter.js';

export const command: Command = {
  path: 'container top',
  aliases: ['top'],
  usage: 'CONTAINER [ps OPTIONS]',
  description: 'Display the running processes of a container',
  flags: [],
  interspersed: false,
  args: { kind: 'min', n: 1 },
  async run(ctx, _flags, args) {
    const [container = '', ...psArgs] = args;
    const client = await ctx.client();
    const top = await client.json<{ Titles: string[] | null; Processes: string[][] | null }>(
      'GET', `/containers/${encodeURIComponent(container)}/top`,
      { query: psArgs.length > 0 ? { ps_args: psArgs.join(' ') } : {} },
    );
    // docker's table for top: cells at least 20 wide, 3 spaces apart.
    const lines = [top.Titles ?? [], ...(top.Processes ?? [])].map((row) => `${row.join('\t')}\n`).join('');
    ctx.out(formatTable(lines, { minWidth: 20, tabWidth: 1, padding: 3, padChar: ' ' }));
    return 0;
  },
};
