import { ApiError, ConnectionError } from '../client/api-error.js';

/** How the docker CLI shows an error from the daemon or the connection. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return `Error response from daemon: ${e.message}`;
  if (e instanceof ConnectionError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * The docker CLI's exit status for a failed `run`/`start`: 127 when the command
 * was not found, 126 when it could not be executed, 125 for anything else.
 */
export function startErrorStatus(e: unknown): number {
  const msg = e instanceof Error ? e.message : String(e);
  if (/executable file not found|no such file or directory|system cannot find the file specified/.test(msg)) return 127;
  if (/permission denied|is a directory/.test(msg)) return 126;
  return 125;
}
