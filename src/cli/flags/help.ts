/**
 * Help text and usage errors that look like the docker CLI's (cobra / spf13/pflag): the same
 * "Options:" layout, "(default …)" texts and wrapping.
 */

import {
  formatBytes,
  formatGoDuration,
  formatGoFloat,
  goQuote,
  writeCsvRecord,
} from '../../units/go-values.js';
import type { FlagError, FlagSpec, FlagType } from './parse-flags.js';

export interface CommandHelp {
  /** Command path as invoked, program name first: "docker run", "berth container ls". */
  readonly path: string;
  /** What follows the path on the usage line: "[OPTIONS] IMAGE [COMMAND] [ARG...]" (may be ""). */
  readonly usage: string;
  readonly description: string;
  /** Full command paths, program name first: ["docker container run", "docker run"]. */
  readonly aliases?: readonly string[];
  readonly flags: readonly FlagSpec[];
}

export interface HelpOptions {
  /** Terminal width; docker reads it from stdin's terminal and falls back to 80. */
  readonly width?: number;
}

/** The type name pflag shows after the flag (`Value.Type()` with its renames). */
const TYPE_DISPLAY: Readonly<Record<FlagType, string>> = {
  bool: '',
  string: 'string',
  int: 'int',
  uint: 'uint',
  uint16: 'uint16',
  float: 'float',
  duration: 'duration',
  bytes: 'bytes',
  stringArray: 'stringArray',
  stringSlice: 'strings',
  list: 'list',
  map: 'map',
};

/** pflag's UnquoteUsage: a `word` in backquotes names the value and loses its quotes. */
function valueNameAndUsage(spec: FlagSpec): [string, string] {
  const m = /^([^`]*)`([^`]*)`(.*)$/s.exec(spec.usage);
  if (m) return [m[2] ?? '', `${m[1] ?? ''}${m[2] ?? ''}${m[3] ?? ''}`];
  return [spec.valueName ?? TYPE_DISPLAY[spec.type], spec.usage];
}

/** Go's sort order for strings (byte-wise; the same as UTF-16 order for ASCII names). */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The "(default …)" text pflag would add, or undefined when the default is a zero value. */
function defaultSuffix(spec: FlagSpec): string | undefined {
  if (spec.defaultText !== undefined) {
    return ['', '0', 'false', '<nil>'].includes(spec.defaultText) ? undefined : spec.defaultText;
  }
  switch (spec.type) {
    case 'bool':
      return spec.default === true ? 'true' : undefined;
    case 'string':
      return spec.default ? goQuote(spec.default) : undefined;
    case 'int':
    case 'uint':
    case 'uint16':
      return spec.default ? String(spec.default) : undefined;
    case 'float':
      return spec.default ? formatGoFloat(spec.default) : undefined;
    case 'duration':
      return spec.default ? formatGoDuration(spec.default) : undefined;
    case 'bytes':
      return spec.default ? formatBytes(spec.default) : undefined;
    case 'stringArray':
    case 'stringSlice':
      return spec.default?.length ? `[${writeCsvRecord(spec.default)}]` : undefined;
    case 'list':
      return spec.default?.length ? `[${spec.default.join(' ')}]` : undefined;
    case 'map': {
      const keys = Object.keys(spec.default ?? {}).sort(byCodeUnits);
      return `map[${keys.map((k) => `${k}:${spec.default?.[k] ?? ''}`).join(' ')}]`;
    }
  }
}

/**
 * Splits off the first line of `s`: at most `limit` characters, broken at the last space or
 * newline before the limit, unless all of `s` fits within `limit + slop`.
 */
function takeLine(s: string, limit: number, slop: number): [string, string] {
  if (limit + slop > s.length) return [s, ''];
  const head = s.slice(0, limit);
  const cut = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\t'), head.lastIndexOf('\n'));
  if (cut <= 0) return [s, ''];
  const newline = head.lastIndexOf('\n');
  if (newline > 0 && newline < cut) return [s.slice(0, newline), s.slice(newline + 1)];
  return [s.slice(0, cut), s.slice(cut + 1)];
}

/** Wraps usage text that starts at column `indent` so lines end before column `cols`. */
function wrapUsage(indent: number, cols: number, text: string): string {
  const breakAt = (n: number): string => `\n${' '.repeat(n)}`;
  if (cols === 0) return text.replaceAll('\n', breakAt(indent));
  let pad = indent;
  let room = cols - pad;
  let out = '';
  if (room < 24) {
    // Too narrow beside the flag names: start the text on its own line instead.
    pad = 16;
    room = cols - pad;
    out = breakAt(pad);
  }
  if (room < 24) return text.replaceAll('\n', out);
  const slop = 5;
  let rest = text;
  let first = true;
  do {
    const [line, remaining] = takeLine(rest, room - slop, slop);
    out += (first ? '' : breakAt(pad)) + line.replaceAll('\n', breakAt(pad));
    rest = remaining;
    first = false;
  } while (rest !== '');
  return out;
}

/** The "Options:" body: one entry per visible flag, sorted by name, aligned and wrapped. */
function renderFlagUsages(flags: readonly FlagSpec[], cols: number): string {
  const visible = flags
    .filter((f) => !f.hidden && f.deprecated === undefined)
    .sort((a, b) => byCodeUnits(a.name, b.name));
  const rows = visible.map((spec) => {
    let left =
      spec.short !== undefined && spec.shortDeprecated === undefined
        ? `  -${spec.short}, --${spec.name}`
        : `      --${spec.name}`;
    const [valueName, usage] = valueNameAndUsage(spec);
    if (valueName !== '') left += ` ${valueName}`;
    const def = defaultSuffix(spec);
    return { left, text: def === undefined ? usage : `${usage} (default ${def})` };
  });
  const width = Math.max(0, ...rows.map((r) => r.left.length));
  return rows
    .map((r) => `${r.left.padEnd(width)}   ${wrapUsage(width + 3, cols, r.text)}\n`)
    .join('');
}

/** `docker <cmd> --help` output (docker 28 layout), ending in a newline; print it on stdout. */
export function renderHelp(cmd: CommandHelp, opts: HelpOptions = {}): string {
  const cols = (opts.width ?? 80) - 1;
  let out = `Usage:  ${useLine(cmd)}\n\n${cmd.description.trim()}`;
  if (cmd.aliases !== undefined && cmd.aliases.length > 0) {
    out += `\n\nAliases:\n  ${cmd.aliases.join(', ')}`;
  }
  const options = renderFlagUsages(cmd.flags, cols).trimEnd();
  if (options !== '') out += `\n\nOptions:\n${options}`;
  return `${out}\n`;
}

function useLine(cmd: Pick<CommandHelp, 'path' | 'usage'>): string {
  return cmd.usage === '' ? cmd.path : `${cmd.path} ${cmd.usage}`;
}

/** What docker prints on stderr for a FlagError (then exits 125), ending in a newline. */
export function usageErrorText(cmd: Pick<CommandHelp, 'path' | 'usage'>, err: FlagError): string {
  const hint = `Run '${cmd.path} --help' for more information`;
  return `${err.message}\n\nUsage:  ${useLine(cmd)}\n\n${hint}\n`;
}
