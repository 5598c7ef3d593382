/**
 * Go `text/template` for the docker CLI's `--format` flag, run on JSON-shaped data.
 *
 *   parseTemplate('{{range .Mounts}}{{.Destination}} {{end}}').execute(inspect)
 *
 * Data stands in for Go values as described in go-template-values.ts: objects act as
 * `map[string]interface {}` (a missing key prints `<no value>`), arrays as slices, and
 * properties holding functions as methods. Docker's functions (json, join, split, lower,
 * upper, title, pad, truncate) are available next to Go's built-ins; `extraFuncs` are added
 * on top and win over both, as Go's `Funcs` does. The pieces live in go-template-lexer.ts,
 * -parser.ts, -exec.ts, -funcs.ts and -fmt.ts.
 */
import { TemplateError } from './go-template-error.js';
import { executeTemplate, type MissingKeyMode } from './go-template-exec.js';
import { builtinFunctions, dockerFunctions, type TemplateFunction } from './go-template-funcs.js';
import { parseTemplateSource } from './go-template-parser.js';

export { TemplateError } from './go-template-error.js';
export { formatGoValue } from './go-template-fmt.js';
export type { MissingKeyMode } from './go-template-exec.js';

export interface Template {
  /** Renders the template; throws TemplateError when execution fails. */
  execute(data: unknown): string;
}

export interface TemplateOptions {
  /**
   * Go's `missingkey` option: `default` prints `<no value>`, `zero` gives nil, `error` fails
   * with `map has no entry for key "X"` (what `docker inspect` uses on raw JSON).
   */
  readonly missingKey?: MissingKeyMode;
}

/** Parses a Go template; throws TemplateError with Go's message on a syntax error. */
export function parseTemplate(
  source: string,
  extraFuncs?: Record<string, (...args: unknown[]) => unknown>,
  options: TemplateOptions = {},
): Template {
  const funcs = new Map<string, TemplateFunction>([...builtinFunctions, ...dockerFunctions]);
  for (const [name, fn] of Object.entries(extraFuncs ?? {})) {
    funcs.set(name, { call: (args) => fn(...args), minArgs: 0, maxArgs: Infinity });
  }
  let parsed;
  try {
    parsed = parseTemplateSource(source, (name) => funcs.has(name));
  } catch (e: unknown) {
    if (e instanceof TemplateError) throw e;
    throw new TemplateError(`template: : ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const execOptions = { missingKey: options.missingKey ?? 'default' };
  return {
    execute: (data: unknown): string => executeTemplate(source, parsed, funcs, execOptions, data),
  };
}
