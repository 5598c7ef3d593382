import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ExitError, type Command } from '../command.js';

export const command: Command = {
  path: 'image save',
  aliases: ['save'],
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  description: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  flags: [
    { name: 'output', short: 'o', type: 'string', usage: 'Write to a file, instead of STDOUT' },
    { name: 'platform', type: 'string', usage: 'Save only the given platform variant' },
  ],
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    const output = flags.getString('output');
    if (output === '' && ctx.stdoutIsTTY) throw new ExitError(1, 'Cowardly refusing to save to a terminal. Use the -o flag or redirect');
    if (output !== '') {
      const dir = path.dirname(path.resolve(output));
      const st = await fs.stat(dir).catch(() => undefined);
      if (st === undefined || !st.isDirectory()) throw new ExitError(1, `failed to save image: invalid output path: directory "${dir}" does not exist`);
    }
    const client = await ctx.client();
    const res = await client.request('GET', '/images/get', { query: { names: [...args] } });
    if (output === '') {
      await pipeline(res, process.stdout);
      return 0;
    }
    // Written next to the target and renamed, so a failed save leaves no partial file.
    const tmp = path.join(path.dirname(path.resolve(output)), `.${path.basename(output)}.${process.pid}.tmp`);
    try {
      await pipeline(res, createWriteStream(tmp, { mode: 0o600 }));
      await fs.rename(tmp, output);
    } catch (e: unknown) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
    return 0;
  },
};
