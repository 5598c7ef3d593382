import { EngineError } from '../engine-error.js';

export interface TopResult {
  readonly titles: string[];
  readonly processes: string[][];
}

/**
 * Picks the rows of `ps` output that belong to the container (their PID column
 * is one of `pids`), as Docker's top does. The last column (the command) keeps
 * its spaces.
 */
export function filterPsOutput(output: string, pids: readonly number[]): TopResult {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0];
  if (header === undefined) return { titles: [], processes: [] };
  const titles = header.trim().split(/\s+/);
  const pidIndex = titles.indexOf('PID');
  if (pidIndex < 0) throw new EngineError('internal', "Couldn't find PID field in ps output");
  const wanted = new Set(pids);
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    const fields = splitFields(line.trim(), titles.length);
    const pid = Number.parseInt(fields[pidIndex] ?? '', 10);
    if (!Number.isInteger(pid)) throw new EngineError('internal', `Unexpected pid '${fields[pidIndex] ?? ''}': invalid pid in ps output`);
    if (wanted.has(pid)) processes.push(fields);
  }
  return { titles, processes };
}

/** Splits on runs of blanks into at most `n` fields; the last one takes the rest of the line. */
function splitFields(line: string, n: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (out.length < n - 1) {
    const m = /\s+/.exec(rest);
    if (m === null) break;
    out.push(rest.slice(0, m.index));
    rest = rest.slice(m.index + m[0].length);
  }
  out.push(rest);
  return out;
}

/** The arguments for ps: Docker's default `-ef`, or the user's words. */
export function psArguments(psArgs: string | undefined): string[] {
  const words = (psArgs ?? '').trim().split(/\s+/).filter((w) => w !== '');
  return words.length > 0 ? words : ['-ef'];
}
