import type { CliContext } from '../command.js';

/** Reads one line from stdin (without the newline); undefined at end of input. */
async function readLine(): Promise<string | undefined> {
  const stdin = process.stdin;
  let line = '';
  try {
    for await (const chunk of stdin) {
      line += (chunk as Buffer).toString('utf8');
      const nl = line.indexOf('\n');
      if (nl >= 0) return line.slice(0, nl);
    }
  } finally {
    stdin.pause();
  }
  return line === '' ? undefined : line;
}

/**
 * docker's prompt.Confirm: prints "<message> [y/N] " and reads an answer from stdin; only
 * "y" or "Y" (surrounding spaces ignored) confirms.
 */
export async function confirm(ctx: CliContext, message: string): Promise<boolean> {
  ctx.out(`${message} [y/N] `);
  const answer = await readLine();
  return answer !== undefined && answer.trim().toLowerCase() === 'y';
}
