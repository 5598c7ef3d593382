import type { Instruction } from './dockerfile/ast.js';
import { heredocMarkers } from './dockerfile/logical-lines.js';
import { invalidArgument } from '../engine-error.js';
import { readCsvRecord } from '../units/go-values.js';

type Run = Extract<Instruction, { kind: 'RUN' }>;

/** What a RUN runs: argv, and a script file to bind when the heredoc is a script with its own #! line. */
export interface RunCommand {
  readonly argv: string[];
  readonly script?: { readonly name: string; readonly content: string };
  /** The command as Docker shows it in history and errors. */
  readonly display: string;
}

export function runCommand(ins: Run, shell: readonly string[]): RunCommand {
  if (ins.cmd.form === 'exec') return { argv: [...ins.cmd.args], display: ins.cmd.args.join(' ') };
  const command = ins.cmd.command;
  const markers = heredocMarkers(command);
  const first = ins.heredocs[0];
  if (first !== undefined && ins.heredocs.length === 1 && markers.length === 1 && /^\s*\d*<<-?\S+\s*$/.test(command)) {
    // The heredoc is the whole command: a script. With its own interpreter line it runs as a file.
    if (first.content.startsWith('#!')) {
      const file = `/dev/pipes/${first.name}`;
      return { argv: [file], script: { name: first.name, content: first.content }, display: file };
    }
    return { argv: [...shell, first.content], display: [...shell, first.content].join(' ') };
  }
  let text = command;
  for (const h of ins.heredocs) text += `\n${h.content}${h.name}`;
  return { argv: [...shell, text], display: [...shell, text].join(' ') };
}

export type RunMount =
  | { readonly type: 'cache'; readonly target: string; readonly id: string; readonly sharing: string; readonly readonly: boolean; readonly mode: number; readonly uid: number; readonly gid: number }
  | { readonly type: 'bind'; readonly target: string; readonly source: string; readonly from: string | undefined; readonly readonly: boolean }
  | { readonly type: 'tmpfs'; readonly target: string; readonly size: string | undefined }
  | { readonly type: 'secret'; readonly target: string; readonly id: string; readonly required: boolean; readonly env: string | undefined }
  | { readonly type: 'ssh'; readonly target: string; readonly required: boolean };

/** Parses `RUN --mount=type=cache,target=/x,...` (BuildKit's syntax). */
export function parseRunMount(spec: string): RunMount {
  const fields = new Map<string, string>();
  for (const f of readCsvRecord(spec)) {
    const eq = f.indexOf('=');
    const k = (eq < 0 ? f : f.slice(0, eq)).toLowerCase();
    const v = eq < 0 ? '' : f.slice(eq + 1);
    fields.set(k === 'dst' || k === 'destination' ? 'target' : k === 'src' ? 'source' : k, v);
  }
  const type = fields.get('type') ?? 'bind';
  const flag = (k: string): boolean => {
    const v = fields.get(k);
    return v !== undefined && v !== 'false' && v !== '0';
  };
  const target = fields.get('target');
  const needTarget = (): string => {
    if (target === undefined || target === '') throw invalidArgument('mount destination not set');
    return target;
  };
  switch (type) {
    case 'cache': {
      const t = needTarget();
      const sharing = fields.get('sharing') ?? 'shared';
      if (!['shared', 'private', 'locked'].includes(sharing)) throw invalidArgument(`unrecognized sharing parameter: ${sharing}`);
      return {
        type, target: t, id: fields.get('id') ?? t, sharing, readonly: flag('readonly') || flag('ro'),
        mode: parseInt(fields.get('mode') ?? '755', 8), uid: Number(fields.get('uid') ?? '0'), gid: Number(fields.get('gid') ?? '0'),
      };
    }
    case 'bind':
      return { type, target: needTarget(), source: fields.get('source') ?? '/', from: fields.get('from'), readonly: !(flag('rw') || flag('readwrite')) };
    case 'tmpfs':
      return { type, target: needTarget(), size: fields.get('size') };
    case 'secret': {
      const id = fields.get('id') ?? (target !== undefined ? target.split('/').pop() ?? '' : '');
      if (id === '') throw invalidArgument('secret ID missing from mount options');
      return { type, target: target ?? `/run/secrets/${id}`, id, required: flag('required'), env: fields.get('env') };
    }
    case 'ssh':
      return { type, target: target ?? '/run/buildkit/ssh_agent.0', required: flag('required') };
    default:
      throw invalidArgument(`unsupported mount type "${type}"`);
  }
}
