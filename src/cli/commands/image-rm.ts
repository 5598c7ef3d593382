import { ApiError } from '../../client/api-error.js';
import type { ImageDeleteResponseItem } from '../../client/engine-types.js';
import { errorText } from '../cli-errors.js';
import { ExitError, type Command } from '../command.js';
import { imagePath } from './image-reference.js';

export const command: Command = {
  path: 'image rm',
  aliases: ['image remove', 'rmi'],
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  description: 'Remove one or more images',
  flags: [
    { name: 'force', short: 'f', type: 'bool', usage: 'Force removal of the image' },
    { name: 'no-prune', type: 'bool', usage: 'Do not delete untagged parents' },
  ],
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    const force = flags.getBool('force');
    const errors: string[] = [];
    // With --force, images that do not exist are reported but do not fail the command.
    let fatal = false;
    for (const name of args) {
      try {
        // Connecting is part of each removal: without a daemon, every image reports the error.
        const client = await ctx.client();
        const deleted = await client.json<ImageDeleteResponseItem[]>('DELETE', `/images/${imagePath(name)}`, {
          query: { force: force ? '1' : undefined, noprune: flags.getBool('no-prune') ? '1' : undefined },
        });
        for (const d of deleted ?? []) ctx.out(d.Deleted !== undefined && d.Deleted !== '' ? `Deleted: ${d.Deleted}\n` : `Untagged: ${d.Untagged ?? ''}\n`);
      } catch (e: unknown) {
        if (!(e instanceof ApiError && e.status === 404)) fatal = true;
        errors.push(errorText(e));
      }
    }
    if (errors.length === 0) return 0;
    if (!force || fatal) throw new ExitError(1, errors.join('\n'));
    ctx.err(`${errors.join('\n')}\n`);
    return 0;
  },
};
