import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { EngineClient } from '../../client/engine-client.js';
import { ApiError } from '../../client/api-error.js';
import { humanSizeWithPrecision } from '../../units/human-units.js';
import { ExitError, type Command } from '../command.js';

interface PathStat { name: string; size: number; mode: number; mtime: string; linkTarget: string }

const DIR_BIT = 2 ** 31;

/** `container:path` or a local path ("-" for a tar stream on stdin/stdout). */
function splitSpec(arg: string): { container?: string; path: string } {
  if (arg.startsWith('/') || arg.startsWith('.') || arg === '-') return { path: arg };
  const i = arg.indexOf(':');
  if (i <= 0) return { path: arg };
  return { container: arg.slice(0, i), path: arg.slice(i + 1) };
}

async function statRemote(client: EngineClient, container: string, p: string): Promise<PathStat> {
  const res = await client.request('HEAD', `/containers/${encodeURIComponent(container)}/archive`, { query: { path: p } });
  res.resume();
  const header = res.headers['x-docker-container-path-stat'];
  return JSON.parse(Buffer.from(String(header ?? ''), 'base64').toString('utf8')) as PathStat;
}

function run(cmd: string, args: readonly string[], input?: Readable): { done: Promise<void>; stdout: Readable } {
  const child = spawn(cmd, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  child.stdin.on('error', () => undefined);
  if (input !== undefined) input.pipe(child.stdin);
  else child.stdin.end();
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(err.trim() || `${cmd} exited ${code ?? ''}`))));
  });
  return { done, stdout: child.stdout };
}

/** Docker's copy rules from a container to the host. */
async function copyFromContainer(client: EngineClient, container: string, src: string, dest: string, quiet: (n: number) => void, follow: boolean): Promise<void> {
  let srcPath = src;
  if (follow) {
    const first = await statRemote(client, container, srcPath);
    if (first.linkTarget !== '') srcPath = first.linkTarget;
  }
  // Like the docker CLI, the stat comes with the archive (a GET answers errors with a message, a HEAD cannot).
  const res = await client.request('GET', `/containers/${encodeURIComponent(container)}/archive`, { query: { path: srcPath } });
  const stat = JSON.parse(Buffer.from(String(res.headers['x-docker-container-path-stat'] ?? ''), 'base64').toString('utf8') || '{}') as PathStat;
  if (dest === '-') {
    await new Promise<void>((resolve, reject) => {
      res.pipe(process.stdout);
      res.on('end', resolve);
      res.on('error', reject);
    });
    return;
  }
  const destStat = await fs.stat(dest).catch(() => undefined);
  let dir: string;
  let rename: string | undefined;
  if (destStat?.isDirectory() === true && !src.endsWith('/.')) {
    dir = dest;
  } else {
    if (dest.endsWith('/') && destStat === undefined) throw new ExitError(1, `Error response from daemon: destination directory "${dest}" must exist`);
    if ((stat.mode & DIR_BIT) !== 0 && destStat !== undefined && !destStat.isDirectory()) {
      throw new ExitError(1, `cannot copy directory to existing file: ${dest}`);
    }
    dir = path.dirname(dest);
    rename = path.basename(dest);
  }
  let bytes = 0;
  res.on('data', (c: Buffer) => { bytes += c.length; });
  const args = ['-x', '-f', '-', '-C', dir, '--no-same-owner'];
  if (rename !== undefined && rename !== stat.name) args.push('--transform', `s,^${stat.name.replace(/[\\,.*[\]^$&]/g, '\\$&')},${rename.replace(/[\\,&]/g, '\\$&')},`);
  await run('tar', args, res).done;
  quiet(bytes);
}

/** Docker's copy rules from the host to a container. */
async function copyToContainer(client: EngineClient, src: string, container: string, dest: string, opts: { archive: boolean; follow: boolean }, quiet: (n: number) => void): Promise<void> {
  let body: Readable;
  let target = dest;
  if (src === '-') {
    body = process.stdin;
  } else {
    const local = await (opts.follow ? fs.stat(src) : fs.lstat(src)).catch(() => undefined);
    if (local === undefined) throw new ExitError(1, `lstat ${path.resolve(src)}: no such file or directory`);
    let remote: PathStat | undefined;
    try {
      remote = await statRemote(client, container, dest);
    } catch (e: unknown) {
      if (!(e instanceof ApiError) || e.status !== 404) throw e;
    }
    let entry = path.basename(path.resolve(src));
    if (remote !== undefined && (remote.mode & DIR_BIT) !== 0) {
      target = dest;
    } else {
      if (dest.endsWith('/')) throw new ExitError(1, 'no such directory');
      if (remote !== undefined && local.isDirectory()) throw new ExitError(1, `Error response from daemon: cannot copy directory to existing file`);
      target = path.posix.dirname(dest);
      entry = path.posix.basename(dest);
    }
    const srcName = path.basename(path.resolve(src));
    const args = ['-c', '-f', '-', '-C', path.dirname(path.resolve(src)), ...(opts.follow ? ['-h'] : []), '--numeric-owner'];
    if (entry !== srcName) args.push('--transform', `s,^${srcName.replace(/[\\,.*[\]^$&]/g, '\\$&')},${entry.replace(/[\\,&]/g, '\\$&')},`);
    args.push(src.endsWith('/.') ? '.' : srcName);
    const tar = run('tar', args);
    body = tar.stdout;
    let bytes = 0;
    body.on('data', (c: Buffer) => { bytes += c.length; });
    await client.call('PUT', `/containers/${encodeURIComponent(container)}/archive`, {
      query: { path: target, noOverwriteDirNonDir: true, ...(opts.archive ? { copyUIDGID: true } : {}) },
      stream: body,
      headers: { 'Content-Type': 'application/x-tar' },
    });
    await tar.done;
    quiet(bytes);
    return;
  }
  await client.call('PUT', `/containers/${encodeURIComponent(container)}/archive`, {
    query: { path: target, noOverwriteDirNonDir: true, ...(opts.archive ? { copyUIDGID: true } : {}) },
    stream: body,
    headers: { 'Content-Type': 'application/x-tar' },
  });
}

export const command: Command = {
  path: 'container cp',
  aliases: ['cp'],
  usage: `[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-
	berth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH`,
  description: `Copy files/folders between a container and the local filesystem

Use '-' as the source to read a tar archive from stdin
and extract it to a directory destination in a container.
Use '-' as the destination to stream a tar archive of a
container source to stdout.`,
  flags: [
    { name: 'archive', short: 'a', type: 'bool', usage: 'Archive mode (copy all uid/gid information)' },
    { name: 'follow-link', short: 'L', type: 'bool', usage: 'Always follow symbol link in SRC_PATH' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached' },
  ],
  interspersed: true,
  args: { kind: 'exact', n: 2 },
  async run(ctx, flags, args) {
    const src = splitSpec(args[0] ?? '');
    const dest = splitSpec(args[1] ?? '');
    if (src.container !== undefined && dest.container !== undefined) throw new ExitError(1, 'copying between containers is not supported');
    if (src.container === undefined && dest.container === undefined) throw new ExitError(1, 'must specify at least one container source');
    const client = await ctx.client();
    const show = !flags.getBool('quiet') && ctx.stderrIsTTY;
    const report = (to: string) => (bytes: number): void => {
      if (show) ctx.err(`Successfully copied ${humanSizeWithPrecision(bytes, 3)} to ${to}\n`);
    };
    if (src.container !== undefined) {
      await copyFromContainer(client, src.container, src.path, dest.path, report(dest.path), flags.getBool('follow-link'));
    } else if (dest.container !== undefined) {
      await copyToContainer(client, src.path, dest.container, dest.path, { archive: flags.getBool('archive'), follow: flags.getBool('follow-link') }, report(`${dest.container}:${dest.path}`));
    }
    return 0;
  },
};
