import type { EngineClient } from '../client/engine-client.js';
import type { FlagSpec, ParsedFlags } from './flags/index.js';

/** What a command gets to work with. */
export interface CliContext {
  /** The program name as shown in messages ("berth"). */
  readonly prog: string;
  /** The API client; connects (and starts a local daemon if needed) on first use. */
  client(): Promise<EngineClient>;
  /** The daemon address, as shown in connection errors. */
  readonly host: string;
  out(text: string): void;
  err(text: string): void;
  readonly stdinIsTTY: boolean;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
}

export type ArgsRule =
  | { readonly kind: 'none' }
  | { readonly kind: 'exact'; readonly n: number }
  | { readonly kind: 'min'; readonly n: number }
  | { readonly kind: 'max'; readonly n: number }
  | { readonly kind: 'range'; readonly min: number; readonly max: number };

/** One `berth` command: its flags and arguments as the docker CLI has them, and what it does. */
export interface Command {
  /** Path after the program name: "run", "container ls". */
  readonly path: string;
  /** Usage after the path: "[OPTIONS] IMAGE [COMMAND] [ARG...]". */
  readonly usage: string;
  readonly description: string;
  /** Other paths for the same command ("container run" for "run"). */
  readonly aliases?: readonly string[];
  readonly flags: readonly FlagSpec[];
  /** false: flags end at the first argument (run, exec, create). */
  readonly interspersed: boolean;
  readonly args: ArgsRule;
  run(ctx: CliContext, flags: ParsedFlags, args: readonly string[]): Promise<number>;
}

/** An error already reported to the user, with the exit status to leave with. */
export class ExitError extends Error {
  constructor(readonly status: number, message = '') {
    super(message);
    this.name = 'ExitError';
  }
}
