import { CredentialsStore, DOCKER_HUB_SERVER, serverKey } from '../../client/credentials-store.js';
import type { Command } from '../command.js';

export const command: Command = {
  path: 'logout',
  usage: '[SERVER]',
  description: 'Log out from a registry.\nIf no server is specified, the default is defined by the daemon.',
  flags: [],
  interspersed: true,
  args: { kind: 'max', n: 1 },
  async run(ctx, _flags, args) {
    const server = serverKey(args[0] !== undefined && args[0] !== '' ? args[0] : DOCKER_HUB_SERVER);
    const store = new CredentialsStore();
    if (!(await store.erase(server))) {
      ctx.out(`Not logged in to ${server}\n`);
      return 0;
    }
    ctx.out(`Removing login credentials for ${server}\n`);
    return 0;
  },
};
