import { readAll } from '../../client/engine-client.js';
import type { WaitResponse } from '../../client/engine-types.js';
import type { Command } from '../command.js';
import { containerPath, forEachContainer } from './container-batch.js';

export const command: Command = {
  path: 'container wait',
  aliases: ['wait'],
  usage: 'CONTAINER [CONTAINER...]',
  description: 'Block until one or more containers stop, then print their exit codes',
  flags: [],
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, _flags, args) {
    // One after the other, printing each exit code; like docker, an error inside the answer is ignored.
    const failed = await forEachContainer(ctx, args, async (ref) => {
      const path = containerPath(ref, '/wait');
      const res = await (await ctx.client()).request('POST', path);
      const text = await readAll(res);
      if (text.trim() === '') throw new Error('unexpected EOF');
      return String((JSON.parse(text) as WaitResponse).StatusCode);
    });
    return failed.length > 0 ? 1 : 0;
  },
};
