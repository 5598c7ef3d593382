import type { EngineClient } from '../../client/engine-client.js';
import type { ContainerAttachInfo } from '../../client/engine-types.js';
import { errorText } from '../cli-errors.js';
import { ExitError, type CliContext, type Command } from '../command.js';
import { containerPath, forEachContainer } from './container-batch.js';
import { attachSession, followTerminalSize, proxySignals, stillRunning, waitFor } from './container-client.js';

export const command: Command = {
  path: 'container start',
  aliases: ['start'],
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Start one or more stopped containers',
  flags: [
    { name: 'attach', short: 'a', type: 'bool', usage: 'Attach STDOUT/STDERR and forward signals' },
    { name: 'checkpoint', type: 'string', usage: 'Restore from this checkpoint', hidden: true },
    { name: 'checkpoint-dir', type: 'string', usage: 'Use a custom checkpoint storage directory', hidden: true },
    { name: 'detach-keys', type: 'string', usage: 'Override the key sequence for detaching a container' },
    { name: 'interactive', short: 'i', type: 'bool', usage: "Attach container's STDIN" },
  ],
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    if (flags.getBool('attach') || flags.getBool('interactive')) {
      if (args.length > 1) throw new ExitError(1, 'you cannot start and attach multiple containers at once');
      return startAttached(ctx, await ctx.client(), args[0] ?? '', flags.getBool('interactive'));
    }
    if (flags.getString('checkpoint') !== '') {
      if (args.length > 1) throw new ExitError(1, 'you cannot restore multiple containers at once');
      throw new ExitError(1, `${ctx.prog} does not support checkpoints`);
    }
    const failed = await forEachContainer(ctx, args, async (ref) => {
      const path = containerPath(ref, '/start');
      await (await ctx.client()).call('POST', path);
    }, { errorsImmediately: true });
    if (failed.length > 0) throw new ExitError(1, `Error: failed to start containers: ${failed.join(', ')}`);
    return 0;
  },
};

/**
 * `start --attach`, as docker does it: attach to the output and wait for the exit before the
 * start, then copy the output until it ends and leave with the container's exit status.
 */
async function startAttached(ctx: CliContext, client: EngineClient, ref: string, interactive: boolean): Promise<number> {
  const info = await client.json<ContainerAttachInfo>('GET', containerPath(ref, '/json'));
  const withStdin = interactive && info.Config.OpenStdin;
  const attached = await attachSession(client, info.Id, { stdout: true, stderr: true, stdin: withStdin, tty: info.Config.Tty });
  attached.done.catch(() => undefined);
  const exited = await waitFor(client, info.Id, info.HostConfig.AutoRemove ? 'removed' : 'next-exit');
  // Settled now so that a wait cut short by a failed start is not an unhandled rejection.
  const status = exited.status.then((code) => ({ code }), (error: unknown) => ({ error }));
  const stopProxy = info.Config.Tty ? () => undefined : proxySignals(client, info.Id);
  try {
    try {
      await client.call('POST', containerPath(info.Id, '/start'));
    } catch (e: unknown) {
      attached.socket.destroy();
      if (info.HostConfig.AutoRemove) await status;
      throw e;
    }
    const stopResize = info.Config.Tty ? followTerminalSize(client, info.Id) : () => undefined;
    await attached.done;
    stopResize();
    if (await stillRunning(client, info.Id)) return 0;
    const result = await status;
    if ('code' in result) return result.code;
    ctx.err(`error waiting for container: ${errorText(result.error)}\n`);
    return 125;
  } finally {
    stopProxy();
  }
}
