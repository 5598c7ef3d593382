import type { ContainerPruneResponse } from '../../client/engine-types.js';
import { humanSize } from '../../units/human-units.js';
import type { Command } from '../command.js';
import { filterFlag, filtersQuery } from './image-filter-flag.js';
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
    const client = await ctx.client();
    const report = await client.json<ContainerPruneResponse>('POST', '/containers/prune', {
      query: { filters: filtersQuery(flags.getStrings('filter')) },
    });
    const deleted = report.ContainersDeleted ?? [];
    if (deleted.length > 0) ctx.out(`Deleted Containers:\n${deleted.map((id) => `${id}\n`).join('')}\n`);
    ctx.out(`Total reclaimed space: ${humanSize(deleted.length > 0 ? report.SpaceReclaimed : 0)}\n`);
    return 0;
  },
};
