import type { Directives, Heredoc } from './ast.js';
import { DockerfileParseError } from './parse-error.js';

/** Instructions whose arguments may name heredocs (`<<EOF`). */
const HEREDOC_INSTRUCTIONS = new Set(['run', 'copy', 'add']);

const DIRECTIVE_RE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.*?)[ \t]*$/;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

/** A logical line: an instruction with its continuations joined and its heredocs read. */
export interface LogicalLine {
  readonly line: number;
  readonly endLine: number;
  readonly text: string;
  readonly heredocs: readonly Heredoc[];
}

export function parseDirectives(lines: readonly string[]): { directives: Directives; next: number } {
  const seen = new Map<string, string>();
  let i = 0;
  for (; i < lines.length; i++) {
    const m = DIRECTIVE_RE.exec(lines[i] ?? '');
    if (m === null) break;
    const name = (m[1] ?? '').toLowerCase();
    if (!KNOWN_DIRECTIVES.has(name)) break; // an unknown directive is a comment, and ends the directives
    if (seen.has(name)) throw new DockerfileParseError(i + 1, `only one ${name} parser directive can be used`);
    seen.set(name, m[2] ?? '');
  }
  const escape = seen.get('escape') ?? '\\';
  if (escape !== '\\' && escape !== '`') throw new DockerfileParseError(undefined, `invalid escape token '${escape}' does not match \` or \\`);
  const syntax = seen.get('syntax');
  const check = seen.get('check');
  return {
    directives: { escape, ...(syntax !== undefined ? { syntax } : {}), ...(check !== undefined ? { check } : {}) },
    // directive lines are comments to the rest of the parser
    next: i,
  };
}

function isComment(line: string): boolean {
  return /^[ \t]*#/.test(line);
}

function isBlank(line: string): boolean {
  return /^[ \t]*$/.test(line);
}

/** Strips a trailing escape (with optional blanks after it); reports whether the line continues. */
function trimContinuation(line: string, escape: string): { text: string; continues: boolean } {
  const re = escape === '`' ? /`[ \t]*$/ : /\\[ \t]*$/;
  const m = re.exec(line);
  if (m === null) return { text: line, continues: false };
  return { text: line.slice(0, m.index), continues: true };
}

export function* logicalLines(lines: readonly string[], start: number, escape: string): Generator<LogicalLine> {
  let i = start;
  while (i < lines.length) {
    const raw = lines[i] ?? '';
    if (isComment(raw) || isBlank(raw)) {
      i++;
      continue;
    }
    const first = i + 1;
    let { text, continues } = trimContinuation(raw.replace(/^[ \t]+/, ''), escape);
    i++;
    while (continues && i < lines.length) {
      const next = lines[i] ?? '';
      i++;
      if (isComment(next) || isBlank(next)) continue; // comments and empty lines inside a continuation are dropped
      const t = trimContinuation(next, escape);
      text += t.text;
      continues = t.continues;
    }
    const endLine = i;
    const keyword = (/^\s*(\S+)/.exec(text)?.[1] ?? '').toLowerCase();
    const onbuildKeyword = keyword === 'onbuild' ? (/^\s*\S+\s+(\S+)/.exec(text)?.[1] ?? '').toLowerCase() : '';
    const heredocs: Heredoc[] = [];
    if (HEREDOC_INSTRUCTIONS.has(keyword) || HEREDOC_INSTRUCTIONS.has(onbuildKeyword)) {
      for (const h of heredocMarkers(text)) {
        const body: string[] = [];
        let closed = false;
        while (i < lines.length) {
          const l = lines[i] ?? '';
          i++;
          const cmp = h.chomp ? l.replace(/^\t+/, '') : l;
          if (cmp === h.name) {
            closed = true;
            break;
          }
          body.push(cmp);
        }
        if (!closed) throw new DockerfileParseError(first, `unterminated heredoc ${h.name}`);
        heredocs.push({ ...h, content: body.map((b) => `${b}\n`).join('') });
      }
    }
    yield { line: first, endLine: heredocs.length > 0 ? i : endLine, text, heredocs };
  }
}

/** The heredoc markers of a line, in order: `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` (also `3<<EOF`). */
export function heredocMarkers(text: string): Array<Omit<Heredoc, 'content'>> {
  const out: Array<Omit<Heredoc, 'content'>> = [];
  const re = /(?:^|\s)\d*<<(-?)(?:"([^"\s]+)"|'([^'\s]+)'|([A-Za-z_][A-Za-z0-9_.-]*))(?=\s|$)/g;
  for (const m of text.matchAll(re)) {
    const quoted = m[2] ?? m[3];
    const name = quoted ?? m[4] ?? '';
    out.push({ name, expand: quoted === undefined, chomp: m[1] === '-' });
  }
  return out;
}

