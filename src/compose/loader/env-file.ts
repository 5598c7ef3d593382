import { interpolateString, type Lookup } from './interpolate.js';

/**
 * Parses a `.env` / `env_file` text as compose v2 does: `KEY=value`, `export KEY=value`,
 * `#` comments, single quotes literal, double quotes with `\n`-style escapes, and `${VAR}`
 * expansion (from earlier lines, then `lookup`) in unquoted and double-quoted values.
 * Throws a plain Error naming the line; the caller adds the file.
 */
export function parseEnvFile(text: string, lookup: Lookup = () => undefined): Map<string, string> {
  const vars = new Map<string, string>();
  const expand = (s: string): string =>
    interpolateString(s, { lookup: (n) => vars.get(n) ?? lookup(n) });
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice('export '.length).trimStart();
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_.\-]*$/.test(key)) {
      throw new Error(`line ${i + 1}: unexpected character "${key.replace(/^[A-Za-z0-9_.\-]*/, '')[0] ?? ''}" in variable name "${key}"`);
    }
    if (eq < 0) {
      // A bare name takes its value from the environment, when it has one.
      const v = lookup(key);
      if (v !== undefined) vars.set(key, v);
      continue;
    }
    let raw = line.slice(eq + 1).trimStart();
    const q = raw[0];
    if (q === '"' || q === "'") {
      // A quoted value may span lines up to its closing quote.
      let body = raw.slice(1);
      let close = findClose(body, q);
      while (close < 0 && i + 1 < lines.length) {
        i++;
        body += `\n${lines[i] ?? ''}`;
        close = findClose(body, q);
      }
      if (close < 0) throw new Error(`line ${i + 1}: unterminated quoted value`);
      const inner = body.slice(0, close);
      vars.set(key, q === "'" ? inner : expand(unescapeDouble(inner)));
      continue;
    }
    const hash = raw.search(/\s#/);
    if (hash >= 0) raw = raw.slice(0, hash);
    vars.set(key, expand(raw.trim()));
  }
  return vars;
}

function findClose(s: string, q: string): number {
  for (let j = 0; j < s.length; j++) {
    if (s[j] === '\\' && q === '"') {
      j++;
      continue;
    }
    if (s[j] === q) return j;
  }
  return -1;
}

function unescapeDouble(s: string): string {
  return s.replace(/\\(.)/g, (_m, c: string) => {
    switch (c) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '$': return '$$';
      default: return c;
    }
  });
}
