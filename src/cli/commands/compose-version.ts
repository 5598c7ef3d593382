import { BERTH_VERSION } from '../../daemon/version.js';
import { ExitError } from '../command.js';
import type { ComposeSubcommand } from './compose.js';

export const subcommand: ComposeSubcommand = {
  name: 'version',
  usage: '[OPTIONS]',
  description: 'Show the Docker Compose version information',
  flags: [
    { name: 'format', short: 'f', type: 'string', usage: 'Format the output. Values: [pretty | json]', default: 'pretty' },
    { name: 'short', type: 'bool', usage: 'Shows only Compose\'s version number' },
  ],
  async run(ctx, flags) {
    if (flags.getBool('short')) ctx.out(`${BERTH_VERSION}\n`);
    else if (flags.getString('format') === 'json') ctx.out(`${JSON.stringify({ version: `v${BERTH_VERSION}` })}\n`);
    else if (flags.getString('format') === 'pretty') ctx.out(`berth compose version v${BERTH_VERSION}\n`);
    else throw new ExitError(1, `format ${flags.getString('format')} is not supported`);
    return 0;
  },
};
