import { ApiError } from '../../client/api-error.js';
import { errorText } from '../cli-errors.js';
import { ExitError, type Command } from '../command.js';

/**
 * The API path of a network, checked as docker's Go client does before any request: the
 * name or ID is trimmed, and an empty one is refused.
 */
export function networkPath(ref: string, rest = ''): string {
  const id = ref.trim();
  if (id === '') throw new Error('invalid network name or ID: value is empty');
  return `/networks/${encodeURIComponent(id)}${rest}`;
}

export const command: Command = {
  path: 'network rm',
  aliases: ['network remove'],
  usage: 'NETWORK [NETWORK...]',
  description: 'Remove one or more networks',
  flags: [{ name: 'force', short: 'f', type: 'bool', usage: 'Do not error if the network does not exist' }],
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    const force = flags.getBool('force');
    let failed = false;
    // One at a time, each error reported when it happens, as docker does.
    for (const name of args) {
      try {
        await (await ctx.client()).call('DELETE', networkPath(name));
      } catch (e: unknown) {
        if (force && e instanceof ApiError && e.status === 404) continue;
        ctx.err(`${errorText(e)}\n`);
        failed = true;
        continue;
      }
      ctx.out(`${name}\n`);
    }
    // docker's cli.StatusError, whose text it prints.
    if (failed) throw new ExitError(1, 'exit status 1');
    return 0;
  },
};
