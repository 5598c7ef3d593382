import { errorText } from '../cli-errors.js';
import { ExitError, type Command } from '../command.js';
import type { FlagSpec } from '../flags/index.js';
import { containerPath } from './container-batch.js';
import { CONTAINER_FLAGS, resourcesOf, restartPolicy } from './container-options.js';

const SHARED = ['cpu-period', 'cpu-quota', 'cpu-shares', 'cpus', 'cpuset-cpus', 'cpuset-mems', 'memory', 'memory-reservation', 'memory-swap', 'pids-limit', 'restart'];

/** The resource flags of `run`, with update's own wording where it differs. */
const FLAGS: readonly FlagSpec[] = CONTAINER_FLAGS.filter((f) => SHARED.includes(f.name)).map((f): FlagSpec => {
  if (f.name === 'memory-swap') return { ...f, usage: 'Swap limit equal to memory plus swap: -1 to enable unlimited swap' };
  if (f.name === 'restart') return { name: 'restart', type: 'string', usage: 'Restart policy to apply when a container exits' };
  return f;
});

export const command: Command = {
  path: 'container update',
  aliases: ['update'],
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Update configuration of one or more containers',
  flags: FLAGS,
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    if (!SHARED.some((n) => flags.has(n))) throw new ExitError(1, 'you must provide one or more flags when using this command');
    const body: Record<string, unknown> = { ...resourcesOf(flags) };
    if (flags.has('restart')) body['RestartPolicy'] = restartPolicy(flags.getString('restart'));
    const client = await ctx.client();
    const errors: string[] = [];
    const warnings: string[] = [];
    for (const name of args) {
      try {
        const r = await client.json<{ Warnings?: string[] | null }>('POST', containerPath(name, '/update'), { body });
        ctx.out(`${name}\n`);
        warnings.push(...(r.Warnings ?? []));
      } catch (e: unknown) {
        errors.push(errorText(e));
      }
    }
    if (warnings.length > 0) ctx.out(`${warnings.join('\n')}\n`);
    if (errors.length > 0) throw new ExitError(1, errors.join('\n'));
    return 0;
  },
};
