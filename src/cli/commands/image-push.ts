import { CredentialsStore } from '../../client/credentials-store.js';
import { familiarString } from '../../reference/image-reference.js';
import { ExitError, type Command } from '../command.js';
import { displayJsonStream } from './image-json-stream.js';
import { terminal, transferReference } from './image-pull.js';
import { familiarName, imagePath } from './image-reference.js';

export const command: Command = {
  path: 'image push',
  aliases: ['push'],
  usage: '[OPTIONS] NAME[:TAG]',
  description: 'Upload an image to a registry',
  flags: [
    { name: 'all-tags', short: 'a', type: 'bool', usage: 'Push all tags of an image to the repository' },
    { name: 'disable-content-trust', type: 'bool', default: true, usage: 'Skip image signing' },
    { name: 'platform', type: 'string', usage: 'Push a platform-specific manifest as a single-platform image to the registry' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Suppress verbose output' },
  ],
  interspersed: true,
  args: { kind: 'exact', n: 1 },
  async run(ctx, flags, args) {
    const allTags = flags.getBool('all-tags');
    const quiet = flags.getBool('quiet');
    if (/@/.test(args[0] ?? '')) throw new ExitError(1, 'cannot push a digest reference');
    const ref = transferReference(ctx, args[0] ?? '', allTags, quiet);
    const client = await ctx.client();
    const auth = await new CredentialsStore().registryAuth(ref.domain);
    const res = await client.request('POST', `/images/${imagePath(familiarName(ref))}/push`, {
      query: { tag: allTags ? undefined : ref.tag },
      headers: { 'X-Registry-Auth': auth },
    });
    await displayJsonStream(res, quiet ? () => undefined : (t) => ctx.out(t), quiet ? undefined : terminal(ctx, 'out'));
    if (quiet) ctx.out(`${familiarString(ref)}\n`);
    return 0;
  },
};
