import { createWriteStream } from 'node:fs';
import { ExitError, type Command } from '../command.js';

export const command: Command = {
  path: 'container export',
  aliases: ['export'],
  usage: '[OPTIONS] CONTAINER',
  description: "Export a container's filesystem as a tar archive",
  flags: [{ name: 'output', short: 'o', type: 'string', usage: 'Write to a file, instead of STDOUT' }],
  interspersed: true,
  args: { kind: 'exact', n: 1 },
  async run(ctx, flags, args) {
    const output = flags.getString('output');
    if (output === '' && ctx.stdoutIsTTY) throw new ExitError(1, 'cowardly refusing to save to a terminal. Use the -o flag or redirect');
    const client = await ctx.client();
    const res = await client.request('GET', `/containers/${encodeURIComponent(args[0] ?? '')}/export`);
    const out = output === '' ? process.stdout : createWriteStream(output);
    await new Promise<void>((resolve, reject) => {
      res.pipe(out);
      out.on('finish', resolve);
      if (out === process.stdout) res.on('end', resolve);
      res.on('error', reject);
      out.on('error', reject);
    });
    return 0;
  },
};
