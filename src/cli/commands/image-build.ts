import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ApiError } from '../../client/api-error.js';
import { ExitError, type Command } from '../command.js';
import { jsonMessages } from './image-json-stream.js';
import { BuildProgressView } from './build-progress.js';

/** The context as a tar stream: a directory packed with tar, or stdin as is (`-`). */
async function contextBody(context: string, dockerfile: string): Promise<{ body: Readable; dockerfile: string }> {
  if (context === '-') return { body: process.stdin, dockerfile: 'Dockerfile' };
  const st = await fs.stat(context).catch(() => undefined);
  if (st === undefined) throw new ExitError(1, `ERROR: unable to prepare context: path "${context}" not found`);
  if (!st.isDirectory()) throw new ExitError(1, `ERROR: unable to prepare context: context must be a directory: ${path.resolve(context)}`);
  let rel = 'Dockerfile';
  if (dockerfile !== '') {
    const abs = path.resolve(dockerfile);
    rel = path.relative(path.resolve(context), abs);
    if (rel.startsWith('..')) throw new ExitError(1, `ERROR: the Dockerfile (${dockerfile}) must be within the build context`);
  }
  const child = spawn('tar', ['-c', '-f', '-', '-C', context, '--numeric-owner', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return { body: child.stdout, dockerfile: rel.split(path.sep).join('/') };
}

/** `--secret id=x[,src=file|,env=VAR]` → id → base64 value. */
async function readSecrets(specs: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const fields = new Map(spec.split(',').map((f) => {
      const eq = f.indexOf('=');
      return [eq < 0 ? f : f.slice(0, eq), eq < 0 ? '' : f.slice(eq + 1)] as [string, string];
    }));
    const id = fields.get('id') ?? '';
    if (id === '') throw new ExitError(1, `ERROR: secret ID missing from secret "${spec}"`);
    const src = fields.get('src') ?? fields.get('source');
    if (src !== undefined) {
      try {
        out[id] = (await fs.readFile(src)).toString('base64');
      } catch (e: unknown) {
        throw new ExitError(1, `ERROR: failed to read secret ${id}: ${e instanceof Error ? e.message : String(e)}`);
      }
      continue;
    }
    const value = process.env[fields.get('env') ?? id];
    if (value !== undefined) out[id] = Buffer.from(value).toString('base64');
  }
  return out;
}

export const command: Command = {
  path: 'image build',
  aliases: ['build', 'builder build'],
  usage: '[OPTIONS] PATH | URL | -',
  description: 'Build an image from a Dockerfile',
  flags: [
    { name: 'add-host', type: 'list', usage: 'Add a custom host-to-IP mapping ("host:ip")' },
    { name: 'build-arg', type: 'list', usage: 'Set build-time variables' },
    { name: 'file', short: 'f', type: 'string', usage: 'Name of the Dockerfile (default: "PATH/Dockerfile")' },
    { name: 'label', type: 'list', usage: 'Set metadata for an image' },
    { name: 'network', type: 'string', default: 'default', usage: 'Set the networking mode for the "RUN" instructions during build' },
    { name: 'no-cache', type: 'bool', usage: 'Do not use cache when building the image' },
    { name: 'no-cache-filter', type: 'stringArray', usage: 'Do not cache specified stages' },
    { name: 'platform', type: 'string', usage: 'Set target platform for build' },
    { name: 'progress', type: 'string', default: 'auto', usage: 'Set type of progress output ("auto", "plain", "tty", "quiet")' },
    { name: 'pull', type: 'bool', usage: 'Always attempt to pull all referenced images' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Suppress the build output and print image ID on success' },
    { name: 'secret', type: 'stringArray', usage: 'Secret to expose to the build (format: "id=mysecret[,src=/local/secret]")' },
    { name: 'shm-size', type: 'bytes', usage: 'Shared memory size for "RUN" instructions' },
    { name: 'tag', short: 't', type: 'list', usage: 'Name and optionally a tag (format: "name:tag")' },
    { name: 'target', type: 'string', usage: 'Set the target build stage to build' },
  ],
  interspersed: true,
  args: { kind: 'exact', n: 1 },
  async run(ctx, flags, args) {
    const [context = '.'] = args;
    const buildArgs: Record<string, string> = {};
    for (const a of flags.getStrings('build-arg')) {
      const eq = a.indexOf('=');
      if (eq < 0) {
        const v = process.env[a];
        if (v !== undefined) buildArgs[a] = v;
      } else buildArgs[a.slice(0, eq)] = a.slice(eq + 1);
    }
    const labels: Record<string, string> = {};
    for (const l of flags.getStrings('label')) {
      const eq = l.indexOf('=');
      labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? '' : l.slice(eq + 1);
    }
    const quiet = flags.getBool('quiet') || flags.getString('progress') === 'quiet';
    const secrets = await readSecrets(flags.getStrings('secret'));
    const client = await ctx.client();
    await client.apiVersion();
    // The context is packed last: nothing may wait between starting tar and sending its output.
    const remote = /^(https?|git):\/\//.test(context) || /^git@/.test(context) || /^github\.com\//.test(context) ? context : undefined;
    const { body, dockerfile } = remote !== undefined
      ? { body: Readable.from([]), dockerfile: flags.getString('file') || 'Dockerfile' }
      : await contextBody(context, flags.getString('file'));
    const shm = flags.has('shm-size') ? flags.getInt('shm-size') : undefined;
    const query = {
      t: flags.getStrings('tag'), dockerfile, buildargs: JSON.stringify(buildArgs), labels: JSON.stringify(labels),
      target: flags.getString('target') || undefined, nocache: flags.getBool('no-cache') ? '1' : undefined,
      networkmode: flags.getString('network'), extrahosts: flags.getStrings('add-host').join(',') || undefined,
      shmsize: shm, q: quiet ? '1' : undefined, rm: '1', pull: flags.getBool('pull') ? '1' : undefined,
      platform: flags.getString('platform') || undefined, remote,
      nocachefilter: flags.getStrings('no-cache-filter').length > 0 ? JSON.stringify(flags.getStrings('no-cache-filter')) : undefined,
    };
    const headers: Record<string, string> = { 'Content-Type': 'application/x-tar' };
    if (Object.keys(secrets).length > 0) headers['X-Berth-Build-Secrets'] = JSON.stringify(secrets);
    const res = await client.request('POST', '/build', { query, stream: body, headers });
    const mode = flags.getString('progress');
    if (!['auto', 'plain', 'tty', 'quiet', 'rawjson'].includes(mode)) throw new ExitError(1, `ERROR: invalid progress mode ${mode}`);
    const tty = mode === 'tty' || (mode === 'auto' && ctx.stderrIsTTY);
    const view = new BuildProgressView((t) => ctx.err(t), quiet, tty, process.stderr.columns > 0 ? process.stderr.columns : 80);
    let id = '';
    try {
      for await (const m of jsonMessages(res)) {
        if (m.errorDetail !== undefined || (m.error !== undefined && m.error !== '')) {
          throw new ApiError(m.errorDetail?.code ?? 1, m.errorDetail?.message ?? m.error ?? '');
        }
        const aux = m.aux as { ID?: string } | undefined;
        if (aux?.ID !== undefined) id = aux.ID;
        if (m.stream !== undefined) view.stream(m.stream);
      }
    } catch (e: unknown) {
      if (e instanceof ApiError) {
        view.fail(e.message);
        throw new ExitError(e.status > 0 && e.status < 256 ? e.status : 1);
      }
      throw e;
    }
    view.finish();
    if (quiet) ctx.out(`${id}\n`);
    return 0;
  },
};
