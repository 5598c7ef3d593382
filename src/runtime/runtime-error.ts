import { EngineError } from '../engine-error.js';

/** The OCI runtime refused or failed an operation; its text is kept for the user (exit codes 126/127 hang on it). */
export class RuntimeError extends EngineError {
  constructor(message: string, options?: { cause?: unknown }) {
    // The process could not be executed: the request was wrong (dockerd answers 400), not the engine.
    super(/executable file not found|no such file or directory|permission denied|is a directory/.test(message) ? 'invalid-argument' : 'internal', message, options);
    this.name = 'RuntimeError';
  }
}

/** runc reports errors as logrus lines (`time=".." level=error msg="..."`); crun as plain text. */
export function cleanRuntimeMessage(raw: string): string {
  const msgs: string[] = [];
  for (const line of raw.split('\n')) {
    const m = /(?:^|\s)msg="((?:[^"\\]|\\.)*)"/.exec(line);
    if (m?.[1] !== undefined) {
      try {
        msgs.push(JSON.parse(`"${m[1]}"`) as string);
      } catch {
        msgs.push(m[1]);
      }
    } else if (line.trim() !== '') {
      msgs.push(line.trim());
    }
  }
  return msgs.join(': ') || raw.trim();
}

/** The text runc/crun printed for a failed command. */
export function runtimeErrorMessage(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'stderr' in e) {
    const text = cleanRuntimeMessage(String((e as { stderr: unknown }).stderr));
    if (text !== '') return text;
  }
  return e instanceof Error ? e.message : String(e);
}
