import { DockerfileParseError } from './dockerfile/parse-error.js';
import { expandWord, expandWords, ExpansionError, type Env } from './dockerfile/shell-lex.js';

/** Variable substitution for one build step: the ARGs and ENV in scope there (ENV wins). */
export class Expander {
  constructor(private readonly env: Env, private readonly escape: string, private readonly line: number) {}

  word(w: string): string {
    return this.wrap(() => expandWord(w, this.env, this.escape));
  }

  words(w: string): string[] {
    return this.wrap(() => expandWords(w, this.env, this.escape));
  }

  private wrap<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e: unknown) {
      if (e instanceof ExpansionError) throw new DockerfileParseError(this.line, e.message);
      throw e;
    }
  }
}
