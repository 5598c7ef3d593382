import { humanSize } from '../../units/human-units.js';
import type { Command } from '../command.js';
import { filterFlag } from './image-filter-flag.js';
import { pruneContainers } from './prune-runs.js';
import { confirm } from './system-confirm.js';

const WARNING = 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue?';

export const command: Command = {
  path: 'container prune',
  usage: '[OPTIONS]',
  description: 'Remove all stopped containers',
  flags: [
    filterFlag(undefined, 'Provide filter values (e.g. "until=<timestamp>")'),
    { name: 'force', short: 'f', type: 'bool', usage: 'Do not prompt for confirmation' },
  ],
  interspersed: true,
  args: { kind: 'none' },
  async run(ctx, flags) {
    // Like docker, a "no" ends the command quietly and successfully.
    if (!flags.getBool('force') && !(await confirm(ctx, WARNING))) return 0;
    const r = await pruneContainers(await ctx.client(), flags.getStrings('filter'));
    if (r.output !== '') ctx.out(`${r.output}\n`);
    ctx.out(`Total reclaimed space: ${humanSize(r.spaceReclaimed)}\n`);
    return 0;
  },
};
