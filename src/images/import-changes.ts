import type { ContainerDefaults } from './image-config.js';
import { invalidArgument } from '../engine-error.js';
import { parseGoDuration } from '../units/go-values.js';

const ALLOWED = new Set(['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'USER', 'VOLUME', 'WORKDIR', 'STOPSIGNAL', 'HEALTHCHECK']);

/**
 * Applies `docker import --change` / `commit --change` instructions (a subset of
 * Dockerfile instructions) to an image's container defaults.
 */
export function applyChanges(base: ContainerDefaults, changes: readonly string[]): ContainerDefaults {
  const cfg: ContainerDefaults = structuredClone(base);
  for (const change of changes) {
    const line = change.trim();
    if (line === '') continue;
    const m = /^(\S+)\s*([\s\S]*)$/.exec(line);
    if (m === null) continue;
    const instruction = (m[1] ?? '').toUpperCase();
    const rest = (m[2] ?? '').trim();
    if (!ALLOWED.has(instruction)) throw invalidArgument(`${instruction.toLowerCase()} is not a valid change command`);
    switch (instruction) {
      case 'CMD':
        cfg.Cmd = commandForm(rest);
        break;
      case 'ENTRYPOINT':
        cfg.Entrypoint = rest === '' ? null : commandForm(rest);
        break;
      case 'ENV':
        cfg.Env = mergeEnv(cfg.Env ?? [], keyValues(rest, 'ENV'));
        break;
      case 'LABEL':
        cfg.Labels = { ...(cfg.Labels ?? {}), ...Object.fromEntries(keyValues(rest, 'LABEL')) };
        break;
      case 'EXPOSE':
        cfg.ExposedPorts = { ...(cfg.ExposedPorts ?? {}) };
        for (const p of rest.split(/\s+/).filter(Boolean)) cfg.ExposedPorts[p.includes('/') ? p : `${p}/tcp`] = {};
        break;
      case 'VOLUME':
        cfg.Volumes = { ...(cfg.Volumes ?? {}) };
        for (const v of rest.startsWith('[') ? jsonArray(rest) : rest.split(/\s+/).filter(Boolean)) cfg.Volumes[v] = {};
        break;
      case 'USER':
        cfg.User = rest;
        break;
      case 'WORKDIR':
        cfg.WorkingDir = rest;
        break;
      case 'STOPSIGNAL':
        cfg.StopSignal = rest;
        break;
      case 'HEALTHCHECK':
        cfg.Healthcheck = healthcheck(rest);
        break;
      case 'ONBUILD':
        cfg.OnBuild = [...(cfg.OnBuild ?? []), rest];
        break;
    }
  }
  return cfg;
}

const HEALTH_OPTIONS: Readonly<Record<string, string>> = {
  interval: 'Interval', timeout: 'Timeout', 'start-period': 'StartPeriod', 'start-interval': 'StartInterval',
};

/** `HEALTHCHECK NONE` or `HEALTHCHECK [--interval=..] [--retries=N] CMD ...`, as the image config stores it. */
function healthcheck(rest: string): Record<string, unknown> {
  let text = rest.trim();
  if (text.toUpperCase() === 'NONE') return { Test: ['NONE'] };
  const out: Record<string, unknown> = {};
  for (let m = /^--([a-z-]+)=(\S*)\s*/.exec(text); m !== null; m = /^--([a-z-]+)=(\S*)\s*/.exec(text)) {
    const [all, name = '', value = ''] = m;
    text = text.slice(all.length);
    if (name === 'retries') {
      if (!/^\d+$/.test(value)) throw invalidArgument(`invalid value for --retries: ${value}`);
      out['Retries'] = Number(value);
    } else if (HEALTH_OPTIONS[name] !== undefined) {
      try {
        out[HEALTH_OPTIONS[name]] = parseGoDuration(value);
      } catch (e: unknown) {
        throw invalidArgument(e instanceof Error ? e.message : String(e));
      }
    } else {
      throw invalidArgument(`unknown flag: --${name}`);
    }
  }
  const cmd = /^CMD\s+([\s\S]*)$/i.exec(text);
  if (cmd === null) throw invalidArgument('Unknown type "" in HEALTHCHECK (try CMD)');
  const body = (cmd[1] ?? '').trim();
  let test: string[];
  if (body.startsWith('[')) {
    try {
      test = ['CMD', ...jsonArray(body)];
    } catch {
      test = ['CMD-SHELL', body];
    }
  } else {
    test = ['CMD-SHELL', body];
  }
  return { Test: test, ...out };
}

/** Exec form `["a","b"]` is kept; shell form becomes `/bin/sh -c "..."`. */
function commandForm(rest: string): string[] {
  if (rest.startsWith('[')) {
    try {
      return jsonArray(rest);
    } catch {
      // Docker falls back to the shell form when the JSON does not parse.
    }
  }
  return ['/bin/sh', '-c', rest];
}

function jsonArray(text: string): string[] {
  const v: unknown = JSON.parse(text);
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) throw invalidArgument(`invalid JSON array: ${text}`);
  return v;
}

/** `K=V K2="v 2"` or the legacy `K V` form. */
function keyValues(rest: string, instruction: string): Array<[string, string]> {
  const words = splitWords(rest);
  if (words.length > 0 && !(words[0] ?? '').includes('=')) {
    const [key, ...value] = rest.split(/\s+/);
    if (key === undefined || value.length === 0) throw invalidArgument(`${instruction} requires two arguments`);
    return [[key, rest.slice(key.length).trim()]];
  }
  return words.map((w) => {
    const i = w.indexOf('=');
    if (i <= 0) throw invalidArgument(`${instruction} names can not be blank`);
    return [w.slice(0, i), w.slice(i + 1)];
  });
}

/** Splits on blanks outside quotes, removing quotes and backslash escapes. */
function splitWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < s.length) cur += s[++i] ?? '';
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i] ?? '';
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

function mergeEnv(env: readonly string[], add: ReadonlyArray<[string, string]>): string[] {
  const out = [...env];
  for (const [k, v] of add) {
    const i = out.findIndex((e) => e.split('=', 1)[0] === k);
    if (i >= 0) out[i] = `${k}=${v}`;
    else out.push(`${k}=${v}`);
  }
  return out;
}
