/** One authentication challenge from a `WWW-Authenticate` header (RFC 7235). */
export interface Challenge {
  /** Lowercased scheme: "bearer", "basic". */
  readonly scheme: string;
  /** Parameters with lowercased names: realm, service, scope, error. */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/**
 * Parses the challenges of a `WWW-Authenticate` header, e.g.
 * `Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"`.
 * Several challenges may be in one header, separated by commas.
 */
export function parseWwwAuthenticate(header: string): Challenge[] {
  const out: Challenge[] = [];
  let s = header.trim();
  let current: { scheme: string; params: Record<string, string> } | undefined;
  while (s.length > 0) {
    s = s.replace(/^[\s,]+/, '');
    const name = TOKEN.exec(s)?.[0];
    if (name === undefined) break;
    const afterName = s.slice(name.length);
    const eq = /^\s*=\s*/.exec(afterName);
    if (eq !== null && current !== undefined) {
      // a parameter of the current challenge
      let rest = afterName.slice(eq[0].length);
      let value: string;
      if (rest.startsWith('"')) {
        let i = 1;
        value = '';
        while (i < rest.length && rest[i] !== '"') {
          if (rest[i] === '\\' && i + 1 < rest.length) i++;
          value += rest[i];
          i++;
        }
        rest = rest.slice(i + 1);
      } else {
        const m = /^[^\s,]*/.exec(rest)?.[0] ?? '';
        value = m;
        rest = rest.slice(m.length);
      }
      current.params[name.toLowerCase()] = value;
      s = rest;
      continue;
    }
    // a new challenge: "Scheme" followed by parameters (or a token68, which we skip)
    current = { scheme: name.toLowerCase(), params: {} };
    out.push(current);
    s = afterName.replace(/^\s+/, '');
    const token68 = /^[A-Za-z0-9._~+/-]+=*(?=\s*(,|$))/.exec(s);
    if (token68 !== null && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=[^=]/.test(s)) s = s.slice(token68[0].length);
  }
  return out;
}
