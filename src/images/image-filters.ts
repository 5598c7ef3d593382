import { invalidArgument } from '../engine-error.js';
import { parseTimeFilter } from '../units/time-filter.js';
import type { Image } from './image-store.js';

/** Filters of `GET /images/json` and `POST /images/prune`, as `name -> values`. */
export type ImageFilters = Readonly<Record<string, readonly string[]>>;

const KNOWN = new Set(['dangling', 'label', 'reference', 'before', 'since', 'until']);

interface Filterable {
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly created: Date | undefined;
  readonly labels: Readonly<Record<string, string>>;
}

export function validateImageFilters(filters: ImageFilters): void {
  for (const [name, values] of Object.entries(filters)) {
    if (!KNOWN.has(name)) throw invalidArgument(`invalid filter '${name}'`);
    if (name === 'dangling') {
      for (const v of values) {
        if (!['true', 'false', '1', '0'].includes(v)) throw invalidArgument(`invalid filter 'dangling=${v}'`);
      }
    }
  }
}

export function matchImageFilters(img: Filterable, filters: ImageFilters, find: (nameOrId: string) => Image | undefined): boolean {
  const dangling = filters['dangling'] ?? [];
  if (dangling.length > 0) {
    const want = dangling[0] === 'true' || dangling[0] === '1';
    if (want !== (img.repoTags.length === 0)) return false;
  }
  for (const l of filters['label'] ?? []) {
    const i = l.indexOf('=');
    if (i < 0 ? !(l in img.labels) : img.labels[l.slice(0, i)] !== l.slice(i + 1)) return false;
  }
  const refs = filters['reference'] ?? [];
  if (refs.length > 0 && !refs.some((pattern) => img.repoTags.some((t) => matchReference(pattern, t)))) return false;
  for (const v of filters['until'] ?? []) {
    if (!((img.created?.getTime() ?? 0) < parseTimeFilter(v))) return false;
  }
  for (const [key, cmp] of [['before', -1], ['since', 1]] as const) {
    for (const v of filters[key] ?? []) {
      const other = find(v);
      if (other === undefined) throw invalidArgument(`No such image: ${v}`);
      const t = other.config.created === undefined ? 0 : Date.parse(other.config.created);
      const mine = img.created?.getTime() ?? 0;
      if (cmp < 0 ? !(mine < t) : !(mine > t)) return false;
    }
  }
  return true;
}

/** `docker images --filter reference=` matches the familiar name (with or without tag) by glob. */
export function matchReference(pattern: string, tagged: string): boolean {
  const colon = tagged.lastIndexOf(':');
  const name = colon > tagged.lastIndexOf('/') ? tagged.slice(0, colon) : tagged;
  const re = globToRegExp(pattern);
  // A colon before the last slash is a registry port, not a tag.
  const patternHasTag = pattern.lastIndexOf(':') > pattern.lastIndexOf('/');
  return re.test(tagged) || (!patternHasTag && re.test(name));
}

function globToRegExp(glob: string): RegExp {
  let src = '';
  for (const c of glob) {
    if (c === '*') src += '[^/]*';
    else if (c === '?') src += '[^/]';
    else src += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${src}$`);
}
