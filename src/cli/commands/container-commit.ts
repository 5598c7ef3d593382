import type { Command } from '../command.js';
import { ExitError } from '../command.js';
import { parseNormalizedNamed } from './image-reference.js';

export const command: Command = {
  path: 'container commit',
  aliases: ['commit'],
  usage: "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
  description: "Create a new image from a container's changes",
  flags: [
    { name: 'author', short: 'a', type: 'string', usage: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { name: 'change', short: 'c', type: 'list', usage: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', type: 'string', usage: 'Commit message' },
    { name: 'pause', short: 'p', type: 'bool', default: true, usage: 'Pause container during commit' },
  ],
  interspersed: true,
  args: { kind: 'range', min: 1, max: 2 },
  async run(ctx, flags, args) {
    const [container = '', reference = ''] = args;
    let repo = '';
    let tag = '';
    if (reference !== '') {
      try {
        parseNormalizedNamed(reference);
      } catch (e: unknown) {
        throw new ExitError(1, e instanceof Error ? e.message : String(e));
      }
      const m = /^(.*?)(?::([\w][\w.-]{0,127}))?$/.exec(reference);
      repo = m?.[1] ?? reference;
      tag = m?.[2] ?? '';
    }
    const client = await ctx.client();
    const r = await client.json<{ Id: string }>('POST', '/commit', {
      query: {
        container, repo: repo || undefined, tag: tag || undefined, comment: flags.getString('message') || undefined,
        author: flags.getString('author') || undefined, pause: flags.getBool('pause') ? '1' : '0', changes: flags.getStrings('change'),
      },
      body: {},
    });
    ctx.out(`${r.Id}\n`);
    return 0;
  },
};
