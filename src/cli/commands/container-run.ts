import { errorText, startErrorStatus } from '../cli-errors.js';
import { ExitError, type Command } from '../command.js';
import { attachSession, createContainer, followTerminalSize, proxySignals, runFailure, stillRunning, waitFor } from './container-client.js';
import { buildCreatePlan, CONTAINER_FLAGS, UsageFailure } from './container-options.js';

export const command: Command = {
  path: 'container run',
  aliases: ['run'],
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create and run a new container from an image',
  flags: [
    ...CONTAINER_FLAGS,
    { name: 'detach', short: 'd', type: 'bool', usage: 'Run container in background and print container ID' },
    { name: 'detach-keys', type: 'string', usage: 'Override the key sequence for detaching a container' },
    { name: 'sig-proxy', type: 'bool', default: true, usage: 'Proxy received signals to the process' },
  ],
  interspersed: false,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    const detach = flags.getBool('detach');
    let plan;
    try {
      plan = buildCreatePlan(flags, args, { detach });
    } catch (e: unknown) {
      if (e instanceof UsageFailure) throw runFailure(ctx, 'run', e, 125);
      throw e;
    }
    if (plan.body.Tty === true && plan.body.OpenStdin === true && !ctx.stdinIsTTY && !detach) {
      throw new ExitError(1, 'the input device is not a TTY');
    }
    const client = await ctx.client();
    const id = await createContainer(ctx, client, plan, 'run');
    if (detach) {
      try {
        await client.call('POST', `/containers/${id}/start`);
      } catch (e: unknown) {
        throw runFailure(ctx, 'run', e, startErrorStatus(e));
      }
      ctx.out(`${id}\n`);
      return 0;
    }
    const body = plan.body;
    const attached = body.AttachStdout === true || body.AttachStderr === true || body.AttachStdin === true
      ? await attachSession(client, id, {
        stdout: body.AttachStdout === true, stderr: body.AttachStderr === true, stdin: body.AttachStdin === true,
        tty: body.Tty === true, detachKeys: flags.getString('detach-keys'),
      })
      : undefined;
    const exited = await waitFor(client, id, body.HostConfig.AutoRemove === true ? 'removed' : 'next-exit');
    exited.status.catch(() => undefined);
    attached?.done.catch(() => undefined);
    try {
      await client.call('POST', `/containers/${id}/start`);
    } catch (e: unknown) {
      attached?.close();
      attached?.socket.destroy();
      throw runFailure(ctx, 'run', e, startErrorStatus(e));
    }
    const stopProxy = flags.getBool('sig-proxy') && body.Tty !== true ? proxySignals(client, id) : () => undefined;
    const stopResize = body.Tty === true ? followTerminalSize(client, id) : () => undefined;
    try {
      await attached?.done;
      // The stream also ends when the user detaches (Ctrl-P Ctrl-Q): the container then still runs.
      if (attached !== undefined && await stillRunning(client, id)) return 0;
      return await exited.status;
    } catch (e: unknown) {
      ctx.err(`${errorText(e)}\n`);
      return 125;
    } finally {
      stopProxy();
      stopResize();
    }
  },
};
