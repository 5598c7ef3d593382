import type { ContainerAttachInfo } from '../../client/engine-types.js';
import { ExitError, type Command } from '../command.js';
import { attachSession, followTerminalSize, proxySignals, stillRunning, waitFor } from './container-client.js';

export const command: Command = {
  path: 'container attach',
  aliases: ['attach'],
  usage: '[OPTIONS] CONTAINER',
  description: 'Attach local standard input, output, and error streams to a running container',
  flags: [
    { name: 'detach-keys', type: 'string', usage: 'Override the key sequence for detaching a container' },
    { name: 'no-stdin', type: 'bool', usage: 'Do not attach STDIN' },
    { name: 'sig-proxy', type: 'bool', default: true, usage: 'Proxy all received signals to the process' },
  ],
  interspersed: true,
  args: { kind: 'exact', n: 1 },
  async run(ctx, flags, args) {
    const client = await ctx.client();
    const info = await client.json<ContainerAttachInfo & { State: { Running: boolean; Paused: boolean; Restarting: boolean } }>(
      'GET', `/containers/${encodeURIComponent(args[0] ?? '')}/json`);
    if (!info.State.Running) throw new ExitError(1, 'You cannot attach to a stopped container, start it first');
    if (info.State.Paused) throw new ExitError(1, 'You cannot attach to a paused container, unpause it first');
    if (info.State.Restarting) throw new ExitError(1, 'You cannot attach to a restarting container, wait until it is running');
    const stdin = !flags.getBool('no-stdin') && info.Config.OpenStdin;
    if (stdin && info.Config.Tty && !ctx.stdinIsTTY) throw new ExitError(1, 'the input device is not a TTY');
    const exited = await waitFor(client, info.Id, 'not-running');
    exited.status.catch(() => undefined);
    const attached = await attachSession(client, info.Id, {
      stdout: true, stderr: true, stdin, tty: info.Config.Tty, detachKeys: flags.getString('detach-keys'),
    });
    const stopResize = info.Config.Tty ? followTerminalSize(client, info.Id) : () => undefined;
    const stopProxy = flags.getBool('sig-proxy') && !info.Config.Tty ? proxySignals(client, info.Id) : () => undefined;
    try {
      await attached.done;
      if (await stillRunning(client, info.Id)) return 0;
      return await exited.status;
    } finally {
      stopResize();
      stopProxy();
    }
  },
};
