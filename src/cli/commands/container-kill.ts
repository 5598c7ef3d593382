import type { Command } from '../command.js';
import { containerPath, forEachContainer } from './container-batch.js';

export const command: Command = {
  path: 'container kill',
  aliases: ['kill'],
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Kill one or more running containers',
  flags: [{ name: 'signal', short: 's', type: 'string', usage: 'Signal to send to the container' }],
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    const query = { signal: flags.getString('signal') || undefined };
    const failed = await forEachContainer(ctx, args, async (ref) => {
      const path = containerPath(ref, '/kill');
      await (await ctx.client()).call('POST', path, { query });
    }, { parallel: true });
    return failed.length > 0 ? 1 : 0;
  },
};
