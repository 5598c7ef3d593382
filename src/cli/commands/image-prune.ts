import { humanSize } from '../../units/human-units.js';
import type { Command } from '../command.js';
import { filterFlag } from './image-filter-flag.js';
import { pruneImages } from './prune-runs.js';
import { confirm } from './system-confirm.js';

const ALL_IMAGES_WARNING = `WARNING! This will remove all images without at least one container associated to them.
Are you sure you want to continue?`;
const DANGLING_WARNING = `WARNING! This will remove all dangling images.
Are you sure you want to continue?`;

export const command: Command = {
  path: 'image prune',
  usage: '[OPTIONS]',
  description: 'Remove unused images',
  flags: [
    { name: 'all', short: 'a', type: 'bool', usage: 'Remove all unused images, not just dangling ones' },
    filterFlag(undefined, 'Provide filter values (e.g. "until=<timestamp>")'),
    { name: 'force', short: 'f', type: 'bool', usage: 'Do not prompt for confirmation' },
  ],
  interspersed: true,
  args: { kind: 'none' },
  async run(ctx, flags) {
    const all = flags.getBool('all');
    // A declined prompt cancels quietly, with status 0.
    if (!flags.getBool('force') && !(await confirm(ctx, all ? ALL_IMAGES_WARNING : DANGLING_WARNING))) return 0;
    const r = await pruneImages(await ctx.client(), all, flags.getStrings('filter'));
    if (r.output !== '') ctx.out(`${r.output}\n`);
    ctx.out(`Total reclaimed space: ${humanSize(r.spaceReclaimed)}\n`);
    return 0;
  },
};
