import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { invalidArgument } from '../engine-error.js';

export interface TarExtract {
  readonly input: Writable;
  readonly done: Promise<void>;
  kill(): void;
}

/**
 * Unpacks a layer tar into `dir` with GNU tar, keeping owners, modes, xattrs
 * (file capabilities), device nodes and hard links. GNU tar refuses members
 * whose names climb out with `..`, strips leading `/`, and defers symlinks that
 * could be used to write outside `dir` until the end of the archive.
 */
export function startTarExtract(dir: string): TarExtract {
  const child = spawn(
    'tar',
    ['-x', '-f', '-', '-C', dir, '--numeric-owner', '--same-owner', '--same-permissions',
      '--xattrs', '--xattrs-include=*', '--no-overwrite-dir'],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < 4096) stderr += s;
  });
  // A tar that stops early closes its stdin: the exit status reports the failure.
  child.stdin.on('error', () => undefined);
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(invalidArgument(`failed to unpack layer: ${stderr.trim() || `tar exited with ${code ?? signal}`}`));
    });
  });
  // The caller awaits `done` only once it has written everything: until then a
  // failure must not count as an unhandled rejection.
  done.catch(() => undefined);
  return { input: child.stdin, done, kill: () => child.kill('SIGKILL') };
}
