import type { Command } from '../command.js';
import { createContainer, runFailure } from './container-client.js';
import { buildCreatePlan, CONTAINER_FLAGS, UsageFailure } from './container-options.js';

export const command: Command = {
  path: 'container create',
  aliases: ['create'],
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create a new container',
  flags: CONTAINER_FLAGS,
  interspersed: false,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    let plan;
    try {
      plan = buildCreatePlan(flags, args, { detach: true });
    } catch (e: unknown) {
      if (e instanceof UsageFailure) throw runFailure(ctx, 'create', e, 125);
      throw e;
    }
    const client = await ctx.client();
    ctx.out(`${await createContainer(ctx, client, plan, 'create')}\n`);
    return 0;
  },
};
