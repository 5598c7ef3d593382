import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ComposeError } from '../compose-error.js';
import { parseEnvFile } from '../loader/env-file.js';
import type { Lookup } from '../loader/interpolate.js';
import { formatGoDuration, parseComposeDuration } from './duration.js';
import { isDict, type Dict } from './long-syntax.js';
import { splitShellWords } from './shell-words.js';

export interface NormalizeOptions {
  readonly projectName: string;
  readonly workingDir: string;
  readonly lookup: Lookup;
}

const isRemote = (ctx: string): boolean => /^(https?:\/\/|git@|git:\/\/|github\.com\/|[a-z]+:\/\/)/.test(ctx) || ctx.endsWith('.git');

/** A host path as compose v2 resolves it: `~` is the home directory, relative is from the project directory. */
export function absolutePath(p: string, workingDir: string): string {
  if (p === '~' || p.startsWith('~/')) return path.join(os.homedir(), p.slice(1));
  return path.resolve(workingDir, p);
}

function duration(v: unknown, where: string): unknown {
  if (v === undefined || v === null) return v;
  try {
    return formatGoDuration(parseComposeDuration(String(v)));
  } catch (e: unknown) {
    throw new ComposeError(`${where}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function words(v: unknown, where: string): unknown {
  if (typeof v !== 'string') return v;
  try {
    return splitShellWords(v);
  } catch (e: unknown) {
    throw new ComposeError(`${where}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function normalizeService(name: string, input: Dict, opts: NormalizeOptions): Dict {
  const s: Dict = { ...input };
  const where = (k: string): string => `services.${name}.${k}`;
  if (isDict(s['build'])) {
    const b: Dict = { ...s['build'] };
    const ctx = typeof b['context'] === 'string' ? b['context'] : '.';
    b['context'] = isRemote(ctx) ? ctx : absolutePath(ctx, opts.workingDir);
    if (b['dockerfile'] === undefined && b['dockerfile_inline'] === undefined) b['dockerfile'] = 'Dockerfile';
    s['build'] = b;
  }
  if ('command' in s) s['command'] = words(s['command'], where('command'));
  if ('entrypoint' in s) s['entrypoint'] = words(s['entrypoint'], where('entrypoint'));
  const env: Record<string, string | null> = {};
  if (Array.isArray(s['env_file'])) {
    const files: Dict[] = [];
    for (const f of s['env_file'] as Dict[]) {
      const file = absolutePath(String(f['path']), opts.workingDir);
      files.push({ ...f, path: file });
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e: unknown) {
        if (f['required'] === false) continue;
        throw new ComposeError(`env file ${file} not found: stat ${file}: no such file or directory`, { cause: e });
      }
      try {
        for (const [k, v] of parseEnvFile(text, opts.lookup)) env[k] = v;
      } catch (e: unknown) {
        throw new ComposeError(`failed to read ${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }
    s['env_file'] = files;
  }
  if (isDict(s['environment']) || Object.keys(env).length > 0) {
    for (const [k, v] of Object.entries(isDict(s['environment']) ? s['environment'] : {})) {
      env[k] = v === null ? (opts.lookup(k) ?? null) : (v as string);
    }
    s['environment'] = env;
  }
  if (Array.isArray(s['volumes'])) {
    s['volumes'] = (s['volumes'] as Dict[]).map((v) =>
      v['type'] === 'bind' && typeof v['source'] === 'string' ? { ...v, source: absolutePath(v['source'], opts.workingDir) } : v,
    );
  }
  if (s['network_mode'] === undefined && !isDict(s['networks'])) s['networks'] = { default: null };
  if (isDict(s['healthcheck'])) {
    const h: Dict = { ...s['healthcheck'] };
    if (typeof h['test'] === 'string') h['test'] = ['CMD-SHELL', h['test']];
    for (const k of ['interval', 'timeout', 'start_period', 'start_interval']) {
      if (k in h) h[k] = duration(h[k], where(`healthcheck.${k}`));
    }
    s['healthcheck'] = h;
  }
  if ('stop_grace_period' in s) s['stop_grace_period'] = duration(s['stop_grace_period'], where('stop_grace_period'));
  return s;
}

/**
 * Turns the merged long-syntax model into compose v2's canonical project: defaults filled in,
 * host paths absolute, env_file read into environment, the default network added when used,
 * resource names given their project prefix.
 */
export function normalizeProject(model: Dict, opts: NormalizeOptions): Dict {
  const services: Dict = {};
  for (const [name, svc] of Object.entries(isDict(model['services']) ? model['services'] : {})) {
    services[name] = normalizeService(name, isDict(svc) ? svc : {}, opts);
  }
  const out: Dict = { ...model, name: opts.projectName, services };
  delete out['version'];
  delete out['include'];
  const networks: Dict = isDict(model['networks']) ? { ...model['networks'] } : {};
  const usesDefault = Object.values(services).some((s) => isDict(s) && isDict(s['networks']) && 'default' in s['networks']);
  if (usesDefault && networks['default'] === undefined) networks['default'] = {};
  for (const kind of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    const top = kind === 'networks' ? networks : isDict(model[kind]) ? { ...(model[kind] as Dict) } : {};
    for (const [key, raw] of Object.entries(top)) {
      const v: Dict = isDict(raw) ? { ...raw } : {};
      if (typeof v['name'] !== 'string') v['name'] = v['external'] === true ? key : `${opts.projectName}_${key}`;
      if (typeof v['file'] === 'string') v['file'] = absolutePath(v['file'], opts.workingDir);
      top[key] = v;
    }
    if (Object.keys(top).length > 0) out[kind] = top;
    else delete out[kind];
  }
  return out;
}
