import { ApiError } from '../../client/api-error.js';
import type { Command } from '../command.js';
import { containerPath, forEachContainer } from './container-batch.js';

export const command: Command = {
  path: 'container rm',
  aliases: ['container remove', 'rm'],
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Remove one or more containers',
  flags: [
    { name: 'force', short: 'f', type: 'bool', usage: 'Force the removal of a running container (uses SIGKILL)' },
    { name: 'link', short: 'l', type: 'bool', usage: 'Remove the specified link' },
    { name: 'volumes', short: 'v', type: 'bool', usage: 'Remove anonymous volumes associated with the container' },
  ],
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    const force = flags.getBool('force');
    const query = {
      v: flags.getBool('volumes') || undefined,
      link: flags.getBool('link') || undefined,
      force: force || undefined,
    };
    const failed = await forEachContainer(ctx, args, async (ref) => {
      const name = ref.replace(/^\/+|\/+$/g, '');
      if (name === '') throw new Error('container name cannot be empty');
      const path = containerPath(name);
      await (await ctx.client()).call('DELETE', path, { query });
    }, {
      parallel: true,
      // With --force, a container that does not exist is reported but is no failure.
      tolerate: (e) => force && e instanceof ApiError && e.status === 404,
    });
    return failed.length > 0 ? 1 : 0;
  },
};
