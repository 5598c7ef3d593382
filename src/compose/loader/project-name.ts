import { ComposeError } from '../compose-error.js';

/** compose v2's rule for a project name given explicitly (-p, COMPOSE_PROJECT_NAME, `name:`). */
export function checkProjectName(name: string): string {
  if (name === '') throw new ComposeError('project name must not be empty');
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) {
    throw new ComposeError(
      `invalid project name "${name}": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`,
    );
  }
  return name;
}

/** compose v2's normalization of a name taken from a directory: lowercase, only [a-z0-9_-], starting with a letter or digit. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
}
