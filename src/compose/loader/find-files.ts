import { existsSync } from 'node:fs';
import path from 'node:path';
import { ComposeError } from '../compose-error.js';

/** The names compose v2 looks for, in its order of preference. */
export const DEFAULT_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;
const OVERRIDE_NAMES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yml', 'docker-compose.override.yaml'] as const;

/**
 * Finds the project's compose file in `dir` or the nearest parent that has one, plus its
 * `.override` file, as compose v2 does when no `-f` is given. `warn` gets v2's notice when
 * several candidate names exist.
 */
export function findComposeFiles(dir: string, warn: (msg: string) => void = () => {}, exists: (p: string) => boolean = existsSync): string[] {
  let current = path.resolve(dir);
  for (;;) {
    const found = DEFAULT_FILE_NAMES.map((n) => path.join(current, n)).filter(exists);
    const first = found[0];
    if (first !== undefined) {
      if (found.length > 1) warn(`Found multiple config files with supported names: ${found.join(', ')}\nUsing ${first}`);
      const overrides = OVERRIDE_NAMES.map((n) => path.join(current, n)).filter(exists);
      if (overrides.length > 1) warn(`Found multiple config files with supported names: ${overrides.join(', ')}\nUsing ${overrides[0] ?? ''}`);
      return overrides[0] === undefined ? [first] : [first, overrides[0]];
    }
    const parent = path.dirname(current);
    if (parent === current) throw new ComposeError('no configuration file provided: not found');
    current = parent;
  }
}
