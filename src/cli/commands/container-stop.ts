import type { Command } from '../command.js';
import type { FlagSpec, ParsedFlags } from '../flags/index.js';
import { containerPath, forEachContainer } from './container-batch.js';

/** `-t`/`--timeout`, or the deprecated `--time`, when given: seconds before the daemon kills. */
export function stopTimeout(flags: ParsedFlags): number | undefined {
  if (flags.has('timeout')) return flags.getInt('timeout');
  if (flags.has('time')) return flags.getInt('time');
  return undefined;
}

export const STOP_FLAGS: readonly FlagSpec[] = [
  { name: 'signal', short: 's', type: 'string', usage: 'Signal to send to the container' },
  { name: 'timeout', short: 't', type: 'int', usage: 'Seconds to wait before killing the container' },
  { name: 'time', type: 'int', usage: 'Seconds to wait before killing the container', deprecated: 'use --timeout instead' },
];

export const command: Command = {
  path: 'container stop',
  aliases: ['stop'],
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Stop one or more running containers',
  flags: STOP_FLAGS,
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    const query = { t: stopTimeout(flags), signal: flags.getString('signal') || undefined };
    const failed = await forEachContainer(ctx, args, async (ref) => {
      const path = containerPath(ref, '/stop');
      await (await ctx.client()).call('POST', path, { query });
    }, { parallel: true });
    return failed.length > 0 ? 1 : 0;
  },
};
