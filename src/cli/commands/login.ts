import { createInterface } from 'node:readline';
import { CredentialsStore, DOCKER_HUB_SERVER, serverKey } from '../../client/credentials-store.js';
import { readAll } from '../../client/engine-client.js';
import { ExitError, type CliContext, type Command } from '../command.js';

async function prompt(ctx: CliContext, question: string, hidden: boolean): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (hidden) {
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    let asked = false;
    out._writeToOutput = (s: string) => {
      if (!asked) {
        asked = true;
        process.stderr.write(s);
      }
    };
  }
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    rl.close();
    if (hidden) ctx.err('\n');
  }
}

export const command: Command = {
  path: 'login',
  usage: '[OPTIONS] [SERVER]',
  description: 'Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.',
  flags: [
    { name: 'password', short: 'p', type: 'string', usage: 'Password or Personal Access Token (PAT)' },
    { name: 'password-stdin', type: 'bool', usage: 'Take the Password or Personal Access Token (PAT) from stdin' },
    { name: 'username', short: 'u', type: 'string', usage: 'Username' },
  ],
  interspersed: true,
  args: { kind: 'max', n: 1 },
  async run(ctx, flags, args) {
    const server = args[0] !== undefined && args[0] !== '' ? args[0] : DOCKER_HUB_SERVER;
    let username = flags.getString('username').trim();
    let password = flags.getString('password');
    if (flags.has('password')) ctx.err('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
    if (flags.getBool('password-stdin')) {
      if (flags.has('password')) throw new ExitError(1, '--password and --password-stdin are mutually exclusive');
      if (username === '') throw new ExitError(1, 'Must provide --username with --password-stdin');
      password = (await readAll(process.stdin)).replace(/\r?\n$/, '');
    }
    const store = new CredentialsStore();
    if (username === '' && password === '') {
      const existing = await store.get(server).catch(() => undefined);
      if (existing !== undefined && existing.username !== '<token>') {
        ctx.err(`Authenticating with existing credentials... [Username: ${existing.username}]\n`);
        username = existing.username;
        password = existing.secret;
      }
    }
    if (username === '' || password === '') {
      if (!ctx.stdinIsTTY) throw new ExitError(1, 'Error: Cannot perform an interactive login from a non TTY device');
      if (username === '') username = (await prompt(ctx, 'Username: ', false)).trim();
      if (username === '') throw new ExitError(1, 'Error: Non-null Username Required');
      if (password === '') password = await prompt(ctx, 'Password: ', true);
      if (password === '') throw new ExitError(1, 'Error: Password Required');
    }
    const client = await ctx.client();
    const res = await client.json<{ Status?: string; IdentityToken?: string }>('POST', '/auth', {
      body: { username, password, serveraddress: serverKey(server) },
    });
    const token = res.IdentityToken ?? '';
    await store.store(server, token !== '' ? { username: '<token>', secret: token } : { username, secret: password });
    const where = await store.storage(server);
    if ('file' in where) {
      ctx.err(`\nWARNING! Your credentials are stored unencrypted in '${where.file}'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n`);
    }
    ctx.out(`${res.Status ?? 'Login Succeeded'}\n`);
    return 0;
  },
};
