import type { CommandForm, Flag, HealthcheckSpec, Heredoc, Instruction, KeyValue } from './ast.js';
import { DockerfileParseError } from './parse-error.js';
import { heredocMarkers, type LogicalLine } from './logical-lines.js';

const ALLOWED_FLAGS: Record<string, readonly string[]> = {
  from: ['platform'],
  run: ['mount', 'network', 'security'],
  copy: ['from', 'chown', 'chmod', 'link', 'parents', 'exclude'],
  add: ['chown', 'chmod', 'link', 'keep-git-dir', 'checksum', 'exclude', 'parents', 'unpack'],
  healthcheck: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};

const STAGE_NAME_RE = /^[a-z][a-z0-9-_.]*$/;

/** Parses one instruction; `keyword` is lowercased, `rest` has its leading flags removed. */
export function parseInstruction(keyword: string, written: string, rest: string, flags: readonly Flag[], logical: LogicalLine, escape: string): Instruction {
  const line = logical.line;
  const fail = (msg: string): never => {
    throw new DockerfileParseError(line, msg);
  };
  const name = keyword.toUpperCase();
  if (!KNOWN.has(keyword)) fail(`unknown instruction: ${written.toUpperCase()}`);
  const allowed = ALLOWED_FLAGS[keyword] ?? [];
  for (const f of flags) {
    if (!allowed.includes(f.name)) fail(`unknown flag: ${f.name}`);
  }
  const base = { line, endLine: logical.endLine, original: originalText(logical), flags };
  switch (keyword) {
    case 'from': {
      const words = splitWords(rest, escape);
      if (words.length !== 1 && words.length !== 3) fail('FROM requires either one or three arguments');
      let stageName: string | undefined;
      if (words.length === 3) {
        if ((words[1] ?? '').toLowerCase() !== 'as') fail("FROM requires either one or three arguments");
        stageName = (words[2] ?? '').toLowerCase();
        if (!STAGE_NAME_RE.test(stageName)) fail(`invalid name for build stage: "${words[2] ?? ''}", name can't start with a number or contain symbols`);
      }
      const platform = flags.find((f) => f.name === 'platform')?.value;
      return { ...base, kind: 'FROM', image: words[0] ?? '', ...(stageName !== undefined ? { stageName } : {}), ...(platform !== undefined ? { platform } : {}) };
    }
    case 'run': {
      if (rest === '') fail('RUN requires at least one argument');
      return { ...base, kind: 'RUN', cmd: commandForm(rest), heredocs: logical.heredocs };
    }
    case 'cmd':
    case 'entrypoint':
      return { ...base, kind: keyword === 'cmd' ? 'CMD' : 'ENTRYPOINT', cmd: commandForm(rest) };
    case 'env':
    case 'label':
      return { ...base, kind: keyword === 'env' ? 'ENV' : 'LABEL', pairs: nameValues(name, rest, escape, fail) };
    case 'arg': {
      const words = splitWords(rest, escape);
      if (words.length === 0) fail('ARG requires at least one argument');
      const args = words.map((w) => {
        const eq = w.indexOf('=');
        if (eq === 0) fail(`ARG names can not be blank`);
        return eq < 0 ? { name: w } : { name: w.slice(0, eq), defaultValue: w.slice(eq + 1) };
      });
      return { ...base, kind: 'ARG', args };
    }
    case 'expose': {
      const values = splitWords(rest, escape);
      if (values.length === 0) fail('EXPOSE requires at least one argument');
      return { ...base, kind: 'EXPOSE', values };
    }
    case 'volume': {
      const json = jsonArray(rest);
      const values = json ?? splitWords(rest, escape);
      if (values.length === 0) fail('VOLUME requires at least one argument');
      for (const v of values) if (v.trim() === '') fail('VOLUME specified can not be an empty string');
      return { ...base, kind: 'VOLUME', values };
    }
    case 'workdir':
    case 'user':
    case 'stopsignal':
    case 'maintainer': {
      if (rest === '') fail(`${name} requires exactly one argument`);
      if (keyword === 'stopsignal' || keyword === 'workdir') {
        if (splitWords(rest, escape).length !== 1) fail(`${name} requires exactly one argument`);
      }
      return { ...base, kind: name as 'WORKDIR' | 'USER' | 'STOPSIGNAL' | 'MAINTAINER', value: rest };
    }
    case 'shell': {
      const json = jsonArray(rest);
      if (json === undefined) fail('SHELL requires the arguments to be in JSON form');
      if ((json ?? []).length === 0) fail('SHELL requires at least one argument');
      return { ...base, kind: 'SHELL', shell: json ?? [] };
    }
    case 'healthcheck':
      return { ...base, kind: 'HEALTHCHECK', healthcheck: healthcheck(rest, flags, fail) };
    case 'onbuild': {
      if (rest === '') fail('ONBUILD requires at least one argument');
      const m = /^(\S+)\s*([\s\S]*)$/.exec(rest);
      const triggerWord = (m?.[1] ?? '').toLowerCase();
      if (triggerWord === 'onbuild') fail('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
      if (triggerWord === 'from' || triggerWord === 'maintainer') fail(`${triggerWord.toUpperCase()} isn't allowed as an ONBUILD trigger`);
      const inner = extractFlags(m?.[2] ?? '');
      const trigger = parseInstruction(triggerWord, m?.[1] ?? '', inner.rest.trim(), inner.flags, { ...logical, text: rest }, escape);
      return { ...base, kind: 'ONBUILD', trigger, expression: rest };
    }
    case 'copy':
    case 'add': {
      const json = jsonArray(rest);
      const words = json ?? splitWords(rest, escape);
      if (words.length < 2) {
        const onlyHeredocs = logical.heredocs.length > 0 && words.length >= 1;
        if (!onlyHeredocs || words.length < 2) fail(`${name} requires at least two arguments, but only one was provided. Destination could not be determined.`);
      }
      const dest = words[words.length - 1] ?? '';
      return { ...base, kind: keyword === 'copy' ? 'COPY' : 'ADD', sources: words.slice(0, -1), dest, heredocs: logical.heredocs, json: json !== undefined };
    }
  }
  return fail(`unknown instruction: ${written.toUpperCase()}`);
}

const KNOWN = new Set(['from', 'run', 'cmd', 'entrypoint', 'env', 'label', 'arg', 'expose', 'volume', 'workdir', 'user', 'stopsignal', 'maintainer', 'shell', 'healthcheck', 'onbuild', 'copy', 'add']);

/** Exec form when the arguments are a JSON array of strings, shell form otherwise. */
export function commandForm(rest: string): CommandForm {
  const json = jsonArray(rest);
  return json !== undefined ? { form: 'exec', args: json } : { form: 'shell', command: rest };
}

function jsonArray(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(rest);
    if (Array.isArray(v) && v.every((x): x is string => typeof x === 'string')) return v;
  } catch {
    // not JSON: shell form
  }
  return undefined;
}

/**
 * Splits on whitespace outside quotes, keeping quotes and escapes in the words
 * (they are removed when the word is expanded at build time).
 */
export function splitWords(text: string, escape: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (quote === undefined && /\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === escape && quote !== "'" && i + 1 < text.length) {
      cur += ch + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (quote === undefined && (ch === '"' || ch === "'")) quote = ch;
    else if (ch === quote) quote = undefined;
    cur += ch;
  }
  if (inWord) out.push(cur);
  return out;
}

function nameValues(name: string, rest: string, escape: string, fail: (m: string) => never): KeyValue[] {
  const words = splitWords(rest, escape);
  if (words.length === 0) fail(`${name} requires at least one argument`);
  const first = words[0] ?? '';
  if (!first.includes('=')) {
    // the old form: `ENV key value with spaces`
    if (words.length < 2) fail(`${name} must have two arguments`);
    const value = rest.slice(rest.indexOf(first) + first.length).trim();
    return [{ key: first, value }];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) fail(`Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    if (eq === 0) fail(`${name} names can not be blank`);
    return { key: w.slice(0, eq), value: w.slice(eq + 1) };
  });
}

function healthcheck(rest: string, flags: readonly Flag[], fail: (m: string) => never): HealthcheckSpec | 'none' {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(rest);
  const type = (m?.[1] ?? '').toUpperCase();
  if (type === 'NONE') {
    if ((m?.[2] ?? '') !== '' || flags.length > 0) fail('HEALTHCHECK NONE takes no arguments');
    return 'none';
  }
  if (type !== 'CMD') fail(`Unknown type "${type}" in HEALTHCHECK (try CMD)`);
  const cmdText = m?.[2] ?? '';
  if (cmdText === '') fail('Missing command after HEALTHCHECK CMD');
  const cmd = commandForm(cmdText);
  const test = cmd.form === 'exec' ? ['CMD', ...cmd.args] : ['CMD-SHELL', cmd.command];
  const spec: { -readonly [K in keyof HealthcheckSpec]: HealthcheckSpec[K] } = { test };
  for (const f of flags) {
    const v = f.value ?? '';
    if (f.name === 'interval') spec.interval = v;
    else if (f.name === 'timeout') spec.timeout = v;
    else if (f.name === 'start-period') spec.startPeriod = v;
    else if (f.name === 'start-interval') spec.startInterval = v;
    else if (f.name === 'retries') spec.retries = v;
  }
  return spec;
}

/** Leading `--name[=value]` words (BuildKit's builder flags). */
export function extractFlags(rest: string): { flags: Flag[]; rest: string } {
  const flags: Flag[] = [];
  let s = rest;
  for (;;) {
    const m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=((?:"[^"]*"|'[^']*'|\S)*))?(?:[ \t]+|$)/.exec(s);
    if (m === null) break;
    if (m[0] === '--') break;
    flags.push({ name: m[1] ?? '', value: m[2] });
    s = s.slice(m[0].length);
  }
  return { flags, rest: s };
}

function originalText(logical: LogicalLine): string {
  return logical.text.trim();
}

export function heredocByName(heredocs: readonly Heredoc[], word: string): Heredoc | undefined {
  const marker = heredocMarkers(word)[0];
  return marker === undefined ? undefined : heredocs.find((h) => h.name === marker.name);
}
