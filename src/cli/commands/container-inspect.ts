import type { Command } from '../command.js';
import { containerPath } from './container-batch.js';
import { rawJson, writeInspect } from './inspect-output.js';
import { INSPECT_FORMAT_HELP } from './system-format-flag.js';

export const command: Command = {
  path: 'container inspect',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Display detailed information on one or more containers',
  flags: [
    { name: 'format', short: 'f', type: 'string', usage: INSPECT_FORMAT_HELP },
    { name: 'size', short: 's', type: 'bool', usage: 'Display total file sizes' },
  ],
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    const size = flags.getBool('size') || undefined;
    return writeInspect(ctx, args, flags.getString('format'), async (ref) => {
      const path = containerPath(ref, '/json');
      return { raw: await rawJson(await ctx.client(), path, { size }) };
    });
  },
};
