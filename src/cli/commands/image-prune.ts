import type { ImagePruneResponse } from '../../client/engine-types.js';
import { humanSize } from '../../units/human-units.js';
import type { Command } from '../command.js';
import { filterFlag, filtersQuery } from './image-filter-flag.js';
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
    const filters = [...flags.getStrings('filter'), `dangling=${all ? 'false' : 'true'}`];
    // A declined prompt cancels quietly, with status 0.
    if (!flags.getBool('force') && !(await confirm(ctx, all ? ALL_IMAGES_WARNING : DANGLING_WARNING))) return 0;
    const client = await ctx.client();
    const report = await client.json<ImagePruneResponse>('POST', '/images/prune', { query: { filters: filtersQuery(filters) } });
    let reclaimed = 0;
    const deleted = report.ImagesDeleted ?? [];
    if (deleted.length > 0) {
      let text = 'Deleted Images:\n';
      for (const d of deleted) text += d.Untagged !== undefined && d.Untagged !== '' ? `untagged: ${d.Untagged}\n` : `deleted: ${d.Deleted ?? ''}\n`;
      ctx.out(`${text}\n`);
      reclaimed = report.SpaceReclaimed;
    }
    ctx.out(`Total reclaimed space: ${humanSize(reclaimed)}\n`);
    return 0;
  },
};
