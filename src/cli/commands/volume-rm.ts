import { errorText } from '../cli-errors.js';
import { ExitError, type Command } from '../command.js';

/**
 * The API path of a volume, as docker's Go client builds it: the name is trimmed, an empty one
 * is refused before any request, and the name goes into the path escaped as Go's url.URL does,
 * which leaves "/" as it is (so "a/b" reaches the daemon as /volumes/a/b).
 */
export function volumePath(ref: string): string {
  const name = ref.trim();
  if (name === '') throw new Error('invalid volume name or ID: value is empty');
  return `/volumes/${encodeURIComponent(name).replace(/%2F/g, '/')}`;
}

export const command: Command = {
  path: 'volume rm',
  aliases: ['volume remove'],
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  description: 'Remove one or more volumes. You cannot remove a volume that is in use by a container.',
  flags: [{ name: 'force', short: 'f', type: 'bool', usage: 'Force the removal of one or more volumes' }],
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    const query = { force: flags.getBool('force') ? '1' : undefined };
    const errors: string[] = [];
    // One at a time; each removed name is printed as given, the errors all together at the end.
    for (const name of args) {
      try {
        await (await ctx.client()).call('DELETE', volumePath(name), { query });
      } catch (e: unknown) {
        errors.push(errorText(e));
        continue;
      }
      ctx.out(`${name}\n`);
    }
    if (errors.length > 0) throw new ExitError(1, errors.join('\n'));
    return 0;
  },
};
