import path from 'node:path';
import { EngineClient } from '../client/engine-client.js';
import { ConnectionError } from '../client/api-error.js';
import { BERTH_VERSION } from '../daemon/version.js';
import { errorText } from './cli-errors.js';
import { ExitError, type ArgsRule, type CliContext, type Command } from './command.js';
import { startLocalDaemon } from './daemon-autostart.js';
import { FlagError, parseFlags, renderHelp, usageErrorText, type FlagSpec } from './flags/index.js';
import { findCommand, groupHelp, topLevelHelp } from './commands/registry.js';

const PROG = 'berth';
const DEFAULT_HOST = 'unix:///run/berth/berth.sock';

const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'config', type: 'string', usage: 'Location of client config files' },
  { name: 'context', short: 'c', type: 'string', usage: 'Name of the context to use to connect to the daemon' },
  { name: 'debug', short: 'D', type: 'bool', usage: 'Enable debug mode' },
  { name: 'host', short: 'H', type: 'list', usage: 'Daemon socket to connect to' },
  { name: 'log-level', short: 'l', type: 'string', usage: 'Set the logging level ("debug", "info", "warn", "error", "fatal")', default: 'info' },
  { name: 'tls', type: 'bool', usage: 'Use TLS; implied by --tlsverify' },
  { name: 'tlscacert', type: 'string', usage: 'Trust certs signed only by this CA' },
  { name: 'tlscert', type: 'string', usage: 'Path to TLS certificate file' },
  { name: 'tlskey', type: 'string', usage: 'Path to TLS key file' },
  { name: 'tlsverify', type: 'bool', usage: 'Use TLS and verify the remote' },
  { name: 'version', short: 'v', type: 'bool', usage: 'Print version information and quit' },
];

export async function cliMain(argv: readonly string[]): Promise<number> {
  let globals;
  try {
    globals = parseFlags(argv, GLOBAL_FLAGS, { interspersed: false });
  } catch (e: unknown) {
    if (e instanceof FlagError) {
      process.stderr.write(`${e.message}\nSee '${PROG} --help'.\n`);
      return 125;
    }
    throw e;
  }
  if (globals.getBool('version')) {
    process.stdout.write(`berth version ${BERTH_VERSION}\n`);
    return 0;
  }
  const hosts = globals.getStrings('host');
  const host = hosts[hosts.length - 1] ?? process.env['BERTH_HOST'] ?? DEFAULT_HOST;
  const ctx = makeContext(host);
  const args = globals.args;
  if (args.length === 0 || globals.help) {
    ctx.out(topLevelHelp(PROG));
    return 0;
  }
  const found = findCommand(args);
  if (found.kind === 'group') {
    if (found.rest.length === 0 || found.rest[0] === '--help') {
      ctx.out(groupHelp(PROG, found.group));
      return 0;
    }
    ctx.err(`${PROG}: unknown command: ${PROG} ${found.group} ${found.rest[0] ?? ''}\n\nUsage:  ${PROG} ${found.group}\n\nRun '${PROG} ${found.group} --help' for more information\n`);
    return 1;
  }
  if (found.kind === 'unknown') {
    ctx.err(`${PROG}: unknown command: ${PROG} ${args[0] ?? ''}\n\nRun '${PROG} --help' for more information\n`);
    return 1;
  }
  if (!found.rest.includes('--help') && !found.rest.includes('-h')) ctx.warmUp();
  try {
    return await runCommand(ctx, await found.load(), found.invokedAs, found.rest);
  } finally {
    closeContext(ctx);
  }
}

async function runCommand(ctx: CliContext, cmd: Command, invokedAs: string, argv: readonly string[]): Promise<number> {
  const fullPath = `${PROG} ${invokedAs}`;
  const helpInfo = {
    path: fullPath,
    usage: cmd.usage,
    description: cmd.description,
    aliases: [cmd.path, ...(cmd.aliases ?? [])].map((a) => `${PROG} ${a}`),
    flags: cmd.flags,
  };
  let flags;
  try {
    flags = parseFlags(argv, cmd.flags, { interspersed: cmd.interspersed });
  } catch (e: unknown) {
    if (e instanceof FlagError) {
      ctx.err(usageErrorText(helpInfo, e));
      return 125;
    }
    throw e;
  }
  for (const w of flags.warnings) ctx.out(`${w}\n`);
  if (flags.help) {
    ctx.out(renderHelp({ ...helpInfo, aliases: (cmd.aliases ?? []).length > 0 ? helpInfo.aliases : [] }, { width: process.stdout.columns ?? 80 }));
    return 0;
  }
  const argError = checkArgs(cmd.args, flags.args.length, fullPath, cmd.usage);
  if (argError !== undefined) {
    ctx.err(argError);
    return 1;
  }
  try {
    return await cmd.run(ctx, flags, flags.args);
  } catch (e: unknown) {
    if (e instanceof ExitError) {
      if (e.message !== '') ctx.err(`${e.message}\n`);
      return e.status;
    }
    ctx.err(`${errorText(e)}\n`);
    return 1;
  }
}

function checkArgs(rule: ArgsRule, n: number, fullPath: string, usage: string): string | undefined {
  const plural = (k: number): string => (k === 1 ? 'argument' : 'arguments');
  let problem: string | undefined;
  let hint = 'Run';
  switch (rule.kind) {
    case 'none':
      if (n > 0) problem = 'accepts no arguments';
      break;
    case 'exact':
      if (n !== rule.n) problem = `requires ${rule.n} ${plural(rule.n)}`;
      break;
    case 'min':
      if (n < rule.n) {
        problem = `requires at least ${rule.n} ${plural(rule.n)}`;
        hint = 'See';
      }
      break;
    case 'max':
      if (n > rule.n) {
        problem = `requires at most ${rule.n} ${plural(rule.n)}`;
        hint = 'SRun'; // sic: the docker CLI prints this typo
      }
      break;
    case 'range':
      if (n < rule.min || n > rule.max) {
        problem = `requires at least ${rule.min} and at most ${rule.max} ${plural(rule.max)}`;
        hint = 'See';
      }
      break;
  }
  if (problem === undefined) return undefined;
  return `${PROG}: '${fullPath}' ${problem}\n\nUsage:  ${fullPath} ${usage}\n\n${hint} '${fullPath} --help' for more information\n`;
}

const clients = new WeakMap<CliContext, EngineClient>();

function makeContext(host: string): CliContext & { warmUp(): void } {
  const socket = host.startsWith('unix://') ? host.slice('unix://'.length) : host;
  const client = new EngineClient(host, socket);
  let negotiated: Promise<unknown> | undefined;
  let connecting: Promise<EngineClient> | undefined;
  const ctx: CliContext & { warmUp(): void } = {
    prog: PROG,
    host,
    // Version negotiation overlaps with loading the command's code; its failure is handled by client().
    warmUp: () => {
      negotiated ??= client.apiVersion().catch((e: unknown) => e);
    },
    client: () => {
      connecting ??= (async () => {
        ctx.warmUp();
        const failure = await negotiated;
        if (failure === undefined || typeof failure === 'string') return client;
        if (!(failure instanceof ConnectionError) || host !== DEFAULT_HOST) throw failure;
        const main = process.argv[1] ?? path.resolve('dist/bundle/main.js');
        if (!(await startLocalDaemon(socket, main))) throw failure;
        await client.apiVersion();
        return client;
      })();
      return connecting;
    },
    out: (text) => { process.stdout.write(text); },
    err: (text) => { process.stderr.write(text); },
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
  };
  clients.set(ctx, client);
  return ctx;
}

function closeContext(ctx: CliContext): void {
  clients.get(ctx)?.close();
}
