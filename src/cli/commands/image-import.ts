import { promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';
import { queryString } from '../../client/engine-client.js';
import { ExitError, type Command } from '../command.js';
import { displayJsonStream } from './image-json-stream.js';
import { parseNormalizedNamed } from './image-reference.js';

interface ImportOptions {
  /** "-" (the body is the tarball) or a URL the daemon downloads. */
  readonly fromSrc: string;
  readonly body?: Readable;
  readonly repo?: string;
  readonly message?: string;
  readonly platform?: string;
  readonly changes: readonly string[];
}

/** strerror texts Go shows for a failed open. */
const OPEN_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
};

/** Go's url.Values.Encode order (keys sorted), for the texts that quote the request URL. */
function sortedQuery(q: Record<string, string | readonly string[] | undefined>): string {
  const sorted = Object.fromEntries(Object.entries(q).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return queryString(sorted);
}

/** Where the image comes from: stdin, a URL (fetched by the daemon) or a local file. */
async function source(src: string): Promise<{ fromSrc: string; body?: Readable; directory?: boolean }> {
  if (src === '-') return { fromSrc: '-', body: process.stdin };
  if (src.startsWith('http://') || src.startsWith('https://')) return { fromSrc: src };
  let file;
  try {
    file = await fs.open(src, 'r');
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new ExitError(1, `open ${src}: ${OPEN_ERRORS[code] ?? (e instanceof Error ? e.message : String(e))}`);
  }
  if ((await file.stat()).isDirectory()) {
    await file.close();
    return { fromSrc: '-', directory: true };
  }
  return { fromSrc: '-', body: file.createReadStream() };
}

export const command: Command = {
  path: 'image import',
  aliases: ['import'],
  usage: '[OPTIONS] file|URL|- [REPOSITORY[:TAG]]',
  description: 'Import the contents from a tarball to create a filesystem image',
  flags: [
    { name: 'change', short: 'c', type: 'list', usage: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', type: 'string', usage: 'Set commit message for imported image' },
    { name: 'platform', type: 'string', usage: 'Set platform if server is multi-platform capable' },
  ],
  interspersed: true,
  args: { kind: 'min', n: 1 },
  async run(ctx, flags, args) {
    const [src = '', repo = ''] = args;
    const { fromSrc, body, directory } = await source(src);
    if (repo !== '') {
      try {
        parseNormalizedNamed(repo);
      } catch (e: unknown) {
        body?.destroy();
        throw new ExitError(1, e instanceof Error ? e.message : String(e));
      }
    }
    const platform = flags.has('platform') ? flags.getString('platform') : (process.env['DOCKER_DEFAULT_PLATFORM'] ?? '');
    const opts: ImportOptions = {
      fromSrc,
      ...(body !== undefined ? { body } : {}),
      ...(repo !== '' ? { repo } : {}),
      ...(flags.getString('message') !== '' ? { message: flags.getString('message') } : {}),
      ...(platform !== '' ? { platform: platform.toLowerCase() } : {}),
      changes: flags.getStrings('change'),
    };
    const query = { fromSrc: opts.fromSrc, repo: opts.repo, message: opts.message, platform: opts.platform, changes: opts.changes };
    const client = await ctx.client();
    if (directory === true) {
      // Go opens a directory fine and fails reading it, inside the request.
      const socket = encodeURIComponent(ctx.host.replace(/^unix:\/\//, ''));
      throw new ExitError(1, `error during connect: Post "http://${socket}/v${await client.apiVersion()}/images/create${sortedQuery(query)}": read ${src}: is a directory`);
    }
    const res = await client.request('POST', '/images/create', { query, ...(opts.body !== undefined ? { stream: opts.body } : {}) });
    await displayJsonStream(res, (text) => ctx.out(text));
    return 0;
  },
};
