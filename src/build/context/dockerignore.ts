import { promises as fsp } from 'node:fs';
import path from 'node:path';

/**
 * `.dockerignore` with Docker's rules (moby/patternmatcher): one pattern per
 * line, `#` comments, blanks trimmed, paths cleaned and a leading `/` dropped,
 * `*` and `?` within one path element, `**` across any number of them, `!`
 * re-includes; the last pattern that matches a path or one of its parents wins.
 */
export interface IgnorePattern {
  readonly pattern: string;
  readonly exclusion: boolean;
  readonly re: RegExp;
}

export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.startsWith('#')) continue;
    let p = raw.trim();
    if (p === '') continue;
    let exclusion = false;
    if (p.startsWith('!')) {
      exclusion = true;
      p = p.slice(1).trim();
    }
    if (p !== '') {
      p = path.posix.normalize(p);
      if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
      if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
      if (p === '.' ) p = '.';
    }
    out.push({ pattern: p, exclusion, re: patternRegExp(p) });
  }
  return out;
}

function patternRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        if (i + 1 >= pattern.length) re += '.*';
        else re += '(?:.*/)?';
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '\\' && i + 1 < pattern.length) {
      i++;
      re += escapeRe(pattern[i] ?? '');
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
      } else {
        let cls = pattern.slice(i + 1, end);
        if (cls.startsWith('^') || cls.startsWith('!')) cls = `^${cls.slice(1)}`;
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else {
      re += escapeRe(ch);
    }
  }
  re += '$';
  try {
    return new RegExp(re, 's');
  } catch {
    return /(?!)/;
  }
}

function escapeRe(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Whether `file` (a clean relative path with `/`) is excluded by the patterns. */
export function isExcluded(file: string, patterns: readonly IgnorePattern[]): boolean {
  let excluded = false;
  const parents = parentPaths(file);
  for (const p of patterns) {
    let match = p.re.test(file);
    if (!match) match = parents.some((d) => p.re.test(d));
    if (match) excluded = !p.exclusion;
  }
  return excluded;
}

function parentPaths(file: string): string[] {
  const parts = file.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

/**
 * Whether a directory must be walked although it is excluded: some `!`
 * pattern could re-include something below it.
 */
export function mayReinclude(dir: string, patterns: readonly IgnorePattern[]): boolean {
  return patterns.some((p) => p.exclusion && (p.pattern.startsWith(`${dir}/`) || p.pattern.includes('*') || p.pattern.includes('?') || p.pattern.includes('[')));
}

/**
 * Removes from an unpacked context what the patterns exclude (Docker's client
 * does this before sending; berth also does it for clients that do not).
 * `keep` names files that stay whatever the patterns say (the Dockerfile).
 */
export async function removeIgnored(dir: string, patterns: readonly IgnorePattern[], keep: ReadonlySet<string> = new Set()): Promise<number> {
  if (patterns.length === 0) return 0;
  const fs = fsp;
  let removed = 0;
  const walk = async (rel: string): Promise<boolean> => {
    const names = await fs.readdir(path.join(dir, rel));
    let left = names.length;
    for (const name of names) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const full = path.join(dir, childRel);
      const st = await fs.lstat(full);
      const excluded = isExcluded(childRel, patterns) && !keep.has(childRel);
      if (st.isDirectory()) {
        if (excluded && !mayReinclude(childRel, patterns)) {
          await fs.rm(full, { recursive: true, force: true });
          removed++;
          left--;
          continue;
        }
        const empty = await walk(childRel);
        if (excluded && empty) {
          await fs.rm(full, { recursive: true, force: true });
          left--;
        }
        continue;
      }
      if (excluded) {
        await fs.rm(full, { force: true });
        removed++;
        left--;
      }
    }
    return left === 0;
  };
  await walk('');
  return removed;
}
