import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ComposeError } from '../compose-error.js';
import type { ComposeModel } from '../model.js';
import { isDict, toLongSyntax, type Dict } from '../normalize/long-syntax.js';
import { absolutePath, normalizeProject } from '../normalize/normalize-project.js';
import { parseEnvFile } from './env-file.js';
import { findComposeFiles } from './find-files.js';
import { interpolateTree, type Lookup } from './interpolate.js';
import { mergeFiles } from './merge.js';
import { allProfiles, applyProfiles } from './profiles.js';
import { checkProjectName, normalizeProjectName } from './project-name.js';
import { validateComposeFile } from './schema.js';
import { castTypes } from './type-cast.js';
import { parseComposeDocument } from './yaml-file.js';

export interface LoadOptions {
  /** `-f` files, in order (relative to `cwd`). Empty: COMPOSE_FILE, else the default names. */
  readonly configFiles?: readonly string[];
  readonly projectName?: string;
  readonly projectDirectory?: string;
  /** `--env-file`: replaces the project's `.env`. */
  readonly envFiles?: readonly string[];
  /** `--profile`: empty means COMPOSE_PROFILES. */
  readonly profiles?: readonly string[];
  /** The process environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly warn?: (message: string) => void;
}

/** A loaded compose project: its name, where it lives, and the canonical model `config` prints. */
export interface ComposeProject {
  readonly name: string;
  readonly workingDir: string;
  readonly configFiles: readonly string[];
  /** compose v2's canonical project (long syntax, defaults, absolute paths). */
  readonly model: ComposeModel;
  /** Every profile some service names, enabled or not. */
  readonly allProfiles: readonly string[];
  /** The environment used for interpolation (process env over `.env`). */
  readonly environment: ReadonlyMap<string, string>;
}

interface FileContext {
  readonly lookup: Lookup;
  readonly warn: (message: string) => void;
  readonly warned: Set<string>;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e: unknown) {
    throw new ComposeError(`open ${file}: no such file or directory`, { cause: e });
  }
}

/** The keys of a loaded file that drop (`!reset`) or replace (`!override`) what earlier files set. */
const mergeDirectives = new WeakMap<Dict, { resets: readonly string[][]; overrides: readonly string[][] }>();

function withoutPath(tree: Dict, path: readonly string[]): Dict {
  const [head, ...rest] = path;
  if (head === undefined || !(head in tree)) return tree;
  const out: Dict = { ...tree };
  if (rest.length === 0) delete out[head];
  else if (isDict(out[head])) out[head] = withoutPath(out[head], rest);
  return out;
}

/** Parses, interpolates, type-casts, validates and rewrites one file into long syntax. */
function loadFile(file: string, ctx: FileContext): Dict {
  const parsed = parseComposeDocument(readText(file), file);
  let raw = parsed.data;
  if (raw === null || raw === undefined) throw new ComposeError(`${file}: empty compose file`);
  if (!isDict(raw)) throw new ComposeError(`${file}: Top-level object must be a mapping`);
  for (const p of parsed.resets) raw = withoutPath(raw as Dict, p);
  const result = loadDict(raw as Dict, file, ctx);
  mergeDirectives.set(result, { resets: parsed.resets, overrides: parsed.overrides });
  return result;
}

function loadDict(raw: Dict, file: string, ctx: FileContext): Dict {
  const interpolated = interpolateTree(raw, {
    lookup: ctx.lookup,
    warnUnset: (name) => {
      if (ctx.warned.has(name)) return;
      ctx.warned.add(name);
      ctx.warn(`The "${name}" variable is not set. Defaulting to a blank string.`);
    },
  }, file);
  if ('version' in raw) ctx.warn(`${file}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`);
  const typed = castTypes(interpolated, file);
  validateComposeFile(typed, file);
  return toLongSyntax(typed as Dict, file);
}

/** Makes the host paths of a service taken from another directory (extends, include) absolute. */
function rebaseService(svc: Dict, dir: string): Dict {
  const s: Dict = { ...svc };
  if (isDict(s['build'])) {
    const ctx = s['build']['context'];
    s['build'] = { ...s['build'], context: typeof ctx === 'string' && !/^[a-z]+:\/\/|^git@/.test(ctx) ? absolutePath(ctx, dir) : ctx ?? dir };
  }
  if (Array.isArray(s['volumes'])) {
    s['volumes'] = (s['volumes'] as Dict[]).map((v) => (v['type'] === 'bind' && typeof v['source'] === 'string' ? { ...v, source: absolutePath(v['source'], dir) } : v));
  }
  if (Array.isArray(s['env_file'])) s['env_file'] = (s['env_file'] as Dict[]).map((e) => ({ ...e, path: absolutePath(String(e['path']), dir) }));
  return s;
}

/** Resolves `extends` of every service of a file, following other files and refusing cycles. */
function resolveExtends(model: Dict, file: string, ctx: FileContext, cache: Map<string, Dict>): Dict {
  const services = isDict(model['services']) ? model['services'] : {};
  const resolved: Dict = {};
  const resolveOne = (name: string, own: Dict, ownFile: string, chain: readonly string[]): Dict => {
    const svc = own[name];
    if (!isDict(svc)) throw new ComposeError(`cannot extend service "${name}" in ${ownFile}: service not found`);
    const ext = svc['extends'];
    if (!isDict(ext)) return svc;
    const baseName = String(ext['service']);
    const baseFile = typeof ext['file'] === 'string' ? path.resolve(path.dirname(ownFile), ext['file']) : ownFile;
    const key = `${baseFile}#${baseName}`;
    if (chain.includes(key)) throw new ComposeError(`circular reference with extends: ${[...chain, key].join(' -> ')}`);
    let baseServices = own;
    if (baseFile !== ownFile) {
      let other = cache.get(baseFile);
      if (other === undefined) {
        other = loadFile(baseFile, ctx);
        cache.set(baseFile, other);
      }
      baseServices = isDict(other['services']) ? other['services'] : {};
    }
    let base = resolveOne(baseName, baseServices, baseFile, [...chain, key]);
    if (baseFile !== ownFile) base = rebaseService(base, path.dirname(baseFile));
    const rest: Dict = { ...svc };
    delete rest['extends'];
    const merged = (mergeFiles({ services: { [name]: base } }, { services: { [name]: rest } })['services'] as Dict)[name] as Dict;
    return merged;
  };
  for (const name of Object.keys(services)) resolved[name] = resolveOne(name, services, file, [`${file}#${name}`]);
  return { ...model, services: resolved };
}

function readEnvFiles(files: readonly string[], env: LoadOptions['env'], required: boolean): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    if (!existsSync(f)) {
      if (required) throw new ComposeError(`couldn't find env file: ${f}`);
      continue;
    }
    try {
      for (const [k, v] of parseEnvFile(readText(f), (n) => out.get(n) ?? env[n])) out.set(k, v);
    } catch (e: unknown) {
      throw new ComposeError(`failed to read ${f}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
  return out;
}

/** Loads the `include:` entries of a file as projects of their own, then adds their resources. */
function applyIncludes(model: Dict, file: string, opts: LoadOptions, ctx: FileContext, seen: readonly string[]): Dict {
  const includes = Array.isArray(model['include']) ? model['include'] : [];
  let out: Dict = { ...model };
  delete out['include'];
  for (const inc of includes) {
    const spec: Dict = isDict(inc) ? inc : { path: inc };
    const paths = (Array.isArray(spec['path']) ? spec['path'] : [spec['path']]).map((p) => path.resolve(path.dirname(file), String(p)));
    const first = paths[0];
    if (first === undefined) continue;
    if (seen.includes(first)) throw new ComposeError(`include cycle detected: ${[...seen, first].join(' -> ')}`);
    const dir = typeof spec['project_directory'] === 'string' ? path.resolve(path.dirname(file), spec['project_directory']) : path.dirname(first);
    let sub: Dict = {};
    for (const p of paths) sub = mergeFiles(sub, applyIncludes(resolveExtends(loadFile(p, ctx), p, ctx, new Map()), p, opts, ctx, [...seen, p]));
    const subServices = isDict(sub['services']) ? sub['services'] : {};
    const rebased: Dict = { ...sub, services: Object.fromEntries(Object.entries(subServices).map(([n, s]) => [n, rebaseService(isDict(s) ? s : {}, dir)])) };
    for (const kind of ['services', 'networks', 'volumes', 'secrets', 'configs']) {
      const mine = isDict(out[kind]) ? (out[kind] as Dict) : {};
      const theirs = isDict(rebased[kind]) ? (rebased[kind] as Dict) : {};
      for (const k of Object.keys(theirs)) {
        if (k in mine && JSON.stringify(mine[k]) !== JSON.stringify(theirs[k])) {
          throw new ComposeError(`${kind}.${k} conflicts with imported resource`);
        }
      }
      if (Object.keys(theirs).length > 0) out = { ...out, [kind]: { ...theirs, ...mine } };
    }
  }
  return out;
}

/** Checks what services refer to: other services, networks and named volumes declared at the top level. */
function checkReferences(model: Dict): void {
  const services = isDict(model['services']) ? model['services'] : {};
  const networks = isDict(model['networks']) ? model['networks'] : {};
  const volumes = isDict(model['volumes']) ? model['volumes'] : {};
  for (const [name, svc] of Object.entries(services)) {
    if (!isDict(svc)) continue;
    const replicas = isDict(svc['deploy']) ? svc['deploy']['replicas'] : undefined;
    if (svc['scale'] !== undefined && replicas !== undefined && svc['scale'] !== replicas) {
      throw new ComposeError(`services.${name}: can't set distinct values on 'scale' and 'deploy.replicas'`);
    }
    if (svc['image'] === undefined && svc['build'] === undefined && svc['provider'] === undefined) {
      throw new ComposeError(`service "${name}" has neither an image nor a build context specified: invalid compose project`);
    }
    for (const [dep, spec] of Object.entries(isDict(svc['depends_on']) ? svc['depends_on'] : {})) {
      if (!(dep in services) && !(isDict(spec) && spec['required'] === false)) {
        throw new ComposeError(`service "${name}" depends on undefined service "${dep}": invalid compose project`);
      }
    }
    for (const net of Object.keys(isDict(svc['networks']) ? svc['networks'] : {})) {
      if (net !== 'default' && !(net in networks)) throw new ComposeError(`service "${name}" refers to undefined network ${net}: invalid compose project`);
    }
    for (const v of Array.isArray(svc['volumes']) ? (svc['volumes'] as Dict[]) : []) {
      if (v['type'] === 'volume' && typeof v['source'] === 'string' && v['source'] !== '' && !(v['source'] in volumes)) {
        throw new ComposeError(`service "${name}" refers to undefined volume ${v['source']}: invalid compose project`);
      }
    }
  }
}

/**
 * Loads a compose project the way `docker compose` (v2) does: finds or takes the files, reads
 * `.env`, interpolates, validates each file against the Compose Specification, resolves
 * `extends` and `include`, merges the files, names the project, applies profiles and
 * normalizes to the canonical model.
 */
export function loadProject(opts: LoadOptions): ComposeProject {
  const warn = opts.warn ?? (() => {});
  const explicitDir = opts.projectDirectory === undefined ? undefined : path.resolve(opts.cwd, opts.projectDirectory);
  // COMPOSE_FILE may come from the .env of the working directory; the project's .env is read
  // once the project directory is known (the first file's directory), as compose v2 does.
  const early = readEnvFiles([path.join(explicitDir ?? opts.cwd, '.env')], opts.env, false);
  const earlyLookup: Lookup = (n) => opts.env[n] ?? early.get(n);
  let files = (opts.configFiles ?? []).map((f) => path.resolve(opts.cwd, f));
  if (files.length === 0) {
    const fromEnv = earlyLookup('COMPOSE_FILE');
    if (fromEnv !== undefined && fromEnv !== '') {
      const sep = earlyLookup('COMPOSE_PATH_SEPARATOR') ?? path.delimiter;
      files = fromEnv.split(sep).map((f) => path.resolve(explicitDir ?? opts.cwd, f));
    } else {
      files = findComposeFiles(explicitDir ?? opts.cwd, warn);
    }
  }
  const firstFile = files[0] ?? '';
  const workingDir = explicitDir ?? path.dirname(firstFile);
  const dotenv = opts.envFiles !== undefined && opts.envFiles.length > 0
    ? readEnvFiles(opts.envFiles.map((f) => path.resolve(opts.cwd, f)), opts.env, true)
    : readEnvFiles([path.join(workingDir, '.env')], opts.env, false);
  const lookup: Lookup = (n) => opts.env[n] ?? dotenv.get(n);
  const ctx: FileContext = { lookup, warn, warned: new Set() };

  let merged: Dict = {};
  for (const file of files) {
    const own = loadFile(file, ctx);
    const directives = mergeDirectives.get(own);
    for (const p of [...(directives?.resets ?? []), ...(directives?.overrides ?? [])]) merged = withoutPath(merged, p);
    merged = mergeFiles(merged, applyIncludes(resolveExtends(own, file, ctx, new Map()), file, opts, ctx, [file]));
  }

  const explicitName = opts.projectName ?? lookup('COMPOSE_PROJECT_NAME');
  let name: string;
  if (explicitName !== undefined && explicitName !== '') name = checkProjectName(explicitName);
  else if (typeof merged['name'] === 'string' && merged['name'] !== '') name = checkProjectName(merged['name']);
  else {
    name = normalizeProjectName(path.basename(workingDir));
    if (name === '') throw new ComposeError('project name must not be empty');
  }

  const profilesList = opts.profiles !== undefined && opts.profiles.length > 0
    ? [...opts.profiles]
    : (lookup('COMPOSE_PROFILES') ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  const everyProfile = allProfiles(merged);
  const enabled = applyProfiles(merged, profilesList);
  checkReferences(enabled);
  // The loader's steps work on plain data; the result has the canonical model's shape.
  const model = normalizeProject(enabled, { projectName: name, workingDir, lookup }) as ComposeModel;
  const environment = new Map(dotenv);
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) environment.set(k, v);
  return { name, workingDir, configFiles: files, model, allProfiles: everyProfile, environment };
}
