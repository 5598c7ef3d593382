import { demux } from '../../client/demux.js';
import type { ContainerAttachInfo } from '../../client/engine-types.js';
import { ExitError, type Command } from '../command.js';
import { containerPath } from './container-batch.js';
import { getTimestamp } from './log-timestamp.js';

/** Writes to our stdout/stderr, waiting when the pipe is full. */
function writeTo(target: NodeJS.WriteStream, data: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (target.write(data)) resolve();
    else target.once('drain', resolve);
  });
}

function timestampQuery(name: string, value: string, now: Date): string | undefined {
  if (value === '') return undefined;
  try {
    return getTimestamp(value, now);
  } catch (e: unknown) {
    throw new ExitError(1, `invalid value for "${name}": ${e instanceof Error ? e.message : String(e)}`);
  }
}

export const command: Command = {
  path: 'container logs',
  aliases: ['logs'],
  usage: '[OPTIONS] CONTAINER',
  description: 'Fetch the logs of a container',
  flags: [
    { name: 'details', type: 'bool', usage: 'Show extra details provided to logs' },
    { name: 'follow', short: 'f', type: 'bool', usage: 'Follow log output' },
    { name: 'since', type: 'string', usage: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    { name: 'tail', short: 'n', type: 'string', default: 'all', usage: 'Number of lines to show from the end of the logs' },
    { name: 'timestamps', short: 't', type: 'bool', usage: 'Show timestamps' },
    { name: 'until', type: 'string', usage: 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
  ],
  interspersed: true,
  args: { kind: 'exact', n: 1 },
  async run(ctx, flags, args) {
    const client = await ctx.client();
    // As docker does: the container's TTY setting says whether the stream is multiplexed.
    const info = await client.json<ContainerAttachInfo>('GET', containerPath(args[0] ?? '', '/json'));
    const now = new Date();
    const res = await client.request('GET', containerPath(info.Id, '/logs'), {
      query: {
        stdout: true,
        stderr: true,
        since: timestampQuery('since', flags.getString('since'), now),
        until: timestampQuery('until', flags.getString('until'), now),
        timestamps: flags.getBool('timestamps') || undefined,
        follow: flags.getBool('follow') || undefined,
        tail: flags.getString('tail'),
        details: flags.getBool('details') || undefined,
      },
    });
    if (info.Config.Tty) {
      for await (const chunk of res) await writeTo(process.stdout, chunk as Buffer);
    } else {
      await demux(res, (stream, data) => writeTo(stream === 2 ? process.stderr : process.stdout, data));
    }
    return 0;
  },
};
