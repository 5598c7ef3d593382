import { promises as fs, watch, type FSWatcher } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * The container log as conmon writes it (k8s-file format): one line per chunk,
 * `<RFC3339Nano time> <stdout|stderr> <F|P> <bytes>`; P marks a partial line
 * that the next entry continues.
 */
export interface LogEntry {
  readonly stream: 'stdout' | 'stderr';
  /** RFC3339 with 9 fraction digits, in UTC ("...Z"), as `docker logs -t` prints it. */
  readonly timestamp: string;
  readonly timeNano: bigint;
  /** The bytes of the entry, with the newline when the line is complete. */
  readonly data: Buffer;
}

export function parseLogLine(line: Buffer): LogEntry | undefined {
  const s1 = line.indexOf(0x20);
  const s2 = s1 < 0 ? -1 : line.indexOf(0x20, s1 + 1);
  const s3 = s2 < 0 ? -1 : line.indexOf(0x20, s2 + 1);
  if (s3 < 0 && !(s2 > 0 && line.length === s2 + 2)) return undefined;
  const ts = line.subarray(0, s1).toString('latin1');
  const stream = line.subarray(s1 + 1, s2).toString('latin1');
  const tag = line.subarray(s2 + 1, s2 + 2).toString('latin1');
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const time = parseTimestamp(ts);
  if (time === undefined) return undefined;
  const content = s3 < 0 ? Buffer.alloc(0) : line.subarray(s3 + 1);
  const data = tag === 'P' ? Buffer.from(content) : Buffer.concat([content, Buffer.from('\n')]);
  return { stream, timestamp: time.text, timeNano: time.nano, data };
}

/** Parses `2026-11-24T13:48:57.782763828+00:00` into nanoseconds and the UTC "Z" text. */
export function parseTimestamp(ts: string): { nano: bigint; text: string } | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (m === null) return undefined;
  const seconds = Date.parse(`${m[1] ?? ''}${m[3] ?? 'Z'}`);
  if (Number.isNaN(seconds)) return undefined;
  const frac = (m[2] ?? '').padEnd(9, '0');
  const nano = BigInt(seconds) * 1_000_000n + BigInt(frac);
  const iso = new Date(seconds).toISOString().slice(0, 19);
  return { nano, text: `${iso}.${frac}Z` };
}

export interface ReadLogOptions {
  /** Only entries at or after this time (ns since the epoch). */
  readonly sinceNano?: bigint;
  /** Only entries before this time. */
  readonly untilNano?: bigint;
  /** Only the last N entries that exist now. */
  readonly tail?: number;
  /** Start reading at this byte offset instead of the beginning. */
  readonly fromOffset?: number;
  /** Keep reading new entries until `stopped` resolves (then drain) or `signal` aborts. */
  readonly follow?: { readonly stopped: Promise<void>; readonly signal: AbortSignal };
}

/** Whether an entry falls in the since/until window of `opts`. */
function inWindow(e: LogEntry, opts: ReadLogOptions): boolean {
  return (opts.sinceNano === undefined || e.timeNano >= opts.sinceNano) && (opts.untilNano === undefined || e.timeNano < opts.untilNano);
}

/** Reads the log file, optionally following it while the container runs. */
export async function* readLog(file: string, opts: ReadLogOptions = {}): AsyncGenerator<LogEntry> {
  let offset = opts.fromOffset ?? 0;
  let rest = Buffer.alloc(0);
  const keep = (e: LogEntry): boolean => inWindow(e, opts);

  const readMore = async (): Promise<LogEntry[]> => {
    let fh;
    try {
      fh = await fs.open(file, 'r');
    } catch {
      return [];
    }
    try {
      const { size } = await fh.stat();
      if (size < offset) {
        offset = 0; // truncated by rotation
        rest = Buffer.alloc(0);
      }
      if (size === offset) return [];
      const buf = Buffer.alloc(size - offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      offset += bytesRead;
      const data = rest.length > 0 ? Buffer.concat([rest, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      const out: LogEntry[] = [];
      let start = 0;
      for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, start)) {
        const e = parseLogLine(data.subarray(start, nl));
        if (e !== undefined && keep(e)) out.push(e);
        start = nl + 1;
      }
      rest = Buffer.from(data.subarray(start));
      return out;
    } finally {
      await fh.close();
    }
  };

  let first = await readMore();
  if (opts.tail !== undefined && opts.tail >= 0) first = opts.tail === 0 ? [] : first.slice(-opts.tail);
  yield* first;
  const follow = opts.follow;
  if (follow === undefined || follow.signal.aborted) return;

  let wake: (() => void) | undefined;
  let stopped = false;
  // Set by every poke: one that comes while a read is under way must not be lost.
  let poked = false;
  const poke = (): void => {
    poked = true;
    const w = wake;
    wake = undefined;
    w?.();
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(file, poke);
    watcher.on('error', poke);
  } catch {
    watcher = undefined; // no file yet: the poll below finds it
  }
  void follow.stopped.then(() => {
    stopped = true;
    poke();
  });
  follow.signal.addEventListener('abort', poke);
  // inotify can miss a write that raced with setting up the watch: poll slowly as well.
  const timer = setInterval(poke, watcher === undefined ? 100 : 1000);
  try {
    for (;;) {
      if (follow.signal.aborted) return;
      poked = false;
      const wasStopped = stopped;
      const entries = await readMore();
      yield* entries;
      if (wasStopped) return;
      if (entries.length === 0 && !poked) await new Promise<void>((resolve) => { wake = resolve; });
    }
  } finally {
    clearInterval(timer);
    watcher?.close();
  }
}

/**
 * A log with its rotated files (`older`, oldest first, `.gz` ones gunzipped):
 * their entries, then the current file's (followed when asked). `tail`
 * counts across all of them; rotated files are read only when needed.
 */
export async function* readLogWithHistory(current: string, older: readonly string[], opts: ReadLogOptions = {}): AsyncGenerator<LogEntry> {
  const present = (await Promise.all(older.map((f) => fs.access(f).then(() => f, () => undefined)))).filter((f): f is string => f !== undefined);
  let wanted: number | undefined;
  if (present.length > 0 && opts.tail !== undefined && opts.tail >= 0) {
    let inCurrent = 0;
    const { tail: _t, follow: _f, ...filters } = opts;
    for await (const _e of readLog(current, filters)) inCurrent++;
    wanted = Math.max(0, opts.tail - inCurrent);
  }
  if (present.length > 0 && wanted !== 0) {
    const past: LogEntry[] = [];
    for (const file of present) {
      let data: Buffer;
      try {
        data = await fs.readFile(file);
        if (file.endsWith('.gz')) data = gunzipSync(data);
      } catch {
        continue;
      }
      for (const line of data.toString('latin1').split('\n')) {
        if (line === '') continue;
        const e = parseLogLine(Buffer.from(line, 'latin1'));
        if (e !== undefined && inWindow(e, opts)) past.push(e);
      }
    }
    yield* wanted === undefined ? past : past.slice(-wanted);
  }
  yield* readLog(current, opts);
}
