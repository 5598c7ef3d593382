import { CredentialsStore } from '../../client/credentials-store.js';
import type { EngineClient } from '../../client/engine-client.js';
import { referenceString, withDefaultTag, type ImageReference } from '../../reference/image-reference.js';
import { ExitError, type CliContext, type Command } from '../command.js';
import { displayJsonStream } from './image-json-stream.js';
import { familiarName, parseNormalizedNamed } from './image-reference.js';

export interface PullRequest {
  readonly ref: ImageReference;
  readonly allTags: boolean;
  readonly platform?: string;
}

/**
 * POST /images/create for `ref` with the stored credentials, rendering the progress on
 * `write` (bars when `tty`). Shared by `pull` and by `run`/`create` of a missing image.
 */
export async function pullImage(client: EngineClient, req: PullRequest, write: (text: string) => void, tty: { columns: number } | undefined): Promise<void> {
  const { ref } = req;
  const tag = ref.digest ?? (req.allTags ? undefined : ref.tag ?? 'latest');
  const auth = await new CredentialsStore().registryAuth(ref.domain);
  const res = await client.request('POST', '/images/create', {
    query: { fromImage: familiarName(ref), tag, platform: req.platform },
    headers: { 'X-Registry-Auth': auth },
  });
  await displayJsonStream(res, write, tty);
}

/**
 * The reference a pull or push names, checked as the docker CLI does: a tag and --all-tags
 * exclude each other; without either, "latest" (announced unless quiet).
 */
export function transferReference(ctx: CliContext, name: string, allTags: boolean, quiet: boolean): ImageReference {
  let ref: ImageReference;
  try {
    ref = parseNormalizedNamed(name);
  } catch (e: unknown) {
    throw new ExitError(1, e instanceof Error ? e.message : String(e));
  }
  if (allTags && (ref.tag !== undefined || ref.digest !== undefined)) throw new ExitError(1, 'tag can\'t be used with --all-tags/-a');
  if (!allTags && ref.tag === undefined && ref.digest === undefined) {
    ref = withDefaultTag(ref);
    if (!quiet) ctx.out('Using default tag: latest\n');
  }
  return ref;
}

export function terminal(ctx: CliContext, stream: 'out' | 'err'): { columns: number } | undefined {
  const isTty = stream === 'out' ? ctx.stdoutIsTTY : ctx.stderrIsTTY;
  if (!isTty) return undefined;
  return { columns: (stream === 'out' ? process.stdout.columns : process.stderr.columns) ?? 80 };
}

export const command: Command = {
  path: 'image pull',
  aliases: ['pull'],
  usage: '[OPTIONS] NAME[:TAG|@DIGEST]',
  description: 'Download an image from a registry',
  flags: [
    { name: 'all-tags', short: 'a', type: 'bool', usage: 'Download all tagged images in the repository' },
    { name: 'disable-content-trust', type: 'bool', default: true, usage: 'Skip image verification' },
    { name: 'platform', type: 'string', usage: 'Set platform if server is multi-platform capable' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Suppress verbose output' },
  ],
  interspersed: true,
  args: { kind: 'exact', n: 1 },
  async run(ctx, flags, args) {
    const allTags = flags.getBool('all-tags');
    const quiet = flags.getBool('quiet');
    const ref = transferReference(ctx, args[0] ?? '', allTags, quiet);
    const platform = flags.getString('platform') !== '' ? flags.getString('platform') : (process.env['DOCKER_DEFAULT_PLATFORM'] ?? '');
    const client = await ctx.client();
    await pullImage(client, { ref, allTags, ...(platform !== '' ? { platform } : {}) }, quiet ? () => undefined : (t) => ctx.out(t), quiet ? undefined : terminal(ctx, 'out'));
    if (!allTags) ctx.out(`${referenceString(ref)}\n`);
    return 0;
  },
};
