import { ExitError, type Command } from '../command.js';
import { envValue, readKeyValueFile } from './container-options.js';
import { streamSession } from './container-client.js';

export const command: Command = {
  path: 'container exec',
  aliases: ['exec'],
  usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
  description: 'Execute a command in a running container',
  flags: [
    { name: 'detach', short: 'd', type: 'bool', usage: 'Detached mode: run command in the background' },
    { name: 'detach-keys', type: 'string', usage: 'Override the key sequence for detaching a container' },
    { name: 'env', short: 'e', type: 'list', usage: 'Set environment variables' },
    { name: 'env-file', type: 'list', usage: 'Read in a file of environment variables' },
    { name: 'interactive', short: 'i', type: 'bool', usage: 'Keep STDIN open even if not attached' },
    { name: 'privileged', type: 'bool', usage: 'Give extended privileges to the command' },
    { name: 'tty', short: 't', type: 'bool', usage: 'Allocate a pseudo-TTY' },
    { name: 'user', short: 'u', type: 'string', usage: 'Username or UID (format: "<name|uid>[:<group|gid>]")' },
    { name: 'workdir', short: 'w', type: 'string', usage: 'Working directory inside the container' },
  ],
  interspersed: false,
  args: { kind: 'min', n: 2 },
  async run(ctx, flags, args) {
    const [container = '', ...cmd] = args;
    const detach = flags.getBool('detach');
    const tty = flags.getBool('tty');
    const stdin = flags.getBool('interactive') && !detach;
    if (stdin && tty && !ctx.stdinIsTTY) throw new ExitError(1, 'the input device is not a TTY');
    const env = [
      ...flags.getStrings('env-file').flatMap((f) => readKeyValueFile(f, true)),
      ...flags.getStrings('env').map(envValue).filter((e): e is string => e !== undefined),
    ];
    const consoleSize = tty && process.stdout.isTTY ? [process.stdout.rows, process.stdout.columns] : undefined;
    const client = await ctx.client();
    const { Id: execId } = await client.json<{ Id: string }>('POST', `/containers/${encodeURIComponent(container)}/exec`, {
      body: {
        User: flags.getString('user'), Privileged: flags.getBool('privileged'), Tty: tty,
        AttachStdin: stdin, AttachStdout: !detach, AttachStderr: !detach,
        DetachKeys: flags.getString('detach-keys'), Env: env, WorkingDir: flags.getString('workdir'), Cmd: cmd,
        ...(consoleSize !== undefined ? { ConsoleSize: consoleSize } : {}),
      },
    });
    if (detach) {
      await client.call('POST', `/exec/${execId}/start`, { body: { Detach: true, Tty: tty, ...(consoleSize !== undefined ? { ConsoleSize: consoleSize } : {}) } });
      return 0;
    }
    const hijacked = await client.hijack('POST', `/exec/${execId}/start`, {
      body: { Detach: false, Tty: tty, ...(consoleSize !== undefined ? { ConsoleSize: consoleSize } : {}) },
    });
    const session = streamSession(hijacked, { stdin, tty });
    const resize = (): void => {
      void client.call('POST', `/exec/${execId}/resize`, { query: { h: process.stdout.rows, w: process.stdout.columns } }).catch(() => undefined);
    };
    if (tty && process.stdout.isTTY) process.stdout.on('resize', resize);
    try {
      await session.done;
    } finally {
      process.stdout.off('resize', resize);
    }
    const info = await client.json<{ ExitCode: number | null; Running: boolean }>('GET', `/exec/${execId}/json`);
    return info.Running ? 0 : info.ExitCode ?? 0;
  },
};
