import type { Dockerfile, Instruction } from './ast.js';
import { extractFlags, parseInstruction } from './instructions.js';
import { logicalLines, parseDirectives, type LogicalLine } from './logical-lines.js';
import { DockerfileParseError } from './parse-error.js';

/**
 * Parses a Dockerfile into its syntax tree. Errors are DockerfileParseError
 * with Docker's wording, e.g. `dockerfile parse error on line 3: unknown instruction: FORM`.
 */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const { directives, next } = parseDirectives(lines);
  const instructions: Instruction[] = [];
  for (const logical of logicalLines(lines, next, directives.escape)) {
    instructions.push(parseLine(logical, directives.escape));
  }
  if (instructions.length === 0) throw new DockerfileParseError(undefined, 'file with no instructions');
  return { directives, instructions };
}

export function parseLine(logical: LogicalLine, escape: string): Instruction {
  const m = /^[ \t]*(\S+)[ \t]*([\s\S]*)$/.exec(logical.text);
  if (m === null) throw new DockerfileParseError(logical.line, 'empty instruction');
  const keyword = (m[1] ?? '').toLowerCase();
  const { flags, rest } = extractFlags(m[2] ?? '');
  return parseInstruction(keyword, m[1] ?? '', rest.trim(), flags, logical, escape);
}

