import { ExitError, type Command } from '../command.js';
import { checkAnyReference, fullName, imagePath, parseNormalizedNamed } from './image-reference.js';

function invalid(ref: string, e: unknown): ExitError {
  return new ExitError(1, `Error parsing reference: "${ref}" is not a valid repository/tag: ${e instanceof Error ? e.message : String(e)}`);
}

export const command: Command = {
  path: 'image tag',
  aliases: ['tag'],
  usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  description: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  flags: [],
  interspersed: true,
  args: { kind: 'exact', n: 2 },
  async run(ctx, _flags, args) {
    const [source = '', target = ''] = args;
    // Checked on the client, as docker's ImageTag does, before any request.
    try {
      checkAnyReference(source);
    } catch (e: unknown) {
      throw invalid(source, e);
    }
    let ref;
    try {
      ref = parseNormalizedNamed(target);
    } catch (e: unknown) {
      throw invalid(target, e);
    }
    if (ref.digest !== undefined) throw new ExitError(1, 'refusing to create a tag with a digest reference');
    const client = await ctx.client();
    await client.call('POST', `/images/${imagePath(source)}/tag`, { query: { repo: fullName(ref), tag: ref.tag ?? 'latest' } });
    return 0;
  },
};
