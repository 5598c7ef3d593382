import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ContentStore } from '../content/content-store.js';
import { invalidArgument, EngineError } from '../engine-error.js';
import { decompressed } from '../images/decompress.js';
import { resolveInRoot } from '../rootfs/resolve-in-root.js';
import { resolveUser } from '../rootfs/user-lookup.js';
import { commitUpperDir, type CommittedLayer } from '../snapshots/layer-commit.js';
import type { Snapshotter } from '../snapshots/snapshotter.js';
import { startTarExtract } from '../snapshots/tar-extract.js';
import type { Instruction } from './dockerfile/ast.js';
import { flagValue, flagValues } from './dockerfile/ast.js';
import { heredocMarkers } from './dockerfile/logical-lines.js';
import { cacheKey } from './build-cache.js';
import { gitCheckout, isGitUrl } from './git-checkout.js';
import { defaultsOf, topChainId, type BuildState } from './build-state.js';
import { copyInto, hashSources, resolveSources, type CopyOptions, type CopySource } from './copy-files.js';
import { isExcluded, parseDockerignore } from './context/dockerignore.js';
import type { Expander } from './expander.js';
import type { BuildImages, BuildParams, StageLookup } from './step-env.js';
import { mountState } from './mount-state.js';

type CopyInstruction = Extract<Instruction, { kind: 'COPY' | 'ADD' }>;

export interface CopyStepDeps extends BuildParams {
  readonly content: ContentStore;
  readonly snapshots: Snapshotter;
  readonly stages: StageLookup;
  readonly images: BuildImages;
  cached(state: BuildState, key: string, make: (key: string) => Promise<BuildState>): Promise<BuildState>;
  commit(state: BuildState, key: string, layer: CommittedLayer, createdBy: string): BuildState;
  info(text: string): void;
}

interface ResolvedSource extends CopySource {
  /** ADD of a local archive: unpack it rather than copy it. */
  readonly unpack: boolean;
  /** Name the file gets in a destination directory (URLs and heredocs). */
  readonly name?: string;
}

/**
 * COPY and ADD: the sources are found (context, another stage, an image, a
 * URL or a heredoc), hashed for the cache key, and on a miss copied into a
 * writable layer over the state, which becomes the step's layer.
 */
export async function copyStep(state: BuildState, ins: CopyInstruction, x: Expander, d: CopyStepDeps): Promise<BuildState> {
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const from = flagValue(ins, 'from');
    let fromKey = 'context';
    let fromState: BuildState | undefined;
    if (from !== undefined && ins.kind === 'COPY') {
      const ref = x.word(from);
      fromState = await d.stages(ref);
      if (fromState === undefined) {
        const image = d.images.find(ref);
        if (image === undefined) throw new EngineError('not-found', `failed to resolve source metadata for ${ref}: No such image: ${ref}`);
        fromState = { config: image.config, layers: image.layers, cacheKey: image.id };
      }
      fromKey = fromState.cacheKey;
    }
    if (fromState !== undefined) {
      // Another stage or an image: its cache key already names its content, so it is mounted only on a miss.
      const src = fromState;
      const key = cacheKey(state.cacheKey, ins.kind, JSON.stringify({ from: fromKey, words: ins.sources.map((w) => x.word(w)), dest: x.word(ins.dest), flags: ins.flags.map((f) => [f.name, f.value === undefined ? '' : x.word(f.value)]) }));
      return await d.cached(state, key, async () => {
        const mounted = await mountState(d.snapshots, src, d.workDir);
        cleanups.push(mounted.release);
        return copyFrom(state, ins, x, d, mounted.dir, key, cleanups);
      });
    }
    return await copyFrom(state, ins, x, d, d.contextDir, undefined, cleanups);
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}

/** The copy itself, from `root`; `knownKey` when the cache key was computed already (a miss). */
async function copyFrom(state: BuildState, ins: CopyInstruction, x: Expander, d: CopyStepDeps, root: string, knownKey: string | undefined, cleanups: Array<() => Promise<void>>): Promise<BuildState> {
  {
    const fromKey = knownKey === undefined ? 'context' : 'stage';
    const excludes = parseDockerignore(flagValues(ins, 'exclude').map((e) => x.word(e)).join('\n'));
    const sources: ResolvedSource[] = [];
    const words = ins.json ? ins.sources.map((s) => x.word(s)) : ins.sources;
    for (const raw of words) {
      const heredoc = heredocMarkers(raw)[0];
      const doc = heredoc === undefined ? undefined : ins.heredocs.find((h) => h.name === heredoc.name);
      if (doc !== undefined) {
        const file = path.join(d.workDir, `heredoc-${randomBytes(6).toString('hex')}`);
        await fs.writeFile(file, doc.expand ? x.word(`"${doc.content.replace(/(["\\])/g, '\\$1')}"`) : doc.content, { mode: 0o644 });
        cleanups.push(() => fs.rm(file, { force: true }));
        sources.push({ hostPath: file, rel: doc.name, unpack: false, name: doc.name });
        continue;
      }
      const src = ins.json ? raw : x.word(raw);
      if (ins.kind === 'ADD' && isGitUrl(src)) {
        const dir = path.join(d.workDir, `git-${randomBytes(6).toString('hex')}`);
        cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
        await gitCheckout(src, `${dir}.clone`, dir, d.signal);
        sources.push({ hostPath: dir, rel: src, unpack: false });
        continue;
      }
      if (ins.kind === 'ADD' && /^https?:\/\//.test(src)) {
        sources.push(await download(src, d.workDir, cleanups, flagValue(ins, 'checksum')));
        continue;
      }
      const found = (await resolveSources(root, src)).filter((s) => excludes.length === 0 || !isExcluded(s.rel, excludes));
      if (found.length === 0) {
        if (/[*?[]/.test(src)) continue;
        throw invalidArgument(`${ins.kind} failed: file not found in build context or excluded by .dockerignore: stat ${src}: file does not exist`);
      }
      for (const f of found) sources.push({ ...f, unpack: ins.kind === 'ADD' && root === d.contextDir && (await isArchive(f.hostPath)) });
    }
    if (sources.length === 0) throw invalidArgument(`${ins.kind} failed: no source files were specified`);
    let dest = x.word(ins.dest);
    const workdir = defaultsOf(state).WorkingDir ?? '';
    const destIsDir = dest.endsWith('/') || dest === '.' || dest.endsWith('/.');
    if (!dest.startsWith('/')) dest = path.posix.join(workdir === '' ? '/' : workdir, dest);
    dest = path.posix.normalize(dest);
    if (sources.length > 1 && !destIsDir) {
      throw invalidArgument(`When using ${ins.kind} with more than one source file, the destination must be a directory and end with a /`);
    }
    const chownText = flagValue(ins, 'chown');
    const chown = chownText === undefined ? undefined : x.word(chownText);
    const chmodText = flagValue(ins, 'chmod');
    let mode: number | undefined;
    if (chmodText !== undefined) {
      const c = x.word(chmodText);
      if (!/^[0-7]{3,4}$/.test(c)) throw invalidArgument(`invalid chmod parameter: ${c}`);
      mode = parseInt(c, 8);
    }
    const shown = `${ins.kind} ${ins.flags.filter((f) => f.name !== 'link').map((f) => `--${f.name}${f.value === undefined ? '' : `=${f.value}`} `).join('')}${words.map((w) => (ins.json ? w : x.word(w))).join(' ')} ${x.word(ins.dest)}`;
    const make = async (k: string): Promise<BuildState> => {
      const layer = await writeLayer(state, d, async (rootfs) => {
        const owner: CopyOptions = {
          ...(chown !== undefined ? { chown: await resolveOwner(rootfs, chown) } : {}),
          ...(mode !== undefined ? { mode } : {}),
        };
        const parents = flagValue(ins, 'parents');
        const keepParents = parents !== undefined && parents !== 'false';
        for (const s of sources) {
          const st = await fs.stat(s.hostPath);
          if (keepParents && s.name === undefined && !s.unpack) {
            await copyInto(rootfs, s.hostPath, path.posix.join(dest, s.rel), owner);
            continue;
          }
          if (s.unpack) {
            await unpackInto(rootfs, s.hostPath, dest, owner, d.workDir);
            continue;
          }
          if (st.isDirectory()) {
            await copyInto(rootfs, s.hostPath, dest, owner);
            continue;
          }
          const base = s.name ?? path.posix.basename(s.rel);
          const existing = await fs.stat(await resolveInRoot(rootfs, dest)).catch(() => undefined);
          const target = destIsDir || existing?.isDirectory() === true ? path.posix.join(dest, base) : dest;
          await copyInto(rootfs, s.hostPath, target, owner);
        }
      });
      return d.commit(state, k, layer, `${shown} # buildkit`);
    };
    if (knownKey !== undefined) return make(knownKey);
    const key = cacheKey(state.cacheKey, ins.kind, JSON.stringify({ sources: sources.map((s) => [s.rel, s.name ?? '', s.unpack]), dest, destIsDir, chown, mode, fromKey }),
      await hashSources(sources));
    return d.cached(state, key, make);
  }
}

/** Mounts a writable layer over `state`, lets `change` write into it, and commits what changed as a layer. */
export async function writeLayer(state: BuildState, d: Pick<CopyStepDeps, 'snapshots' | 'content' | 'workDir' | 'held'>, change: (rootfs: string) => Promise<void>): Promise<CommittedLayer>;
export async function writeLayer(state: BuildState, d: Pick<CopyStepDeps, 'snapshots' | 'content' | 'workDir' | 'held'>, change: (rootfs: string) => Promise<void>, unlessEmpty: true): Promise<CommittedLayer | undefined>;
export async function writeLayer(state: BuildState, d: Pick<CopyStepDeps, 'snapshots' | 'content' | 'workDir' | 'held'>, change: (rootfs: string) => Promise<void>, unlessEmpty = false): Promise<CommittedLayer | undefined> {
  const mounted = await mountState(d.snapshots, state, d.workDir);
  try {
    await change(mounted.dir);
    await mounted.unmount();
    if (unlessEmpty && (await fs.readdir(d.snapshots.upperDir(mounted.key))).length === 0) return undefined;
    const layer = await commitUpperDir(d.snapshots.upperDir(mounted.key), d.content, d.snapshots, topChainId(state), undefined, (c, b) => {
      d.held.add(c);
      d.held.add(b);
    });
    d.held.add(layer.chainId);
    d.held.add(layer.digest);
    return layer;
  } finally {
    await mounted.release();
  }
}

async function resolveOwner(rootfs: string, spec: string): Promise<{ uid: number; gid: number }> {
  const [u = '', g] = spec.split(':', 2);
  if (/^\d+$/.test(u) && (g === undefined || /^\d+$/.test(g))) return { uid: Number(u), gid: g === undefined ? Number(u) : Number(g) };
  try {
    const r = await resolveUser(rootfs, spec);
    return { uid: r.uid, gid: g === undefined && /^\d+$/.test(u) ? r.uid : r.gid };
  } catch (e: unknown) {
    throw invalidArgument(`unable to convert uid/gid chown string to host mapping: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

async function isArchive(file: string): Promise<boolean> {
  const st = await fs.stat(file);
  if (!st.isFile() || st.size < 512) return false;
  try {
    const head = Buffer.alloc(0);
    const stream = await decompressed(createReadStream(file));
    let buf = head;
    for await (const chunk of stream) {
      buf = Buffer.concat([buf, chunk as Buffer]);
      if (buf.length >= 512) break;
    }
    stream.destroy();
    return buf.length >= 512 && buf.subarray(257, 262).toString('latin1') === 'ustar';
  } catch {
    return false;
  }
}

/**
 * ADD of a local archive: unpacked into an empty scratch directory first (GNU
 * tar there cannot be led outside by the rootfs's own symlinks), then merged
 * into `dest` with the scoped copier, keeping the archive's owners.
 */
async function unpackInto(rootfs: string, archive: string, dest: string, owner: CopyOptions, workDir: string): Promise<void> {
  const tmp = path.join(workDir, `unpack-${randomBytes(6).toString('hex')}`);
  await fs.mkdir(tmp, { mode: 0o700 });
  try {
    const extract = startTarExtract(tmp);
    await pipeline(await decompressed(createReadStream(archive)), extract.input).catch(() => undefined);
    await extract.done;
    await copyInto(rootfs, tmp, dest, { ...owner, keepOwners: owner.chown === undefined });
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

async function download(url: string, workDir: string, cleanups: Array<() => Promise<void>>, checksum: string | undefined): Promise<ResolvedSource> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow' });
  } catch (e: unknown) {
    throw invalidArgument(`failed to GET ${url}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`, e);
  }
  if (!res.ok || res.body === null) throw invalidArgument(`failed to GET ${url} with status ${res.status} ${res.statusText}`);
  const file = path.join(workDir, `download-${randomBytes(6).toString('hex')}`);
  cleanups.push(() => fs.rm(file, { force: true }));
  const hash = createHash('sha256');
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (c: Buffer) => hash.update(c));
  await pipeline(body, createWriteStream(file, { mode: 0o600 }));
  const digest = `sha256:${hash.digest('hex')}`;
  if (checksum !== undefined && checksum !== digest) throw invalidArgument(`digest mismatch ${digest}: ${checksum}`);
  const lastModified = res.headers.get('last-modified');
  if (lastModified !== null) {
    const t = new Date(lastModified);
    if (!Number.isNaN(t.getTime())) await fs.utimes(file, t, t);
  }
  await fs.chmod(file, 0o600);
  const name = decodeURIComponent(new URL(url).pathname.split('/').filter((p) => p !== '').pop() ?? '') || 'index.html';
  return { hostPath: file, rel: url, unpack: false, name };
}
