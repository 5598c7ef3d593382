import type { NetworkDisconnectRequest } from '../../client/engine-types.js';
import type { Command } from '../command.js';
import { networkPath } from './network-rm.js';

export const command: Command = {
  path: 'network disconnect',
  usage: '[OPTIONS] NETWORK CONTAINER',
  description: 'Disconnect a container from a network',
  flags: [{ name: 'force', short: 'f', type: 'bool', usage: 'Force the container to disconnect from a network' }],
  interspersed: true,
  args: { kind: 'exact', n: 2 },
  async run(ctx, flags, args) {
    const path = networkPath(args[0] ?? '', '/disconnect');
    const container = (args[1] ?? '').trim();
    if (container === '') throw new Error('invalid container name or ID: value is empty');
    const body: NetworkDisconnectRequest = { Container: container, Force: flags.getBool('force') };
    await (await ctx.client()).call('POST', path, { body });
    return 0;
  },
};
