import type { Command } from '../command.js';

/** The command table: lazily loaded so that one command does not pay for loading all. */
interface Entry {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly description: string;
  readonly load: () => Promise<Command>;
}

const load = (p: Promise<{ command: Command }>): Promise<Command> => p.then((m) => m.command);

const CONTAINER: readonly Entry[] = [
  { name: 'attach', description: 'Attach local standard input, output, and error streams to a running container', load: () => load(import('./container-attach.js')) },
  { name: 'commit', description: "Create a new image from a container's changes", load: () => load(import('./container-commit.js')) },
  { name: 'cp', description: 'Copy files/folders between a container and the local filesystem', load: () => load(import('./container-cp.js')) },
  { name: 'create', description: 'Create a new container', load: () => load(import('./container-create.js')) },
  { name: 'diff', description: "Inspect changes to files or directories on a container's filesystem", load: () => load(import('./container-diff.js')) },
  { name: 'exec', description: 'Execute a command in a running container', load: () => load(import('./container-exec.js')) },
  { name: 'export', description: "Export a container's filesystem as a tar archive", load: () => load(import('./container-export.js')) },
  { name: 'inspect', description: 'Display detailed information on one or more containers', load: () => load(import('./container-inspect.js')) },
  { name: 'kill', description: 'Kill one or more running containers', load: () => load(import('./container-kill.js')) },
  { name: 'logs', description: 'Fetch the logs of a container', load: () => load(import('./container-logs.js')) },
  { name: 'ls', aliases: ['ps', 'list'], description: 'List containers', load: () => load(import('./container-ls.js')) },
  { name: 'pause', description: 'Pause all processes within one or more containers', load: () => load(import('./container-pause.js')) },
  { name: 'port', description: 'List port mappings or a specific mapping for the container', load: () => load(import('./container-port.js')) },
  { name: 'prune', description: 'Remove all stopped containers', load: () => load(import('./container-prune.js')) },
  { name: 'rename', description: 'Rename a container', load: () => load(import('./container-rename.js')) },
  { name: 'restart', description: 'Restart one or more containers', load: () => load(import('./container-restart.js')) },
  { name: 'rm', aliases: ['remove'], description: 'Remove one or more containers', load: () => load(import('./container-rm.js')) },
  { name: 'run', description: 'Create and run a new container from an image', load: () => load(import('./container-run.js')) },
  { name: 'start', description: 'Start one or more stopped containers', load: () => load(import('./container-start.js')) },
  { name: 'stats', description: 'Display a live stream of container(s) resource usage statistics', load: () => load(import('./container-stats.js')) },
  { name: 'stop', description: 'Stop one or more running containers', load: () => load(import('./container-stop.js')) },
  { name: 'top', description: 'Display the running processes of a container', load: () => load(import('./container-top.js')) },
  { name: 'unpause', description: 'Unpause all processes within one or more containers', load: () => load(import('./container-unpause.js')) },
  { name: 'update', description: 'Update configuration of one or more containers', load: () => load(import('./container-update.js')) },
  { name: 'wait', description: 'Block until one or more containers stop, then print their exit codes', load: () => load(import('./container-wait.js')) },
];

const IMAGE: readonly Entry[] = [
  { name: 'build', description: 'Build an image from a Dockerfile', load: () => load(import('./image-build.js')) },
  { name: 'history', description: 'Show the history of an image', load: () => load(import('./image-history.js')) },
  { name: 'import', description: 'Import the contents from a tarball to create a filesystem image', load: () => load(import('./image-import.js')) },
  { name: 'inspect', description: 'Display detailed information on one or more images', load: () => load(import('./image-inspect.js')) },
  { name: 'ls', aliases: ['images', 'list'], description: 'List images', load: () => load(import('./image-ls.js')) },
  { name: 'prune', description: 'Remove unused images', load: () => load(import('./image-prune.js')) },
  { name: 'load', description: 'Load an image from a tar archive or STDIN', load: () => load(import('./image-load.js')) },
  { name: 'pull', description: 'Download an image from a registry', load: () => load(import('./image-pull.js')) },
  { name: 'push', description: 'Upload an image to a registry', load: () => load(import('./image-push.js')) },
  { name: 'rm', aliases: ['rmi', 'remove'], description: 'Remove one or more images', load: () => load(import('./image-rm.js')) },
  { name: 'save', description: 'Save one or more images to a tar archive (streamed to STDOUT by default)', load: () => load(import('./image-save.js')) },
  { name: 'tag', description: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', load: () => load(import('./image-tag.js')) },
];

const BUILDER: readonly Entry[] = [
  { name: 'build', description: 'Build an image from a Dockerfile', load: () => load(import('./image-build.js')) },
  { name: 'prune', description: 'Remove build cache', load: () => load(import('./builder-prune.js')) },
];

const NETWORK: readonly Entry[] = [
  { name: 'connect', description: 'Connect a container to a network', load: () => load(import('./network-connect.js')) },
  { name: 'create', description: 'Create a network', load: () => load(import('./network-create.js')) },
  { name: 'disconnect', description: 'Disconnect a container from a network', load: () => load(import('./network-disconnect.js')) },
  { name: 'inspect', description: 'Display detailed information on one or more networks', load: () => load(import('./network-inspect.js')) },
  { name: 'ls', aliases: ['list'], description: 'List networks', load: () => load(import('./network-ls.js')) },
  { name: 'prune', description: 'Remove all unused networks', load: () => load(import('./network-prune.js')) },
  { name: 'rm', aliases: ['remove'], description: 'Remove one or more networks', load: () => load(import('./network-rm.js')) },
];

const SYSTEM: readonly Entry[] = [
  { name: 'df', description: 'Show docker disk usage', load: () => load(import('./system-df.js')) },
  { name: 'events', description: 'Get real time events from the server', load: () => load(import('./system-events.js')) },
  { name: 'info', description: 'Display system-wide information', load: () => load(import('./system-info.js')) },
  { name: 'prune', description: 'Remove unused data', load: () => load(import('./system-prune.js')) },
];

const VOLUME: readonly Entry[] = [
  { name: 'create', description: 'Create a volume', load: () => load(import('./volume-create.js')) },
  { name: 'inspect', description: 'Display detailed information on one or more volumes', load: () => load(import('./volume-inspect.js')) },
  { name: 'ls', aliases: ['list'], description: 'List volumes', load: () => load(import('./volume-ls.js')) },
  { name: 'prune', description: 'Remove unused local volumes', load: () => load(import('./volume-prune.js')) },
  { name: 'rm', aliases: ['remove'], description: 'Remove one or more volumes', load: () => load(import('./volume-rm.js')) },
];

const GROUPS: Readonly<Record<string, { description: string; entries: readonly Entry[] }>> = {
  builder: { description: 'Manage builds', entries: BUILDER },
  container: { description: 'Manage containers', entries: CONTAINER },
  image: { description: 'Manage images', entries: IMAGE },
  network: { description: 'Manage networks', entries: NETWORK },
  system: { description: 'Manage berth', entries: SYSTEM },
  volume: { description: 'Manage volumes', entries: VOLUME },
};

/** Top-level shortcuts, as the docker CLI has them. */
const TOP: readonly Entry[] = [
  { name: 'run', description: 'Create and run a new container from an image', load: () => load(import('./container-run.js')) },
  { name: 'exec', description: 'Execute a command in a running container', load: () => load(import('./container-exec.js')) },
  { name: 'ps', description: 'List containers', load: () => load(import('./container-ls.js')) },
  { name: 'images', description: 'List images', load: () => load(import('./image-ls.js')) },
  { name: 'version', description: 'Show the berth version information', load: () => load(import('./version.js')) },
  { name: 'info', description: 'Display system-wide information', load: () => load(import('./system-info.js')) },
  { name: 'create', description: 'Create a new container', load: () => load(import('./container-create.js')) },
  { name: 'start', description: 'Start one or more stopped containers', load: () => load(import('./container-start.js')) },
  { name: 'stop', description: 'Stop one or more running containers', load: () => load(import('./container-stop.js')) },
  { name: 'restart', description: 'Restart one or more containers', load: () => load(import('./container-restart.js')) },
  { name: 'kill', description: 'Kill one or more running containers', load: () => load(import('./container-kill.js')) },
  { name: 'rm', description: 'Remove one or more containers', load: () => load(import('./container-rm.js')) },
  { name: 'logs', description: 'Fetch the logs of a container', load: () => load(import('./container-logs.js')) },
  { name: 'inspect', description: 'Return low-level information on berth objects', load: () => load(import('./inspect.js')) },
  { name: 'wait', description: 'Block until one or more containers stop, then print their exit codes', load: () => load(import('./container-wait.js')) },
  { name: 'rename', description: 'Rename a container', load: () => load(import('./container-rename.js')) },
  { name: 'port', description: 'List port mappings or a specific mapping for the container', load: () => load(import('./container-port.js')) },
  { name: 'cp', description: 'Copy files/folders between a container and the local filesystem', load: () => load(import('./container-cp.js')) },
  { name: 'export', description: "Export a container's filesystem as a tar archive", load: () => load(import('./container-export.js')) },
  { name: 'attach', description: 'Attach local standard input, output, and error streams to a running container', load: () => load(import('./container-attach.js')) },
  { name: 'top', description: 'Display the running processes of a container', load: () => load(import('./container-top.js')) },
  { name: 'update', description: 'Update configuration of one or more containers', load: () => load(import('./container-update.js')) },
  { name: 'rmi', description: 'Remove one or more images', load: () => load(import('./image-rm.js')) },
  { name: 'tag', description: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', load: () => load(import('./image-tag.js')) },
  { name: 'import', description: 'Import the contents from a tarball to create a filesystem image', load: () => load(import('./image-import.js')) },
  { name: 'history', description: 'Show the history of an image', load: () => load(import('./image-history.js')) },
  { name: 'events', description: 'Get real time events from the server', load: () => load(import('./system-events.js')) },
  { name: 'pause', description: 'Pause all processes within one or more containers', load: () => load(import('./container-pause.js')) },
  { name: 'unpause', description: 'Unpause all processes within one or more containers', load: () => load(import('./container-unpause.js')) },
  { name: 'stats', description: 'Display a live stream of container(s) resource usage statistics', load: () => load(import('./container-stats.js')) },
  { name: 'pull', description: 'Download an image from a registry', load: () => load(import('./image-pull.js')) },
  { name: 'push', description: 'Upload an image to a registry', load: () => load(import('./image-push.js')) },
  { name: 'login', description: 'Authenticate to a registry', load: () => load(import('./login.js')) },
  { name: 'logout', description: 'Log out from a registry', load: () => load(import('./logout.js')) },
  { name: 'save', description: 'Save one or more images to a tar archive (streamed to STDOUT by default)', load: () => load(import('./image-save.js')) },
  { name: 'load', description: 'Load an image from a tar archive or STDIN', load: () => load(import('./image-load.js')) },
  { name: 'build', description: 'Build an image from a Dockerfile', load: () => load(import('./image-build.js')) },
  { name: 'commit', description: "Create a new image from a container's changes", load: () => load(import('./container-commit.js')) },
  { name: 'diff', description: "Inspect changes to files or directories on a container's filesystem", load: () => load(import('./container-diff.js')) },
  { name: 'compose', description: 'Define and run multi-container applications', load: () => load(import('./compose.js')) },
];

export type Found =
  | { kind: 'command'; load: () => Promise<Command>; invokedAs: string; rest: readonly string[] }
  | { kind: 'group'; group: string; rest: readonly string[] }
  | { kind: 'unknown' };

function findIn(entries: readonly Entry[], name: string): Entry | undefined {
  return entries.find((e) => e.name === name || (e.aliases ?? []).includes(name));
}

export function findCommand(args: readonly string[]): Found {
  const [first = '', second, ...rest] = args;
  const group = GROUPS[first];
  if (group !== undefined) {
    const entry = second === undefined ? undefined : findIn(group.entries, second);
    if (entry === undefined) return { kind: 'group', group: first, rest: second === undefined ? [] : [second, ...rest] };
    // Help and errors name the command by its primary name, whatever alias was typed.
    return { kind: 'command', load: entry.load, invokedAs: `${first} ${entry.name}`, rest };
  }
  const top = findIn(TOP, first);
  if (top === undefined) return { kind: 'unknown' };
  return { kind: 'command', load: top.load, invokedAs: first, rest: args.slice(1) };
}

function list(entries: readonly Entry[]): string {
  const width = Math.max(...entries.map((e) => e.name.length)) + 2;
  return entries.map((e) => `  ${e.name.padEnd(Math.max(width, 12))}${e.description}`).join('\n');
}

export function topLevelHelp(prog: string): string {
  return `Usage:  ${prog} [OPTIONS] COMMAND

A Docker-compatible container engine

Common Commands:
${list(TOP.slice(0, 5))}

Management Commands:
${list(Object.entries(GROUPS).map(([name, g]) => ({ name, description: g.description, load: () => Promise.reject(new Error()) })))}

Commands:
${list([...TOP.slice(5), { name: 'daemon', description: 'Run the berth engine (the daemon) in the foreground', load: () => Promise.reject(new Error()) }])}

Global Options:
      --config string      Location of client config files
  -D, --debug              Enable debug mode
  -H, --host list          Daemon socket to connect to (default unix:///run/berth/berth.sock, or $BERTH_HOST)
  -l, --log-level string   Set the logging level ("debug", "info", "warn", "error", "fatal") (default "info")
  -v, --version            Print version information and quit

Run '${prog} COMMAND --help' for more information on a command.
`;
}

export function groupHelp(prog: string, group: string): string {
  const g = GROUPS[group];
  if (g === undefined) return '';
  return `Usage:  ${prog} ${group} COMMAND

${g.description}

Commands:
${list(g.entries)}

Run '${prog} ${group} COMMAND --help' for more information on a command.
`;
}
