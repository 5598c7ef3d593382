import { errorText } from '../cli-errors.js';
import { ExitError, type Command } from '../command.js';
import { containerPath } from './container-batch.js';

export const command: Command = {
  path: 'container rename',
  aliases: ['rename'],
  usage: 'CONTAINER NEW_NAME',
  description: 'Rename a container',
  flags: [],
  interspersed: true,
  args: { kind: 'exact', n: 2 },
  async run(ctx, _flags, args) {
    const oldName = (args[0] ?? '').trim();
    const newName = (args[1] ?? '').trim();
    if (oldName === '' || newName === '') throw new ExitError(1, 'Error: Neither old nor new names may be empty');
    const client = await ctx.client();
    try {
      await client.call('POST', containerPath(oldName, '/rename'), { query: { name: newName } });
    } catch (e: unknown) {
      ctx.err(`${errorText(e)}\n`);
      throw new ExitError(1, `Error: failed to rename container named ${oldName}`);
    }
    return 0;
  },
};
