import { familiarName, parseReference } from '../reference/image-reference.js';
import type { EngineEvent } from './event-bus.js';

/** The `filters` of `/events`: key → values, as the API passes them. */
export type EventFilters = Readonly<Record<string, readonly string[]>>;

/** Actions an `event` filter matches by prefix (their actions carry the command: "exec_start: sh -c …"). */
const PREFIX_ACTIONS = new Set(['health_status', 'exec_create', 'exec_start']);

/**
 * Docker's event filter (daemon/events/filter.go): every key given must match.
 * Values of one key are alternatives; `label` values must all match.
 *
 * - `type`, `scope`: exact; `event`: exact (prefix for exec_create, exec_start, health_status);
 * - `container`, `network`, `volume`, `daemon`: the actor's ID or name, or a prefix of either,
 *   whatever the event's type (so `container=x` leaves out image events);
 * - `image`: the image ID or name (`image` attribute of container events), with or without tag;
 * - `label`: `key` or `key=value` among the actor's attributes.
 */
export function eventMatches(filters: EventFilters, ev: EngineEvent): boolean {
  return matchAction(filters, ev.action)
    && exact(filters, 'type', ev.type)
    && exact(filters, 'scope', 'local')
    && byName(filters, 'daemon', ev) && byName(filters, 'container', ev) && byName(filters, 'volume', ev) && byName(filters, 'network', ev)
    && matchImage(filters, ev)
    && matchLabels(filters['label'] ?? [], ev.actor.attributes);
}

function values(filters: EventFilters, key: string): readonly string[] {
  return filters[key] ?? [];
}

function exact(filters: EventFilters, key: string, source: string): boolean {
  const vs = values(filters, key);
  return vs.length === 0 || vs.includes(source);
}

/** filters.Args.FuzzyMatch: no values, an equal value, or a value that is a prefix of `source`. */
function fuzzy(filters: EventFilters, key: string, source: string): boolean {
  const vs = values(filters, key);
  return vs.length === 0 || vs.some((v) => source.startsWith(v));
}

function matchAction(filters: EventFilters, action: string): boolean {
  const vs = values(filters, 'event');
  if (vs.some((v) => PREFIX_ACTIONS.has(v))) return fuzzy(filters, 'event', action);
  return exact(filters, 'event', action);
}

/** As in Docker, an ID or name filter looks at any event's actor, whatever its type. */
function byName(filters: EventFilters, type: 'daemon' | 'container' | 'volume' | 'network', ev: EngineEvent): boolean {
  return fuzzy(filters, type, ev.actor.id) || fuzzy(filters, type, ev.actor.attributes['name'] ?? '');
}

function matchImage(filters: EventFilters, ev: EngineEvent): boolean {
  if (values(filters, 'image').length === 0) return true;
  const id = ev.actor.id;
  const name = ev.actor.attributes[ev.type === 'image' ? 'name' : 'image'] ?? '';
  return [id, name, stripTag(id), stripTag(name)].some((s) => exact(filters, 'image', s));
}

/** A reference's familiar name without tag or digest ("busybox" for "busybox:latest"); other strings unchanged. */
function stripTag(image: string): string {
  try {
    return familiarName(parseReference(image));
  } catch {
    return image;
  }
}

/** filters.Args.MatchKVList: every `key` or `key=value` must be among the attributes. */
function matchLabels(labels: readonly string[], attributes: Readonly<Record<string, string>>): boolean {
  if (labels.length === 0) return true;
  if (Object.keys(attributes).length === 0) return false;
  return labels.every((l) => {
    const eq = l.indexOf('=');
    const key = eq < 0 ? l : l.slice(0, eq);
    const v = attributes[key];
    if (v === undefined) return false;
    return eq < 0 || v === l.slice(eq + 1);
  });
}
