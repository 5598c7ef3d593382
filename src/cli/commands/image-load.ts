import { promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';
import { ExitError, type Command } from '../command.js';
import { displayJsonStream } from './image-json-stream.js';

export const command: Command = {
  path: 'image load',
  aliases: ['load'],
  usage: '[OPTIONS]',
  description: 'Load an image from a tar archive or STDIN',
  flags: [
    { name: 'input', short: 'i', type: 'string', usage: 'Read from tar archive file, instead of STDIN' },
    { name: 'platform', type: 'string', usage: 'Load only the given platform variant' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Suppress the load output' },
  ],
  interspersed: true,
  args: { kind: 'none' },
  async run(ctx, flags) {
    const input = flags.getString('input');
    let body: Readable;
    if (input === '') {
      if (ctx.stdinIsTTY) throw new ExitError(1, 'requested load from stdin, but stdin is empty');
      body = process.stdin;
    } else {
      try {
        body = (await fs.open(input, 'r')).createReadStream();
      } catch (e: unknown) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new ExitError(1, `open ${input}: ${code === 'ENOENT' ? 'no such file or directory' : e instanceof Error ? e.message : String(e)}`);
      }
    }
    const client = await ctx.client();
    const res = await client.request('POST', '/images/load', {
      query: { quiet: flags.getBool('quiet') },
      stream: body,
      headers: { 'Content-Type': 'application/x-tar' },
    });
    await displayJsonStream(res, (t) => ctx.out(t));
    return 0;
  },
};
