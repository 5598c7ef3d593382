import type { Command } from '../command.js';
import { containerPath, forEachContainer } from './container-batch.js';
import { STOP_FLAGS, stopTimeout } from './container-stop.js';

export const command: Command = {
  path: 'container restart',
  aliases: ['restart'],
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Restart one or more containers',
  flags: STOP_FLAGS,
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    const query = { t: stopTimeout(flags), signal: flags.getString('signal') || undefined };
    // docker restarts one container after the other.
    const failed = await forEachContainer(ctx, args, async (ref) => {
      const path = containerPath(ref, '/restart');
      await (await ctx.client()).call('POST', path, { query });
    });
    return failed.length > 0 ? 1 : 0;
  },
};
