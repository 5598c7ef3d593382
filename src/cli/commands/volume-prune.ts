import type { VolumePruneResponse } from '../../client/engine-types.js';
import { humanSize } from '../../units/human-units.js';
import { ExitError, type Command } from '../command.js';
import { filterFlag, filtersQuery } from './image-filter-flag.js';
import { confirm } from './system-confirm.js';
import { sortedFilters } from './volume-ls.js';

const ANONYMOUS_WARNING = `WARNING! This will remove anonymous local volumes not used by at least one container.
Are you sure you want to continue?`;
const ALL_WARNING = `WARNING! This will remove all local volumes not used by at least one container.
Are you sure you want to continue?`;

export const command: Command = {
  path: 'volume prune',
  usage: '[OPTIONS]',
  description: 'Remove unused local volumes',
  flags: [
    { name: 'all', short: 'a', type: 'bool', usage: 'Remove all unused volumes, not just anonymous ones' },
    filterFlag(undefined, 'Provide filter values (e.g. "label=<label>")'),
    { name: 'force', short: 'f', type: 'bool', usage: 'Do not prompt for confirmation' },
  ],
  interspersed: true,
  args: { kind: 'none' },
  async run(ctx, flags) {
    const all = flags.getBool('all');
    const filters = flags.getStrings('filter');
    if (all && filters.some((f) => f.startsWith('all='))) {
      throw new ExitError(1, 'conflicting options: cannot specify both --all and --filter all=1');
    }
    // Like docker, a "no" ends the command quietly and successfully.
    if (!flags.getBool('force') && !(await confirm(ctx, all ? ALL_WARNING : ANONYMOUS_WARNING))) return 0;
    const client = await ctx.client();
    const report = await client.json<VolumePruneResponse>('POST', '/volumes/prune', {
      query: { filters: filtersQuery(sortedFilters(all ? [...filters, 'all=true'] : filters)) },
    });
    const deleted = report.VolumesDeleted ?? [];
    if (deleted.length > 0) ctx.out(`Deleted Volumes:\n${deleted.map((name) => `${name}\n`).join('')}\n`);
    ctx.out(`Total reclaimed space: ${humanSize(deleted.length > 0 ? report.SpaceReclaimed : 0)}\n`);
    return 0;
  },
};
