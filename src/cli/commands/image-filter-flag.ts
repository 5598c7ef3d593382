import type { FlagSpec } from '../flags/index.js';

/**
 * docker's `--filter` option (opts.FilterOpt): "name=value", the name trimmed and lowercased,
 * the value trimmed; an empty value is ignored.
 */
export function filterFlag(short: string | undefined, usage: string): FlagSpec {
  return {
    name: 'filter',
    ...(short !== undefined ? { short } : {}),
    type: 'list',
    valueName: 'filter',
    usage,
    validate: (value) => {
      if (value === '') return '';
      const eq = value.indexOf('=');
      if (eq < 0) throw new Error('bad format of filter (expected name=value)');
      return `${value.slice(0, eq).trim().toLowerCase()}=${value.slice(eq + 1).trim()}`;
    },
  };
}

/** The `filters` query parameter for "name=value" filters: {"name":{"value":true}}. */
export function filtersQuery(filters: readonly string[]): string | undefined {
  const out: Record<string, Record<string, boolean>> = {};
  for (const f of filters) {
    if (f === '') continue;
    const eq = f.indexOf('=');
    const name = f.slice(0, eq);
    (out[name] ??= {})[f.slice(eq + 1)] = true;
  }
  return Object.keys(out).length === 0 ? undefined : JSON.stringify(out);
}
