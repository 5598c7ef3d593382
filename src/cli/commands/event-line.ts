import { typedStruct, type GoField } from './image-go-struct.js';

/** An event as the `/events` stream carries it, with timeNano kept exact. */
export interface EventMessage {
  readonly raw: Record<string, unknown>;
  readonly type: string;
  readonly action: string;
  readonly actorId: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly time: number;
  readonly timeNano: bigint;
}

/** Parses one line of the stream (timeNano is past JavaScript's exact integers, so it is read from the text). */
export function parseEventLine(line: string): EventMessage {
  const raw = JSON.parse(line) as Record<string, unknown>;
  const nano = /"timeNano":\s*(-?\d+)/.exec(line)?.[1];
  const timeNano = nano !== undefined ? BigInt(nano) : 0n;
  if (nano !== undefined) raw['timeNano'] = timeNano;
  const actor = (typeof raw['Actor'] === 'object' && raw['Actor'] !== null ? raw['Actor'] : {}) as Record<string, unknown>;
  const attrs = (typeof actor['Attributes'] === 'object' && actor['Attributes'] !== null ? actor['Attributes'] : {}) as Record<string, unknown>;
  return {
    raw,
    type: typeof raw['Type'] === 'string' ? raw['Type'] : '',
    action: typeof raw['Action'] === 'string' ? raw['Action'] : '',
    actorId: typeof actor['ID'] === 'string' ? actor['ID'] : '',
    attributes: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, String(v)])),
    time: typeof raw['time'] === 'number' ? raw['time'] : 0,
    timeNano,
  };
}

/** events.Message as templates see it: Go field names, JSON names (and omitempty) for `json`. */
const MESSAGE_FIELDS: readonly GoField[] = [
  { name: 'status', goName: 'Status', kind: 'string', omitempty: true },
  { name: 'id', goName: 'ID', kind: 'string', omitempty: true },
  { name: 'from', goName: 'From', kind: 'string', omitempty: true },
  { name: 'Type', kind: 'string' },
  { name: 'Action', kind: 'string' },
  { name: 'Actor', kind: 'struct', typeName: 'events.Actor', fields: [{ name: 'ID', kind: 'string' }, { name: 'Attributes', kind: 'map' }] },
  { name: 'scope', goName: 'Scope', kind: 'string', omitempty: true },
  { name: 'time', goName: 'Time', kind: 'number', omitempty: true },
  { name: 'timeNano', goName: 'TimeNano', kind: 'number', omitempty: true },
];

export function eventTemplateData(ev: EventMessage | undefined, typeName = 'events.Message'): Record<string, unknown> {
  return typedStruct(typeName, MESSAGE_FIELDS, ev?.raw ?? {});
}

/**
 * The docker CLI's default line: the time in RFC 3339 with nine decimals (local
 * zone), type, action, actor ID, and the attributes in key order.
 */
export function prettyEvent(ev: EventMessage, tzOffsetMinutes = -new Date().getTimezoneOffset()): string {
  let line = '';
  if (ev.timeNano !== 0n) line += `${formatNanoTime(ev.timeNano, tzOffsetMinutes)} `;
  else if (ev.time !== 0) line += `${formatNanoTime(BigInt(ev.time) * 1_000_000_000n, tzOffsetMinutes)} `;
  line += `${ev.type} ${ev.action} ${ev.actorId}`;
  const keys = Object.keys(ev.attributes).sort();
  if (keys.length > 0) line += ` (${keys.map((k) => `${k}=${ev.attributes[k] ?? ''}`).join(', ')})`;
  return `${line}\n`;
}

/** Go's "2006-01-02T15:04:05.000000000Z07:00" of a time in nanoseconds, at the given zone offset. */
export function formatNanoTime(nano: bigint, tzOffsetMinutes: number): string {
  let secs = nano / 1_000_000_000n;
  let frac = nano % 1_000_000_000n;
  if (frac < 0n) {
    frac += 1_000_000_000n;
    secs -= 1n;
  }
  const d = new Date((Number(secs) + tzOffsetMinutes * 60) * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const date = `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  const abs = Math.abs(tzOffsetMinutes);
  const zone = tzOffsetMinutes === 0 ? 'Z' : `${tzOffsetMinutes < 0 ? '-' : '+'}${p(Math.floor(abs / 60))}:${p(abs % 60)}`;
  return `${date}.${String(frac).padStart(9, '0')}${zone}`;
}
