import type { Command } from '../command.js';
import { containerPath, forEachContainer } from './container-batch.js';

/** `pause` and `unpause`: one call per container, names printed as they succeed. */
export function freezeCommand(verb: 'pause' | 'unpause', description: string): Command {
  return {
    path: `container ${verb}`,
    aliases: [verb],
    usage: 'CONTAINER [CONTAINER...]',
    description,
    flags: [],
    interspersed: true,
    args: { kind: 'min', n: 1 },
    async run(ctx, _flags, args) {
      const failed = await forEachContainer(ctx, args, async (ref) => {
        await (await ctx.client()).call('POST', containerPath(ref, `/${verb}`));
      }, { parallel: true });
      return failed.length > 0 ? 1 : 0;
    },
  };
}

export const command = freezeCommand('pause', 'Pause all processes within one or more containers');
