import { describe, it } from 'node:test';
import { PS_FLAGS, RUN_FLAGS } from './flag-fixtures.test-data.js';
import assert from 'node:assert/strict';
import { renderHelp, usageErrorText, type CommandHelp } from './help.js';
import { FlagError, parseFlags, type FlagSpec } from './parse-flags.js';


const PS_HELP: CommandHelp = {
  path: 'docker ps',
  usage: '[OPTIONS]',
  description: 'List containers',
  aliases: ['docker container ls', 'docker container list', 'docker container ps', 'docker ps'],
  flags: PS_FLAGS,
};

const run = (argv: readonly string[]) => parseFlags(argv, RUN_FLAGS, { interspersed: false });

describe('usageErrorText()', () => {
  it('usageErrorText() matches what docker prints for a flag error', () => {
    const runHelp = { path: 'docker run', usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]' };
    let error: unknown;
    try {
      run(['--foo']);
    } catch (e: unknown) {
      error = e;
    }
    assert.ok(error instanceof FlagError);
    assert.equal(
      usageErrorText(runHelp, error),
      "unknown flag: --foo\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n",
    );
    assert.equal(
      usageErrorText({ path: 'berth container port', usage: '' }, new FlagError('unknown-shorthand', "unknown shorthand flag: 'x' in -x")),
      "unknown shorthand flag: 'x' in -x\n\nUsage:  berth container port\n\nRun 'berth container port --help' for more information\n",
    );
  });
});

describe('renderHelp()', () => {
  it('renderHelp() reproduces docker ps --help at 80 columns', () => {
    assert.equal(
      renderHelp(PS_HELP),
      `Usage:  docker ps [OPTIONS]

List containers

Aliases:
  docker container ls, docker container list, docker container ps, docker ps

Options:
  -a, --all             Show all containers (default shows just running)
  -f, --filter filter   Filter output based on conditions provided
      --format string   Format output using a custom template:
                        'table':            Print output in table format
                        with column headers (default)
                        'table TEMPLATE':   Print output in table format
                        using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
  -n, --last int        Show n last created containers (includes all
                        states) (default -1)
  -l, --latest          Show the latest created container (includes all
                        states)
      --no-trunc        Don't truncate output
  -q, --quiet           Only display container IDs
  -s, --size            Display total file sizes
`,
    );
  });

  it('renderHelp() moves usage text below the flag when the terminal is narrow', () => {
    const help = renderHelp({ ...PS_HELP, flags: PS_FLAGS.filter((f) => f.name === 'last') }, { width: 42 });
    assert.equal(
      help.split('Options:\n')[1],
      '  -n, --last int   \n' +
        '                Show n last created\n' +
        '                containers\n' +
        '                (includes all\n' +
        '                states) (default -1)\n',
    );
    const tiny = renderHelp({ ...PS_HELP, flags: PS_FLAGS.filter((f) => f.name === 'last') }, { width: 30 });
    assert.equal(
      tiny.split('Options:\n')[1],
      '  -n, --last int   Show n last created containers (includes all states) (default -1)\n',
    );
  });

  it('renderHelp() shows defaults like pflag and hides hidden and deprecated flags', () => {
    const flags: FlagSpec[] = [
      { name: 'driver', short: 'd', type: 'string', default: 'bridge', usage: 'Driver to manage the Network' },
      { name: 'ipv4', type: 'bool', default: true, usage: 'Enable IPv4' },
      { name: 'opt', short: 'o', type: 'map', usage: 'Set driver specific options' },
      { name: 'labels', type: 'map', default: { b: '2', a: '1' }, usage: 'Labels' },
      { name: 'subnet', type: 'stringSlice', default: ['10.0.0.0/8', 'a,b'], usage: 'Subnets' },
      { name: 'gateway', type: 'stringSlice', usage: 'Gateways' },
      { name: 'cert-expiry', type: 'duration', default: 2160 * 3600e9, usage: 'Validity period' },
      { name: 'heartbeat', type: 'duration', default: 5e9, usage: 'Heartbeat period' },
      { name: 'ratio', type: 'float', default: 0.25, usage: 'Ratio' },
      { name: 'shm', type: 'bytes', default: 64 * 1024 * 1024, usage: 'Size of /dev/shm' },
      { name: 'ulimit', type: 'list', valueName: 'ulimit', defaultText: '[]', usage: 'Ulimit options' },
      { name: 'secret', type: 'string', usage: 'Hidden', hidden: true },
      { name: 'old', type: 'bool', usage: 'Old', deprecated: 'gone' },
      { name: 'tag', type: 'string', usage: 'Name and optionally a `tag` in the name:tag format' },
    ];
    const help = renderHelp({ path: 'berth network create', usage: '[OPTIONS] NETWORK', description: '  Create a network\n', flags });
    assert.equal(
      help,
      `Usage:  berth network create [OPTIONS] NETWORK

Create a network

Options:
      --cert-expiry duration   Validity period (default 2160h0m0s)
  -d, --driver string          Driver to manage the Network (default "bridge")
      --gateway strings        Gateways
      --heartbeat duration     Heartbeat period (default 5s)
      --ipv4                   Enable IPv4 (default true)
      --labels map             Labels (default map[a:1 b:2])
  -o, --opt map                Set driver specific options (default map[])
      --ratio float            Ratio (default 0.25)
      --shm bytes              Size of /dev/shm (default 64MiB)
      --subnet strings         Subnets (default [10.0.0.0/8,"a,b"])
      --tag tag                Name and optionally a tag in the name:tag
                               format
      --ulimit ulimit          Ulimit options (default [])
`,
    );
  });

  it('renderHelp() lists an explicit --help flag and omits Options when no flag is visible', () => {
    const help = renderHelp({
      path: 'docker run',
      usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
      description: 'Create and run a new container from an image',
      aliases: ['docker container run', 'docker run'],
      flags: RUN_FLAGS.filter((f) => ['help', 'hostname', 'detach'].includes(f.name)),
    });
    assert.equal(
      help.split('Options:\n')[1],
      '  -d, --detach            Run container in background\n' +
        '      --help              Print usage\n' +
        '  -h, --hostname string   Container host name\n',
    );
    assert.equal(
      renderHelp({ path: 'docker port', usage: 'CONTAINER', description: 'List port mappings', flags: [] }),
      'Usage:  docker port CONTAINER\n\nList port mappings\n',
    );
  });
});
