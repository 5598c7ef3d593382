/** Flag specs shared by the flag tests: `docker run` (a subset) and `docker ps` as docker declares them. */
import type { FlagSpec } from './parse-flags.js';

// Flags as `docker run` and `docker ps` declare them (a subset for run).
export const RUN_FLAGS: readonly FlagSpec[] = [
  { name: 'interactive', short: 'i', type: 'bool', usage: 'Keep STDIN open even if not attached' },
  { name: 'tty', short: 't', type: 'bool', usage: 'Allocate a pseudo-TTY' },
  { name: 'detach', short: 'd', type: 'bool', usage: 'Run container in background' },
  { name: 'rm', type: 'bool', usage: 'Automatically remove the container' },
  { name: 'sig-proxy', type: 'bool', default: true, usage: 'Proxy received signals' },
  { name: 'env', short: 'e', type: 'list', usage: 'Set environment variables' },
  { name: 'publish', short: 'p', type: 'list', usage: "Publish a container's port(s)" },
  { name: 'name', type: 'string', usage: 'Assign a name to the container' },
  { name: 'hostname', short: 'h', type: 'string', usage: 'Container host name' },
  { name: 'help', type: 'bool', usage: 'Print usage' },
  { name: 'memory', short: 'm', type: 'bytes', usage: 'Memory limit' },
  { name: 'health-interval', type: 'duration', usage: 'Time between running the check' },
  { name: 'blkio-weight', type: 'uint16', usage: 'Block IO (relative weight)' },
  { name: 'stop-timeout', type: 'int', usage: 'Timeout (in seconds) to stop a container' },
  { name: 'sysctl', type: 'map', usage: 'Sysctl options' },
  { name: 'cpus', type: 'float', usage: 'Number of CPUs' },
];

export const FORMAT_USAGE =
  "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

export const PS_FLAGS: readonly FlagSpec[] = [
  { name: 'quiet', short: 'q', type: 'bool', usage: 'Only display container IDs' },
  { name: 'size', short: 's', type: 'bool', usage: 'Display total file sizes' },
  { name: 'all', short: 'a', type: 'bool', usage: 'Show all containers (default shows just running)' },
  { name: 'no-trunc', type: 'bool', usage: "Don't truncate output" },
  { name: 'latest', short: 'l', type: 'bool', usage: 'Show the latest created container (includes all states)' },
  { name: 'last', short: 'n', type: 'int', default: -1, usage: 'Show n last created containers (includes all states)' },
  { name: 'format', type: 'string', usage: FORMAT_USAGE },
  { name: 'filter', short: 'f', type: 'list', valueName: 'filter', usage: 'Filter output based on conditions provided' },
];
