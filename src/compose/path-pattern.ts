/** Whether a key path (`services.web.ports.0.target`) matches a pattern with `*` for any one key. */
export function matchesPath(pattern: string, path: readonly string[]): boolean {
  const parts = pattern.split('.');
  return parts.length === path.length && parts.every((p, i) => p === '*' || p === path[i]);
}
