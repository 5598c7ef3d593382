import type { NetworkPruneResponse } from '../../client/engine-types.js';
import type { Command } from '../command.js';
import { filterFlag, filtersQuery } from './image-filter-flag.js';
import { confirm } from './system-confirm.js';

const WARNING = 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?';

export const command: Command = {
  path: 'network prune',
  usage: '[OPTIONS]',
  description: 'Remove all unused networks',
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
    const report = await client.json<NetworkPruneResponse>('POST', '/networks/prune', {
      query: { filters: filtersQuery(flags.getStrings('filter')) },
    });
    const deleted = report.NetworksDeleted ?? [];
    if (deleted.length > 0) ctx.out(`Deleted Networks:\n${deleted.map((name) => `${name}\n`).join('')}\n`);
    return 0;
  },
};
