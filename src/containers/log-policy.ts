import { invalidArgument } from '../engine-error.js';
import { parseRamBytes } from '../units/go-values.js';

export type LogDriver = 'json-file' | 'local' | 'none';

/**
 * How a container's log is kept. berth always keeps a file (attach reads it);
 * `none` keeps a small one that `logs` refuses to read, as Docker refuses.
 */
export interface LogPolicy {
  readonly driver: LogDriver;
  /** Bytes after which the file is rotated. */
  readonly maxSize: number;
  /** Files kept, the current one included. */
  readonly maxFile: number;
  /** gzip rotated files. */
  readonly compress: boolean;
}

/**
 * berth's default rotation: Docker's json-file keeps everything, so a chatty
 * container can fill the disk; berth keeps at most 5 files of 20 MB (as
 * Docker's `local` driver does) unless told otherwise.
 */
export const DEFAULT_MAX_SIZE = 20 * 1024 * 1024;
export const DEFAULT_MAX_FILE = 5;

const OPTIONS: Readonly<Record<LogDriver, readonly string[]>> = {
  'json-file': ['max-size', 'max-file', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag'],
  local: ['max-size', 'max-file', 'compress'],
  none: [],
};

/**
 * The policy of a container: its `--log-driver`/`--log-opt`, over the daemon's
 * `log-driver`/`log-opts`, over berth's defaults. Unknown drivers and options
 * get Docker's errors.
 */
export function logPolicy(
  container: { type: string; config: Readonly<Record<string, string>> },
  daemon: { type?: string; config?: Readonly<Record<string, string>> } = {},
): LogPolicy {
  const type = container.type !== '' ? container.type : daemon.type !== undefined && daemon.type !== '' ? daemon.type : 'json-file';
  const driver = (type === 'k8s-file' ? 'json-file' : type) as LogDriver;
  if (!(driver in OPTIONS)) throw invalidArgument(`failed to create task for container: failed to initialize logging driver: logger: no log driver named '${type}' is registered`);
  // The daemon's options apply only when the container uses the daemon's driver.
  const inherited = container.type === '' || container.type === daemon.type ? daemon.config ?? {} : {};
  const opts: Record<string, string> = { ...inherited, ...container.config };
  for (const k of Object.keys(opts)) {
    if (!OPTIONS[driver].includes(k)) throw invalidArgument(`unknown log opt '${k}' for ${driver} log driver`);
  }
  if (driver === 'none') return { driver, maxSize: 1024 * 1024, maxFile: 1, compress: false };
  const maxSize = opts['max-size'] !== undefined ? logSize(opts['max-size']) : DEFAULT_MAX_SIZE;
  let maxFile = DEFAULT_MAX_FILE;
  if (opts['max-file'] !== undefined) {
    maxFile = Number(opts['max-file']);
    if (!Number.isInteger(maxFile)) throw invalidArgument(`invalid value for max-file: ${opts['max-file']}`);
    if (maxFile < 1) throw invalidArgument('max-file cannot be less than 1');
  } else if (opts['max-size'] !== undefined) {
    // Docker's json-file: a max-size alone keeps one file.
    maxFile = driver === 'local' ? DEFAULT_MAX_FILE : 1;
  }
  const compress = opts['compress'] !== undefined ? ['true', '1'].includes(opts['compress']) : driver === 'local';
  if (opts['compress'] !== undefined && !['true', 'false', '1', '0'].includes(opts['compress'])) {
    throw invalidArgument(`error reading compress log option: strconv.ParseBool: parsing "${opts['compress']}": invalid syntax`);
  }
  if (maxSize <= 0) throw invalidArgument(`invalid max-size: ${opts['max-size'] ?? ''}`);
  return { driver, maxSize, maxFile, compress };
}

/** The names of the rotated files, newest first: `container.log.1[.gz]` ... */
export function rotatedNames(logPath: string, policy: LogPolicy): string[] {
  const out: string[] = [];
  for (let i = 1; i < policy.maxFile; i++) out.push(`${logPath}.${i}${policy.compress ? '.gz' : ''}`);
  return out;
}

/**
 * The size at which the monitor itself truncates the log: max-size when only
 * one file is kept (that is Docker's rotation then). With more files berth
 * rotates, and the monitor must not: it counts bytes across reopens, so its
 * cap would cut files short. A daemon that comes back rotates an oversized
 * log at once.
 */
export function monitorLogCap(policy: LogPolicy): number | undefined {
  return policy.maxFile <= 1 ? policy.maxSize : undefined;
}

/** max-size as Docker's json-file reads it (units.RAMInBytes), its errors as 400s. */
function logSize(text: string): number {
  try {
    return parseRamBytes(text);
  } catch (e: unknown) {
    throw invalidArgument(e instanceof Error ? e.message : String(e));
  }
}
