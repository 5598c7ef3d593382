import type { Command } from '../command.js';
import { confirm } from './system-confirm.js';
import { humanSize } from '../../units/human-units.js';

export const command: Command = {
  path: 'builder prune',
  usage: '[OPTIONS]',
  description: 'Remove build cache',
  flags: [
    { name: 'all', short: 'a', type: 'bool', usage: 'Remove all unused build cache, not just dangling ones' },
    { name: 'force', short: 'f', type: 'bool', usage: 'Do not prompt for confirmation' },
  ],
  interspersed: true,
  args: { kind: 'none' },
  async run(ctx, flags) {
    if (!flags.getBool('force') && !(await confirm(ctx, 'WARNING! This will remove all dangling build cache. Are you sure you want to continue?'))) return 0;
    const client = await ctx.client();
    const r = await client.json<{ CachesDeleted: string[] | null; SpaceReclaimed: number }>('POST', '/build/prune');
    const deleted = r.CachesDeleted ?? [];
    if (deleted.length > 0) ctx.out(`Deleted build cache objects:\n${deleted.map((d) => `${d}\n`).join('')}\n`);
    ctx.out(`Total reclaimed space: ${humanSize(r.SpaceReclaimed)}\n`);
    return 0;
  },
};
