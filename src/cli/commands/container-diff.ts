import type { Command } from '../command.js';
import { containerPath } from './container-batch.js';

const KIND = ['C', 'A', 'D'];

export const command: Command = {
  path: 'container diff',
  aliases: ['diff'],
  usage: 'CONTAINER',
  description: "Inspect changes to files or directories on a container's filesystem",
  flags: [],
  interspersed: true,
  args: { kind: 'exact', n: 1 },
  async run(ctx, _flags, args) {
    const client = await ctx.client();
    const list = await client.json<Array<{ Path: string; Kind: number }> | null>('GET', containerPath(args[0] ?? '', '/changes'));
    for (const c of list ?? []) ctx.out(`${KIND[c.Kind] ?? '?'} ${c.Path}\n`);
    return 0;
  },
};
