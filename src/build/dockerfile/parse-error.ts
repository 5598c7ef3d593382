import { EngineError } from '../../engine-error.js';

/** A syntax error in a Dockerfile, worded as Docker words it. */
export class DockerfileParseError extends EngineError {
  constructor(readonly line: number | undefined, readonly detail: string) {
    super('invalid-argument', line === undefined ? `dockerfile parse error: ${detail}` : `dockerfile parse error on line ${line}: ${detail}`);
  }
}
