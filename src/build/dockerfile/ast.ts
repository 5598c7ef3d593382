/**
 * The syntax tree of a Dockerfile. Words keep their quotes and `$` references:
 * variables are substituted at build time, with the ARG and ENV values in scope
 * at that step (see shell-lex.ts).
 */

export interface Directives {
  readonly syntax?: string;
  /** The escape character: `\` (default) or a backtick. */
  readonly escape: string;
  readonly check?: string;
}

export interface Heredoc {
  /** The delimiter word (`EOF`). */
  readonly name: string;
  readonly content: string;
  /** Unquoted delimiters have their content expanded. */
  readonly expand: boolean;
  /** `<<-`: leading tabs were stripped. */
  readonly chomp: boolean;
}

export type CommandForm =
  | { readonly form: 'exec'; readonly args: readonly string[] }
  | { readonly form: 'shell'; readonly command: string };

export interface Flag {
  readonly name: string;
  /** undefined for a flag given without `=value` (`--link`). */
  readonly value: string | undefined;
}

interface Base {
  /** 1-based line of the instruction's first line. */
  readonly line: number;
  readonly endLine: number;
  /** The instruction as written (continuations joined), for history and cache keys. */
  readonly original: string;
  readonly flags: readonly Flag[];
}

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

export interface HealthcheckSpec {
  readonly test: readonly string[];
  readonly interval?: string;
  readonly timeout?: string;
  readonly startPeriod?: string;
  readonly startInterval?: string;
  readonly retries?: string;
}

export type Instruction =
  | (Base & { readonly kind: 'FROM'; readonly image: string; readonly stageName?: string; readonly platform?: string })
  | (Base & { readonly kind: 'RUN'; readonly cmd: CommandForm; readonly heredocs: readonly Heredoc[] })
  | (Base & { readonly kind: 'CMD' | 'ENTRYPOINT'; readonly cmd: CommandForm })
  | (Base & { readonly kind: 'ENV' | 'LABEL'; readonly pairs: readonly KeyValue[] })
  | (Base & { readonly kind: 'ARG'; readonly args: ReadonlyArray<{ readonly name: string; readonly defaultValue?: string }> })
  | (Base & { readonly kind: 'EXPOSE' | 'VOLUME'; readonly values: readonly string[] })
  | (Base & { readonly kind: 'WORKDIR' | 'USER' | 'STOPSIGNAL' | 'MAINTAINER'; readonly value: string })
  | (Base & { readonly kind: 'SHELL'; readonly shell: readonly string[] })
  | (Base & { readonly kind: 'HEALTHCHECK'; readonly healthcheck: HealthcheckSpec | 'none' })
  | (Base & { readonly kind: 'ONBUILD'; readonly trigger: Instruction; readonly expression: string })
  | (Base & {
      readonly kind: 'COPY' | 'ADD';
      readonly sources: readonly string[];
      readonly dest: string;
      readonly heredocs: readonly Heredoc[];
      /** Whether the sources were given as a JSON array (no word splitting). */
      readonly json: boolean;
    });

export type InstructionKind = Instruction['kind'];

export interface Dockerfile {
  readonly directives: Directives;
  readonly instructions: readonly Instruction[];
}

/** Value of flag `--name`, the last one given. */
export function flagValue(ins: Pick<Base, 'flags'>, name: string): string | undefined {
  let v: string | undefined;
  for (const f of ins.flags) if (f.name === name) v = f.value ?? 'true';
  return v;
}

export function flagValues(ins: Pick<Base, 'flags'>, name: string): string[] {
  return ins.flags.filter((f) => f.name === name).map((f) => f.value ?? 'true');
}
