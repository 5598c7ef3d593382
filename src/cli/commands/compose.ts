import { ComposeError } from '../../compose/compose-error.js';
import { loadProject, type ComposeProject } from '../../compose/loader/load-project.js';
import { ExitError, type CliContext, type Command } from '../command.js';
import { FlagError, parseFlags, renderHelp, usageErrorText, type FlagSpec, type ParsedFlags } from '../flags/index.js';

/** The flags every `compose` subcommand shares, given before the subcommand as in docker compose. */
const COMPOSE_FLAGS: readonly FlagSpec[] = [
  { name: 'file', short: 'f', type: 'stringArray', usage: 'Compose configuration files' },
  { name: 'project-name', short: 'p', type: 'string', usage: 'Project name' },
  { name: 'project-directory', type: 'string', usage: 'Specify an alternate working directory\n(default: the path of the, first specified, Compose file)' },
  { name: 'env-file', type: 'stringArray', usage: 'Specify an alternate environment file' },
  { name: 'profile', type: 'stringArray', usage: 'Specify a profile to enable' },
];

/** A `compose` subcommand: gets the project loader bound to the shared flags. */
export interface ComposeSubcommand {
  readonly name: string;
  readonly usage: string;
  readonly description: string;
  readonly flags: readonly FlagSpec[];
  run(ctx: CliContext, flags: ParsedFlags, args: readonly string[], load: () => ComposeProject): Promise<number>;
}

const SUBCOMMANDS: ReadonlyArray<{ name: string; description: string; load: () => Promise<ComposeSubcommand> }> = [
  { name: 'config', description: 'Parse, resolve and render compose file in canonical format', load: async () => (await import('./compose-config.js')).subcommand },
  { name: 'version', description: 'Show the Docker Compose version information', load: async () => (await import('./compose-version.js')).subcommand },
];

const width = Math.max(...SUBCOMMANDS.map((s) => s.name.length)) + 4;
/** The description `--help` shows, with the subcommands (help output has no other place for them). */
const DESCRIPTION = `Define and run multi-container applications with Docker

Commands:
${SUBCOMMANDS.map((s) => `  ${s.name.padEnd(width)}${s.description}`).join('\n')}`;

function groupHelp(prog: string): string {
  return `${renderHelp({ path: `${prog} compose`, usage: '[OPTIONS] COMMAND', description: DESCRIPTION, flags: COMPOSE_FLAGS }, { width: 80 }).trimEnd()}

Run '${prog} compose COMMAND --help' for more information on a command.
`;
}

/** Project loading options from the shared flags, as compose v2 reads them. */
function loaderFor(ctx: CliContext, shared: ParsedFlags): () => ComposeProject {
  let project: ComposeProject | undefined;
  return () => {
    project ??= loadProject({
      configFiles: shared.getStrings('file'),
      ...(shared.has('project-name') ? { projectName: shared.getString('project-name') } : {}),
      ...(shared.has('project-directory') ? { projectDirectory: shared.getString('project-directory') } : {}),
      envFiles: shared.getStrings('env-file'),
      profiles: shared.getStrings('profile'),
      env: process.env,
      cwd: process.cwd(),
      warn: (msg) => ctx.err(`WARN[0000] ${msg}\n`),
    });
    return project;
  };
}

export const command: Command = {
  path: 'compose',
  usage: '[OPTIONS] COMMAND',
  description: DESCRIPTION,
  flags: COMPOSE_FLAGS,
  interspersed: false,
  args: { kind: 'min', n: 0 },
  async run(ctx, shared, args) {
    const [name, ...rest] = args;
    if (name === undefined) {
      ctx.out(groupHelp(ctx.prog));
      return 0;
    }
    const entry = SUBCOMMANDS.find((s) => s.name === name);
    if (entry === undefined) {
      ctx.err(`unknown ${ctx.prog} command: "compose ${name}"\n\nRun '${ctx.prog} compose --help' for more information\n`);
      return 1;
    }
    const sub = await entry.load();
    const help = { path: `${ctx.prog} compose ${sub.name}`, usage: sub.usage, description: sub.description, flags: sub.flags };
    let flags: ParsedFlags;
    try {
      flags = parseFlags(rest, sub.flags, { interspersed: true });
    } catch (e: unknown) {
      if (e instanceof FlagError) {
        ctx.err(usageErrorText(help, e));
        return 1;
      }
      throw e;
    }
    if (flags.help) {
      ctx.out(renderHelp(help, { width: process.stdout.columns ?? 80 }));
      return 0;
    }
    try {
      return await sub.run(ctx, flags, flags.args, loaderFor(ctx, shared));
    } catch (e: unknown) {
      if (e instanceof ComposeError) throw new ExitError(1, e.message);
      throw e;
    }
  },
};
